/**
 * The environment's readiness as metrics, in the text both Prometheus and OpenMetrics read
 * (gauges with HELP and TYPE, `# EOF` last): what `status --format openmetrics` prints and
 * `reconcile --metrics-file` writes for node_exporter's textfile collector. Names, statuses,
 * reasons and times only: never a secret, never an output's value. Pure.
 */
import type { ComponentReadiness, Status } from './readiness';

interface Family {
  name: string;
  help: string;
  samples: Array<{ labels: Record<string, string>; value: number }>;
}

const PREFIX = 'modelops_infra_';

/** A label value as the text formats escape it: backslash, double quote, line feed. */
const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function render(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${PREFIX}${f.name} ${f.help}`, `# TYPE ${PREFIX}${f.name} gauge`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
      lines.push(`${PREFIX}${f.name}{${labels}} ${s.value}`);
    }
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

const secondsSince = (iso: string | undefined, now: number): number | undefined => {
  const then = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(then) ? Math.max(0, Math.round((now - then) / 1000)) : undefined;
};

/** Every gauge of every component, labelled with the environment, the component and its stack. */
export function readinessMetrics(env: string, components: readonly ComponentReadiness[], now: number): string {
  const base = (c: ComponentReadiness) => ({ env, component: c.name, stack: c.stack });
  const each = (value: (c: ComponentReadiness) => number | undefined, extra: (c: ComponentReadiness) => Record<string, string> = () => ({})) =>
    components.flatMap((c) => {
      const v = value(c);
      return v === undefined ? [] : [{ labels: { ...base(c), ...extra(c) }, value: v }];
    });
  const flag = (on: boolean) => (on ? 1 : 0);
  const stalled = (c: ComponentReadiness) => c.reconcile?.condition === 'stalled';
  const families: Family[] = [
    { name: 'component_ready', help: 'Whether the component is ready (1), from its verified outputs, or not (0).', samples: each((c) => flag(c.status === 'ready')) },
    { name: 'component_status', help: 'The status the component is in (label status), always 1.', samples: each(() => 1, (c) => ({ status: c.status satisfies Status })) },
    { name: 'component_status_seconds', help: 'Seconds the component has been in its status, from the backend records (absent where none says).', samples: each((c) => secondsSince(c.since, now)) },
    { name: 'component_stale', help: 'Whether an output the component read holds another value now (1): an up re-applies it.', samples: each((c) => flag(c.status === 'stale')) },
    { name: 'component_drifted', help: 'Whether the last drift check found changes made outside Pulumi (1).', samples: each((c) => flag(c.drift?.state === 'drifted')) },
    { name: 'component_spec_changed', help: 'Whether azure.yaml changed what the component is deployed with since its last up (1).', samples: each((c) => flag(c.spec === 'changed' && c.status !== 'absent')) },
    { name: 'component_stalled', help: 'Whether the reconcile loop stopped trying and waits for a person (1; label reason).', samples: each((c) => flag(stalled(c)), (c) => ({ reason: stalled(c) ? c.reconcile!.reason : '' })) },
    { name: 'component_condition_seconds', help: "Seconds the component has been in the reconcile loop's current condition (absent before the loop ran).", samples: each((c) => secondsSince(c.reconcile?.since ?? c.reconcile?.at, now)) },
    { name: 'component_reconcile_attempt', help: "The reconcile loop's attempt on the current spec: the one in progress or the last one made.", samples: each((c) => c.reconcile?.attempt) },
    { name: 'component_reconcile_max_attempts', help: 'The failed attempts after which the reconcile loop stalls the component.', samples: each((c) => c.reconcile?.maxAttempts) },
  ];
  return render([...families, { name: 'read_timestamp_seconds', help: 'When these were read (Unix time).', samples: [{ labels: { env }, value: Math.floor(now / 1000) }] }]);
}
