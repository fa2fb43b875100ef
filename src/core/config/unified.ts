/**
 * The original modelops's own config files, read as the original reads them:
 *
 * - `~/.modelops/modelops.yaml` (`schema_version: 2`, `UnifiedModelOpsConfig`, written by
 *   `mops init`), mapped onto our model as its `mops infra up` maps it (`cli/infra.py`):
 *   `cluster` is the flat provider file, `workspace` flat keys become the workspace spec
 *   (metadata name `main-workspace`), `registry` keeps its `sku`, `storage` the defaults.
 *   Unlike that function, the file's autoscaling keys are honoured (its own defaults 2–10 at 70).
 * - `~/.modelops/infrastructure.yaml` (`schemaVersion: 1`, `UnifiedInfraSpec`): `cluster` is the
 *   flat provider file and `storage`, `registry`, `workspace` are our sections already.
 *
 * Every problem points at the line in the user's file; keys are named as that file names them.
 * (Read at InstituteforDiseaseModeling/modelops 06153e8; see test/original/NOTES.md §1–2.)
 */
import type { Field, MapReader } from './reader';
import { readInfraConfig } from './rules';
import { readEnvironment } from './project';
import { readRegistry, readStorage, readWorkspace } from './services';
import { checkBackendUrl, checkQuantity } from './naming';
import type { ConfigFormat, ConfigPath, InfraConfig, StorageConfig, WorkspaceConfig } from './types';

export const MODELOPS_YAML_KEYS = ['schema_version', 'generated', 'settings', 'pulumi', 'cluster', 'storage', 'registry', 'workspace'] as const;
export const INFRASTRUCTURE_YAML_KEYS = ['schemaVersion', 'cluster', 'storage', 'registry', 'workspace', 'continueOnError', 'dependsOn'] as const;
const SETTINGS_KEYS = ['environment', 'provider', 'username'] as const;
const PULUMI_KEYS = ['backend_url', 'organization'] as const;

/** `UnifiedModelOpsConfig.WorkspaceSpec`'s keys and defaults (core/unified_config.py). */
export const FLAT_WORKSPACE_DEFAULTS = {
  scheduler_image: 'ghcr.io/institutefordiseasemodeling/modelops-dask-scheduler:latest',
  scheduler_replicas: 1,
  scheduler_memory: '2Gi',
  scheduler_cpu: '1',
  scheduler_env: [] as unknown[],
  worker_image: 'ghcr.io/institutefordiseasemodeling/modelops-dask-worker:latest',
  worker_replicas: 2,
  worker_processes: 4,
  worker_threads: 1,
  worker_memory: '24Gi',
  worker_cpu: '6',
  worker_env: [
    { name: 'DASK_DISTRIBUTED__WORKER__MEMORY__TARGET', value: '0.6' },
    { name: 'DASK_DISTRIBUTED__WORKER__MEMORY__SPILL', value: '0.7' },
    { name: 'DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE', value: '0.8' },
    { name: 'DASK_DISTRIBUTED__WORKER__MEMORY__TERMINATE', value: '0.95' },
  ] as unknown[],
  autoscaling_enabled: true,
  autoscaling_min_workers: 2,
  autoscaling_max_workers: 10,
  autoscaling_target_cpu: 70,
};
type FlatWorkspace = typeof FLAT_WORKSPACE_DEFAULTS;

/** Which format a file is, from whether it has a top-level key: the original's by their version keys. */
export function formatOfKeys(has: (key: string) => boolean): ConfigFormat {
  if (has('schema_version')) return 'modelops.yaml';
  if (has('schemaVersion')) return 'infrastructure.yaml';
  return 'azure.yaml';
}

function requireVersion(field: Field, version: number, file: string): boolean {
  const value = field.int({}, `${field.keyName}: ${version}`);
  if (value === undefined || value === version) return true;
  field.error('unsupported-schema-version', `\`${field.keyName}: ${value}\` is not a ${file} this version reads (it reads ${version}). Write \`${field.keyName}: ${version}\`, or use azure.yaml.`);
  return false;
}

/** The flat provider file under `cluster`: our top level, read by the same rules. */
function readCluster(top: MapReader, outside: { username?: string; environment?: string } = {}): InfraConfig | undefined {
  const cluster = top.get('cluster');
  if (!cluster.exists) {
    cluster.missing('with `provider`, `subscription_id`, `location` and `aks`', 'cluster: { provider: azure, subscription_id: …, aks: … }');
    return undefined;
  }
  return readInfraConfig(cluster, outside);
}

