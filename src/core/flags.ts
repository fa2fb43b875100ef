/**
 * Every flag of the CLI, declared once: the parser's options, which verbs take each, the help
 * text, and the argument lists the extension passes to the child process all come from this
 * table (cli/args.ts, vscode/cli). Pure.
 */
import { helpTable } from './helpText';
import type { Verb } from './verbs';

interface FlagSpec {
  name: string;
  type: 'boolean' | 'string';
  short?: string;
  /** What the help shows before the text, e.g. `--to VERSION` (default: `-S, --NAME` or `--NAME`). */
  usage?: string;
  /** The verbs that take it (the help names them first); absent: every verb. */
  verbs?: readonly Verb[];
  /** The help's text (wrapped where it is shown); absent: documented on the line of the flag `with` names. */
  help?: string;
  with?: string;
}

export const FLAGS = [
  { name: 'config', type: 'string', usage: '--config FILE', help: "the config to use (default ./azure.yaml, else ~/.modelops/modelops.yaml, else ~/.modelops/infrastructure.yaml: the original modelops's files)" },
  { name: 'env', type: 'string', short: 'e', usage: '-e, --env NAME', help: 'environment (default: the file\'s "environment", else dev)' },
  { name: 'json', type: 'boolean', help: 'print one JSON document' },
  { name: 'events', type: 'boolean', help: 'stream one JSON event per line (for tools such as the VS Code extension)' },
  { name: 'force-recreate', type: 'boolean', verbs: ['up'], help: 'destroy the named components and what depends on them, then provision (asks first)' },
  { name: 'with-dependents', type: 'boolean', verbs: ['down'], help: 'also what depends on the named components' },
  { name: 'all', type: 'boolean', verbs: ['down'], help: 'also storage, registry and the resource group' },
  { name: 'destroy-storage', type: 'boolean', verbs: ['down'], usage: '--destroy-storage, --destroy-registry, --delete-rg', help: "also storage, the registry or the resource group (the original's flags); --destroy-all is --all" },
  { name: 'destroy-registry', type: 'boolean', verbs: ['down'], with: 'destroy-storage' },
  { name: 'delete-rg', type: 'boolean', verbs: ['down'], with: 'destroy-storage' },
  { name: 'destroy-all', type: 'boolean', verbs: ['down'], with: 'destroy-storage' },
  { name: 'components', type: 'string', short: 'c', usage: '-c, --components A,B', verbs: ['up', 'preview', 'down', 'drift'], help: "components as a list (the original's -c)" },
  { name: 'plan', type: 'boolean', verbs: ['up'], help: "preview instead (the original's `mops infra up --plan`)" },
  { name: 'to', type: 'string', usage: '--to VERSION', verbs: ['rollback'], help: 'the history version whose spec to go back to' },
  { name: 'allow-replace', type: 'boolean', verbs: ['up', 'repair', 'rollback'], help: 'go ahead even where Pulumi would replace or delete what holds data (or anything of a stack made outside mops-infra); without it that is refused' },
  { name: 'rollback-on-failure', type: 'boolean', verbs: ['up'], help: 'when a component fails, roll back what this up already changed, newest first' },
  { name: 'no-bundle-env', type: 'boolean', verbs: ['up', 'down'], help: 'leave ~/.modelops/bundle-env/ENV.yaml as it is (by default, on Azure, a run that changes the registry or storage rewrites it, or removes it, as the original does)' },
  { name: 'no-kube-context', type: 'boolean', verbs: ['up', 'down'], help: 'leave the kubeconfig as it is (by default, on Azure, a cluster up merges its context into it and selects it, and a cluster down removes that context, as the original does)' },
  { name: 'format', type: 'string', usage: '--format FORMAT', verbs: ['validate', 'status'], help: 'text (default); validate: sarif (code scanning) or github (workflow annotations); status: openmetrics (gauges Prometheus and OpenMetrics read, for alerting)' },
  { name: 'force-unlock', type: 'boolean', verbs: ['repair'], help: 'also clear a lock held by a run on another machine (only once you know it is dead)' },
  { name: 'skip-preflight', type: 'boolean', verbs: ['validate', 'up'], help: 'skip the Azure preflight (providers, quota, names, Kubernetes version)' },
  { name: 'once', type: 'boolean', verbs: ['reconcile'], help: 'one pass, then exit (0 when everything is converged): for cron and CI' },
  { name: 'heal', type: 'boolean', verbs: ['reconcile'], help: 'heal what is not converged (default: only report)' },
  { name: 'interval', type: 'string', usage: '--interval SECONDS', verbs: ['reconcile'], help: 'seconds between passes (default 300, at least 1)' },
  { name: 'max-attempts', type: 'string', usage: '--max-attempts N', verbs: ['reconcile'], help: 'failed attempts on one spec before a component stalls (default 3)' },
  { name: 'metrics-file', type: 'string', usage: '--metrics-file PATH', verbs: ['reconcile'], help: "after each pass, write the environment's gauges to PATH (node_exporter's textfile collector: a .prom file in its directory), whole and atomically" },
  { name: 'notify', type: 'string', usage: '--notify URL', verbs: ['reconcile'], help: 'post each transition (stalled, recovered, drift found) to URL: JSON, or the message of a Microsoft Teams or Slack incoming webhook; retried, never blocking the loop' },
  { name: 'wait', type: 'string', usage: '--wait[=DURATION]', verbs: ['up', 'repair', 'down', 'rollback', 'reconcile'], help: "behind another run's live lock, wait for it (default 30m; e.g. 90s, 2h) instead of refusing at once; reconcile only with --once. A lock that looks dead is never waited on" },
  { name: 'yes', type: 'boolean', short: 'y', help: 'confirm destruction without asking' },
  { name: 'dry-run', type: 'boolean', verbs: ['up', 'down', 'rollback', 'migrate'], help: 'print the plan and change nothing' },
  { name: 'show-secrets', type: 'boolean', verbs: ['outputs'], help: 'print secret values' },
  { name: 'pulumi', type: 'string', usage: '--pulumi PATH', help: 'Pulumi CLI to use (default: MOPS_PULUMI, pulumi on PATH, or the build of npm run setup)' },
  { name: 'backend', type: 'string', usage: '--backend URL', help: 'Pulumi backend (default: pulumi.backend_url, PULUMI_BACKEND_URL, file://~/.modelops/pulumi/backend)' },
  { name: 'retry-attempts', type: 'string', usage: '--retry-attempts N', help: "attempts to read back a dependency's outputs (default 5)" },
  { name: 'retry-delay-ms', type: 'string', usage: '--retry-delay-ms N', help: 'first retry delay, doubled each time with jitter (default 500)' },
  { name: 'help', type: 'boolean', short: 'h', help: 'this help' },
] as const satisfies readonly FlagSpec[];

