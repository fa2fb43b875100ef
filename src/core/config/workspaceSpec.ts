/**
 * `workspace.spec`, checked with the same care as `aks` and `adaptive`: the scheduler and the
 * workers (images, replicas, processes, threads, resources, env, node selectors), tolerations and
 * autoscaling as the original's WorkspaceConfig had them. The spec stays a plain record for the
 * programs; this only reports problems, each at its line.
 */
import { isMap } from 'yaml';
import type { Field, MapReader } from './reader';
import type { ProviderKind } from './types';
import { cpuCores, memoryBytesOf } from '../quantities';

export const WORKSPACE_SPEC_KEYS = ['scheduler', 'workers', 'autoscaling', 'tolerations'] as const;
export const SCHEDULER_KEYS = ['image', 'replicas', 'resources', 'env', 'nodeSelector'] as const;
export const WORKER_KEYS = ['image', 'replicas', 'processes', 'threads', 'resources', 'env', 'nodeSelector'] as const;
export const AUTOSCALING_KEYS = ['enabled', 'type', 'min_workers', 'max_workers', 'target_cpu', 'scale_down_delay'] as const;
export const TOLERATION_KEYS = ['key', 'operator', 'value', 'effect', 'tolerationSeconds'] as const;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

const QUANTITIES = {
  cpu: { parse: cpuCores, like: 'cores like "2" or "0.5", or millicores like "500m"' },
  memory: { parse: memoryBytesOf, like: 'a size like "512Mi" or "4Gi"' },
} as const;

export function checkWorkspaceSpec(spec: MapReader, provider: ProviderKind | undefined): void {
  spec.reportUnknownKeys(WORKSPACE_SPEC_KEYS);
  checkPart(spec.get('scheduler'), SCHEDULER_KEYS, { replicas: { min: 1, max: 10 } });
  checkPart(spec.get('workers'), WORKER_KEYS, { replicas: { min: 0, max: 1000 } });
  const autoscaled = checkAutoscaling(spec.get('autoscaling'));
  checkTolerations(spec.get('tolerations'));
  const workers = spec.get('workers');
  const replicas = isMap(workers.node) ? workers.map()?.get('replicas') : undefined;
  // Only the Kubernetes programs make the HPA; the local provider runs `replicas` workers.
  if ((provider === 'azure' || provider === 'kubernetes') && autoscaled && replicas?.isSet) {
    const bounds = spec.get('autoscaling').plain() as { min_workers?: unknown; max_workers?: unknown } | undefined;
    const bound = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
    replicas.warnAtKey('unused-key', `\`workers.replicas\` is not used while autoscaling is on (the default, as in the original): the HPA runs between \`min_workers\` (${bound(bounds?.min_workers, 2)}) and \`max_workers\` (${bound(bounds?.max_workers, 20)}). Set \`autoscaling: { enabled: false }\` to fix the count, or remove \`replicas\`.`);
  }
}

function checkPart(field: Field, keys: readonly string[], limits: { replicas: { min: number; max: number } }): void {
  if (field.isSet && !isMap(field.node)) return; // its type is reported with its image
  const part = field.map(keys, `${field.keyName}: { image: ghcr.io/example/${field.keyName}:1.0 }`);
  if (!part) return;
  part.get('replicas').int(limits.replicas, 'replicas: 2');
  if (keys.includes('processes')) part.get('processes').int({ min: 1, max: 64 }, 'processes: 1');
  if (keys.includes('threads')) part.get('threads').int({ min: 1, max: 256 }, 'threads: 2');
  checkResources(part.get('resources'));
  checkEnv(part.get('env'));
  checkNodeSelector(part.get('nodeSelector'));
}