export function readModelopsYaml(root: Field): InfraConfig | undefined {
  const top = root.map(MODELOPS_YAML_KEYS)!;
  if (!requireVersion(top.get('schema_version'), 2, 'modelops.yaml')) return undefined;
  const settings = top.get('settings').map(SETTINGS_KEYS, 'settings: { environment: dev, provider: azure, username: alice }');
  const environment = settings ? readEnvironment(settings.get('environment')) : undefined;
  // Empty: found as the original finds it (engine/userName.ts), not names without a user part.
  const username = settings?.get('username').string('username: alice') || undefined;
  const read = readCluster(top, { username, environment });
  if (!read) return undefined;
  // The original's ClusterSpec has no user name: in this file it is settings.username alone.
  const clusterUser = top.get('cluster').map()?.get('username');
  if (clusterUser?.exists) clusterUser.warnAtKey('unused-key', '`cluster.username` is not read in modelops.yaml (the original reads `settings.username`); move it there.');
  const config = { ...read, username };
  const provider = settings?.get('provider');
  if (provider?.isSet && provider.string() !== config.provider) provider.warn('unused-key', `\`settings.provider\` is "${provider.string()}" but \`cluster.provider\` is "${config.provider}": the cluster's is used.`);
  const backendUrl = readBackendUrl(top.get('pulumi'));
  const tier = top.get('storage').map(['account_tier'], 'storage: { account_tier: Standard }')?.get('account_tier');
  if (tier?.isSet && tier.string() !== 'Standard') tier.warn('unused-key', `\`storage.account_tier\` "${tier.string()}" is not read, as the original's \`infra up\` does not read it: the account is Standard_LRS. Write \`account_tier: Standard\`.`);
  return {
    ...config,
    pulumi: backendUrl ? { backendUrl } : {},
    storage: { sku: 'Standard_LRS' } satisfies StorageConfig,
    registry: (top.has('registry') ? readRegistry(top.get('registry')) : undefined) ?? { sku: 'Basic', perUserRegistry: true, grantClusterPull: true, bundleRepo: 'modelops-bundles' },
    workspace: workspaceOf(readFlatWorkspace(top.get('workspace'))),
  };
}

export function readInfrastructureYaml(root: Field): InfraConfig | undefined {
  const top = root.map(INFRASTRUCTURE_YAML_KEYS)!;
  if (!requireVersion(top.get('schemaVersion'), 1, 'infrastructure.yaml')) return undefined;
  const read = readCluster(top);
  if (!read) return undefined;
  // An empty `cluster.username`: the original falls back to the user name it finds, and so do we.
  const config = read.username === '' ? { ...read, username: undefined } : read;
  const { provider, resourceGroup, username, environment } = config;
  for (const key of ['continueOnError', 'dependsOn'] as const) {
    const field = top.get(key);
    if (field.exists) field.warnAtKey('unused-key', `\`${key}\` is not read: every component this file names is provisioned in dependency order, and a failure stops only what depends on it.`);
  }
  return {
    ...config,
    ...(top.has('storage') ? { storage: readStorage(top.get('storage'), { provider, resourceGroup, username, environment }) } : {}),
    ...(top.has('registry') ? { registry: readRegistry(top.get('registry')) } : {}),
    ...(top.has('workspace') ? { workspace: readWorkspace(top.get('workspace'), provider) } : {}),
  };
}

function readBackendUrl(field: Field): string | undefined {
  const pulumi = field.map(PULUMI_KEYS, 'pulumi: { backend_url: null }');
  const url = pulumi?.get('backend_url');
  const value = url?.string('backend_url: "file://~/.modelops/pulumi/backend"');
  if (value === undefined) return undefined;
  const issue = checkBackendUrl(value);
  if (issue) url!.error('invalid-backend-url', `\`pulumi.backend_url\`: ${issue}`);
  return value;
}