/** How long a bare --wait waits (the extension's Wait too). */
export const DEFAULT_WAIT = '30m';

export type FlagName = (typeof FLAGS)[number]['name'];
type Flag<N extends FlagName> = Extract<(typeof FLAGS)[number], { name: N }>;
/** A value for each flag to pass: `true` for a switch, a string or number for one that takes a value. */
export type FlagValues = { [N in FlagName]?: Flag<N>['type'] extends 'boolean' ? boolean : string | number };

/** The arguments that pass these flags, in the table's order; a switch that is false or a value that is undefined is left out. */
export function flagArgs(values: FlagValues): string[] {
  return FLAGS.flatMap((f) => {
    const value = values[f.name];
    if (value === undefined || value === false) return [];
    return f.type === 'boolean' ? [`--${f.name}`] : [`--${f.name}`, String(value)];
  });
}

/** The verbs each flag that only some verbs take goes with. */
export function verbsOf(name: FlagName): readonly Verb[] | undefined {
  const flag: FlagSpec = FLAGS.find((f) => f.name === name)!;
  return flag.verbs;
}

/** The help's Options section: each flag's usage, then its text (the verbs that take it first). */
export function optionsHelp(): string {
  const rows = (FLAGS as readonly FlagSpec[]).flatMap((flag) => {
    if (!flag.help) return [];
    const usage = flag.usage ?? `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}`;
    return [{ usage, text: flag.verbs ? `${flag.verbs.join(', ')}: ${flag.help}` : flag.help }];
  });
  return helpTable(rows);
}