/** Requests and limits of cpu and memory; Kubernetes refuses a limit below its request. */
function checkResources(field: Field): void {
  const resources = field.map(['requests', 'limits'], 'resources: { requests: { cpu: "1", memory: 2Gi }, limits: { cpu: "2", memory: 4Gi } }');
  if (!resources) return;
  const read = (side: 'requests' | 'limits') => {
    const map = resources.get(side).map(['cpu', 'memory'], `${side}: { cpu: "1", memory: 2Gi }`);
    const values: Partial<Record<keyof typeof QUANTITIES, { value: number; field: Field }>> = {};
    for (const kind of ['cpu', 'memory'] as const) {
      const quantity = map?.get(kind);
      const text = quantity?.text();
      if (!quantity || text === undefined) continue;
      const value = QUANTITIES[kind].parse(text);
      if (value === undefined) quantity.error('invalid-quantity', `\`${quantity.label}\` is "${text}"; it must be ${QUANTITIES[kind].like}.`);
      else values[kind] = { value, field: quantity };
    }
    return values;
  };
  const requests = read('requests');
  const limits = read('limits');
  for (const kind of ['cpu', 'memory'] as const) {
    const request = requests[kind];
    const limit = limits[kind];
    if (request && limit && limit.value < request.value) {
      limit.field.error('limit-below-request', `\`${limit.field.label}\` is below its request (\`${request.field.label}\`); Kubernetes refuses such a pod. Raise the limit or lower the request.`, { related: [request.field.related('the request')] });
    }
  }
}

function checkEnv(field: Field): void {
  const items = field.list('env: [{ name: DASK_LOGGING__DISTRIBUTED, value: info }]');
  for (const item of items ?? []) {
    const entry = item.map(['name', 'value', 'valueFrom'], '- { name: DASK_LOGGING__DISTRIBUTED, value: info }');
    if (!entry) continue;
    const name = entry.get('name');
    if (!name.exists) item.missing('`name`', '- { name: DASK_LOGGING__DISTRIBUTED, value: info }');
    else name.string('name: MY_VARIABLE');
    entry.get('value').text();
  }
}

function checkNodeSelector(field: Field): void {
  const selector = field.map(undefined, 'nodeSelector: { agentpool: cpu }');
  for (const label of selector?.fields() ?? []) label.text();
}

function checkTolerations(field: Field): void {
  for (const item of field.list('tolerations: [{ key: modelops.io/role, operator: Equal, value: cpu, effect: NoSchedule }]') ?? []) {
    const toleration = item.map(TOLERATION_KEYS, '- { key: modelops.io/role, operator: Equal, value: cpu, effect: NoSchedule }');
    if (!toleration) continue;
    const operator = toleration.get('operator').enumOf(['Equal', 'Exists'] as const);
    toleration.get('key').string('key: modelops.io/role');
    toleration.get('value').text();
    toleration.get('effect').enumOf(TAINT_EFFECTS);
    toleration.get('tolerationSeconds').int({ min: 0 }, 'tolerationSeconds: 300');
    if (operator === 'Exists' && toleration.get('value').isSet) toleration.get('value').error('invalid-enum', '`value` must be left out with `operator: Exists` (it matches every value of the key).');
  }
}

/** Whether the workers are autoscaled (the default: also when `autoscaling` is absent). */
function checkAutoscaling(field: Field): boolean {
  const auto = field.map(AUTOSCALING_KEYS, 'autoscaling: { min_workers: 2, max_workers: 20, target_cpu: 70 }');
  if (!auto) return !field.exists || field.isSet === false;
  const enabled = auto.get('enabled').bool();
  auto.get('type').enumOf(['hpa', 'dask-adaptive'] as const);
  // The HPA API refuses minReplicas 0 (without an alpha feature gate).
  const min = auto.get('min_workers').int({ min: 1 }, 'min_workers: 2');
  const maxField = auto.get('max_workers');
  const max = maxField.int({ min: 1 }, 'max_workers: 20');
  auto.get('target_cpu').int({ min: 10, max: 100 }, 'target_cpu: 70');
  auto.get('scale_down_delay').int({ min: 0 }, 'scale_down_delay: 300');
  if (min !== undefined && max !== undefined && max < min) {
    maxField.error('out-of-range', `\`${maxField.label}\` is ${max}, below \`min_workers\` (${min}); it must be at least ${min}.`, { related: [auto.get('min_workers').related('min_workers')] });
  }
  return enabled !== false;
}