/** The flat `workspace` keys, each checked where it is written, missing ones at the file's own defaults. */
function readFlatWorkspace(field: Field): FlatWorkspace {
  const flat = { ...FLAT_WORKSPACE_DEFAULTS };
  const ws = field.exists ? field.map(Object.keys(FLAT_WORKSPACE_DEFAULTS), 'workspace: { worker_replicas: 2 }') : undefined;
  if (!ws) return flat;
  const set = <K extends keyof FlatWorkspace>(key: K, value: FlatWorkspace[K] | undefined): void => {
    if (value !== undefined) flat[key] = value;
  };
  for (const key of ['scheduler_image', 'worker_image'] as const) set(key, ws.get(key).string(`${key}: ${FLAT_WORKSPACE_DEFAULTS[key]}`));
  for (const key of ['scheduler_memory', 'worker_memory'] as const) {
    const f = ws.get(key);
    const value = f.string(`${key}: ${FLAT_WORKSPACE_DEFAULTS[key]}`);
    const issue = value === undefined ? undefined : checkQuantity(value);
    if (issue) f.error('invalid-quantity', `\`workspace.${key}\`: ${issue}`);
    set(key, value);
  }
  for (const key of ['scheduler_cpu', 'worker_cpu'] as const) {
    const value = ws.get(key).scalarValue();
    if (typeof value === 'string' || typeof value === 'number') set(key, String(value));
    else if (ws.get(key).isSet) ws.get(key).wrongType('a CPU amount', `${key}: '${FLAT_WORKSPACE_DEFAULTS[key]}'`);
  }
  set('scheduler_replicas', ws.get('scheduler_replicas').int({ min: 0 }));
  set('worker_replicas', ws.get('worker_replicas').int({ min: 0 }));
  set('worker_processes', ws.get('worker_processes').int({ min: 1 }));
  set('worker_threads', ws.get('worker_threads').int({ min: 1 }));
  set('autoscaling_enabled', ws.get('autoscaling_enabled').bool());
  set('autoscaling_min_workers', ws.get('autoscaling_min_workers').int({ min: 0 }));
  set('autoscaling_max_workers', ws.get('autoscaling_max_workers').int({ min: 1 }));
  set('autoscaling_target_cpu', ws.get('autoscaling_target_cpu').int({ min: 1, max: 100 }));
  for (const key of ['scheduler_env', 'worker_env'] as const) {
    const f = ws.get(key);
    if (!f.isSet) continue;
    const value = f.plain();
    if (Array.isArray(value) && value.every((e) => e && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string')) set(key, value);
    else f.wrongType('a list of `name`/`value` entries', `${key}: [{ name: DASK_LOGGING__DISTRIBUTED, value: info }]`);
  }
  if (flat.autoscaling_enabled && flat.autoscaling_min_workers > flat.autoscaling_max_workers) {
    ws.get('autoscaling_min_workers').error('out-of-range', `\`workspace.autoscaling_min_workers\` (${flat.autoscaling_min_workers}) is above \`autoscaling_max_workers\` (${flat.autoscaling_max_workers}); lower it, or raise the maximum.`);
  }
  return flat;
}

/** The workspace spec the original's `infra up` builds from the flat keys, with the file's autoscaling. */
function workspaceOf(w: FlatWorkspace): WorkspaceConfig {
  const resources = (memory: string, cpu: string) => ({ requests: { memory, cpu }, limits: { memory, cpu } });
  return {
    apiVersion: 'modelops/v1',
    kind: 'Workspace',
    metadata: { name: 'main-workspace' },
    spec: {
      scheduler: { image: w.scheduler_image, replicas: w.scheduler_replicas, resources: resources(w.scheduler_memory, w.scheduler_cpu), env: w.scheduler_env },
      // With autoscaling on, the HPA sets the count and `replicas` would be unused (workspaceSpec.ts says so).
      workers: { image: w.worker_image, ...(w.autoscaling_enabled ? {} : { replicas: w.worker_replicas }), processes: w.worker_processes, threads: w.worker_threads, resources: resources(w.worker_memory, w.worker_cpu), env: w.worker_env },
      autoscaling: { enabled: w.autoscaling_enabled, min_workers: w.autoscaling_min_workers, max_workers: w.autoscaling_max_workers, target_cpu: w.autoscaling_target_cpu },
    },
  };
}

/** Our sections that the original's files keep outside `cluster`. */
export const OUTSIDE_CLUSTER: ReadonlySet<string> = new Set(['storage', 'registry', 'workspace', 'pulumi']);
const IN_SETTINGS = new Set(['environment', 'username']);

/**
 * Where a key of our model (a component's `configPath`, `['username']`) is written in a file of
 * `format`: the flat provider keys live under `cluster`, modelops.yaml's environment and user name
 * under `settings`.
 */
export function pathInFile(format: ConfigFormat, path: ConfigPath): ConfigPath {
  if (format === 'azure.yaml') return path;
  const first = path[0];
  if (format === 'modelops.yaml' && typeof first === 'string' && IN_SETTINGS.has(first)) return ['settings', ...path];
  if (path.length === 0 || (typeof first === 'string' && !OUTSIDE_CLUSTER.has(first) && first !== 'cluster' && first !== 'settings')) return ['cluster', ...path];
  return path;
}
