/** Rules for the sections we add on top of the flat file: `storage`, `registry`, `workspace`, `adaptive`. */
import { isMap, isScalar, isSeq } from 'yaml';
import { REGISTRY_SKUS } from './cluster';
import { checkWorkspaceSpec } from './workspaceSpec';
import { checkAcrName, checkDnsLabel, checkLocation, checkStorageAccountName, checkQuantity, isDnsLabel, toDnsLabel } from './naming';
import type { Field, MapReader } from './reader';
import { printable } from './suggest';
import { storageAccountOf } from '../connectionString';
import type { AdaptiveConfig, ProviderKind, RegistryConfig, StorageConfig, WorkspaceConfig } from './types';

export const STORAGE_KEYS = ['account_name', 'sku', 'location', 'connection_string', 'connection_string_env'] as const;
export const STORAGE_LEGACY_KEYS = ['version', 'provider', 'resource_group', 'username'] as const;
export const STORAGE_SKUS = ['Standard_LRS', 'Standard_GRS', 'Premium_LRS'] as const;

export const REGISTRY_KEYS = ['name', 'registry_name', 'sku', 'per_user_registry', 'grant_cluster_pull', 'bundle_repo'] as const;
export const REGISTRY_LEGACY_KEYS = ['provider', 'use_existing_rg', 'subscription_id', 'location', 'resource_group', 'username'] as const;
export const DEFAULT_BUNDLE_REPO = 'modelops-bundles';

export const WORKSPACE_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'] as const;
export const DEFAULT_WORKSPACE_API_VERSION = 'modelops/v1';

export const ADAPTIVE_KEYS = ['version', 'algorithm', 'central_store', 'persistence', 'database', 'user', 'workers', 'storage_connection'] as const;
/** `persistence`, `database` and `user` sit under `central_store` in the original's files (its CentralStoreConfig), at the run's top level in older ones of ours. */
export const CENTRAL_STORE_KEYS = ['kind', 'mode', 'host', 'port', 'persistence', 'database', 'user'] as const;
export const PERSISTENCE_KEYS = ['enabled', 'size', 'storageClass'] as const;
export const ADAPTIVE_WORKER_KEYS = ['image', 'replicas', 'resources', 'command'] as const;
export const ALGORITHMS = ['optuna', 'hyperopt', 'custom'] as const;
export const STORE_KINDS = ['postgres', 'redis', 'none'] as const;
export const STORE_MODES = ['in-cluster', 'external'] as const;

/** Top-level values that a section's legacy keys are compared with. */
export interface TopLevelValues {
  provider?: ProviderKind;
  resourceGroup?: string;
  username?: string;
  environment?: string;
}

export function readStorage(field: Field, top: TopLevelValues): StorageConfig | undefined {
  const storage = field.map([...STORAGE_KEYS, ...STORAGE_LEGACY_KEYS], 'storage: { sku: Standard_LRS }');
  if (!storage) return undefined;
  const config: StorageConfig = { sku: storage.get('sku').enumOf(STORAGE_SKUS) ?? 'Standard_LRS' };
  const nameField = storage.get('account_name');
  const accountName = nameField.string('account_name: modelopsdevstore');
  if (accountName !== undefined) {
    config.accountName = accountName;
    const issue = checkStorageAccountName(accountName);
    if (issue) nameField.error('invalid-storage-account-name', `\`storage.account_name\`: ${issue}`);
  }
  const locationField = storage.get('location');
  const location = locationField.string('location: eastus2');
  if (location !== undefined) {
    config.location = location;
    const issue = checkLocation(location);
    if (issue) locationField.warn('invalid-location', `\`storage.location\`: ${issue}`);
  }
  readStorageLegacyKeys(storage, top);
  readExistingAccount(storage, config, top.provider);
  return config;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `provider: kubernetes` uses an account you already have: its connection string, or the variable holding it. */
function readExistingAccount(storage: MapReader, config: StorageConfig, provider: ProviderKind | undefined): void {
  const literal = storage.get('connection_string');
  const variable = storage.get('connection_string_env');
  if (provider !== 'kubernetes') {
    for (const field of [literal, variable]) {
      if (field.exists) field.warnAtKey('unused-key', `\`storage.${field.keyName}\` only applies with \`provider: kubernetes\` (an account you already have); with \`provider: ${provider ?? 'azure'}\` the storage component creates the account. Remove it.`);
    }
    return;
  }
  for (const key of ['account_name', 'sku', 'location'] as const) {
    const field = storage.get(key);
    if (field.exists) field.warnAtKey('unused-key', `\`storage.${key}\` is ignored with \`provider: kubernetes\`: the account is the one the connection string names. Remove it.`);
  }
  const text = literal.string('connection_string: "UseDevelopmentStorage=true"');
  const name = variable.string('connection_string_env: MODELOPS_STORAGE_CONNECTION_STRING');
  if (text === undefined && name === undefined) {
    if (!literal.exists && !variable.exists) storage.field.missing('with `provider: kubernetes`, the account to use: `connection_string_env` (the variable that holds its connection string) or `connection_string`', 'storage: { connection_string_env: MODELOPS_STORAGE_CONNECTION_STRING }');
    return;
  }
  if (text !== undefined && name !== undefined) {
    variable.warnAtKey('unused-key', '`storage.connection_string_env` is ignored: `connection_string` is set too and wins. Keep one of them.');
  }
  if (text !== undefined) {
    const account = storageAccountOf(text);
    if ('problem' in account) literal.error('invalid-connection-string', `\`storage.connection_string\` is not an Azure Storage connection string: ${account.problem}. For Azurite write \`connection_string: "UseDevelopmentStorage=true"\`.`);
    else if (account.holdsSecret) literal.warn('secret-in-config', '`storage.connection_string` holds an account key or SAS in a file people share and commit. Put it in an environment variable and write `connection_string_env: MODELOPS_STORAGE_CONNECTION_STRING` instead.');
    config.connectionString = text;
    return;
  }
  if (!ENV_NAME.test(name!)) variable.error('invalid-env-name', `\`storage.connection_string_env\` is "${printable(name!)}"; it must be an environment variable's name (letters, digits and _, not starting with a digit), e.g. \`MODELOPS_STORAGE_CONNECTION_STRING\`.`);
  else config.connectionStringEnv = name;
}

/** The original StorageConfig's own keys: checked as it did, then reported as having no effect here. */
function readStorageLegacyKeys(storage: MapReader, top: TopLevelValues): void {
  const version = storage.get('version');
  const versionValue = version.int({}, 'version: 1');
  if (versionValue !== undefined && versionValue !== 1) version.error('invalid-version', `\`storage.version\` is ${versionValue}; the only version is 1. Write \`version: 1\` or remove it.`);
  const provider = storage.get('provider');
  provider.enumOf(['azure'] as const);
  const groupField = storage.get('resource_group');
  if (groupField.string() !== undefined) groupField.warnAtKey('unused-key', '`storage.resource_group` is ignored: the account goes into the resource group of the `resource-group` component (`modelops-{env}-rg[-{user}]`). Remove it.');
  for (const [key, topValue, topKey] of [['username', top.username, 'username']] as const) {
    const field = storage.get(key);
    const value = field.string();
    if (value !== undefined && value !== topValue) {
      field.warnAtKey('unused-key', `\`storage.${key}\` is ignored; the top-level \`${topKey}\`${topValue ? ` ("${topValue}")` : ''} is used for every component. Remove it${topValue ? '' : ` and set \`${topKey}: ${value}\` at the top level`}.`);
    }
  }
}

export function readRegistry(field: Field): RegistryConfig | undefined {
  const registry = field.map([...REGISTRY_KEYS, ...REGISTRY_LEGACY_KEYS], 'registry: { sku: Standard }');
  if (!registry) return undefined;
  const config: RegistryConfig = {
    sku: registry.get('sku').enumOf(REGISTRY_SKUS) ?? 'Standard',
    perUserRegistry: registry.get('per_user_registry').bool() ?? true,
    grantClusterPull: registry.get('grant_cluster_pull').bool() ?? true,
    bundleRepo: registry.get('bundle_repo').string('bundle_repo: modelops-bundles') ?? DEFAULT_BUNDLE_REPO,
  };
  const name = registry.get('name').string('name: modelops-registry');
  if (name !== undefined) config.name = name;
  const registryNameField = registry.get('registry_name');
  const registryName = registryNameField.string('registry_name: modelopsacr');
  if (registryName !== undefined) {
    const issue = checkAcrName(registryName);
    if (issue) registryNameField.error('invalid-acr-name', `\`registry.registry_name\`: ${issue}`);
    config.registryName = registryName;
  }
  for (const key of REGISTRY_LEGACY_KEYS) {
    const legacy = registry.get(key);
    if (legacy.exists) legacy.warnAtKey('unused-key', `\`registry.${key}\` is ignored: ${REGISTRY_LEGACY_REASON[key]} Remove it.`);
  }
  return config;
}

const REGISTRY_LEGACY_REASON: Record<(typeof REGISTRY_LEGACY_KEYS)[number], string> = {
  provider: 'the registry is always an Azure Container Registry.',
  use_existing_rg: 'the registry always goes into the resource group of the `resource-group` component.',
  subscription_id: 'the top-level `subscription_id` is used.',
  location: 'the top-level `location` is used.',
  resource_group: 'the registry goes into the resource group of the `resource-group` component (`modelops-{env}-rg[-{user}]`).',
  username: 'the top-level `username` is used.',
};

export function readWorkspace(field: Field, provider: ProviderKind | undefined): WorkspaceConfig | undefined {
  const workspace = field.map(WORKSPACE_KEYS, 'workspace: { kind: Workspace, metadata: { name: default }, spec: {} }');
  if (!workspace) return undefined;
  const kindField = workspace.get('kind');
  kindField.enumOf(['Workspace'] as const);
  const config: WorkspaceConfig = {
    apiVersion: workspace.get('apiVersion').string('apiVersion: modelops/v1') ?? DEFAULT_WORKSPACE_API_VERSION,
    kind: 'Workspace',
    metadata: readWorkspaceMetadata(workspace.get('metadata')),
    spec: readWorkspaceSpec(workspace.get('spec'), provider),
  };
  return config;
}

function readWorkspaceMetadata(field: Field): WorkspaceConfig['metadata'] {
  if (!field.exists) {
    field.missing('with the workspace `name`', 'metadata: { name: default }');
    return { name: '' };
  }
  const metadata = field.map(undefined, 'metadata: { name: default }');
  if (!metadata) return { name: '' };
  const name = metadata.get('name').requiredString('the workspace name', 'name: default');
  const result: WorkspaceConfig['metadata'] = { ...toRecord(field.plain()), name: name ?? '' };
  delete result.namespace;
  const namespaceField = metadata.get('namespace');
  const namespace = namespaceField.string('namespace: modelops-dask-dev');
  if (namespace !== undefined) {
    result.namespace = namespace;
    const issue = checkDnsLabel(namespace);
    if (issue) namespaceField.error('invalid-namespace', `\`workspace.metadata.namespace\`: ${issue}`);
  }
  return result;
}

const DEFAULT_IMAGES = {
  scheduler: 'ghcr.io/institutefordiseasemodeling/modelops-dask-scheduler:latest',
  workers: 'ghcr.io/institutefordiseasemodeling/modelops-dask-worker:latest',
} as const;

/** Free-form, except that the Azure programs need the scheduler and worker images (the original has no defaults). */
function readWorkspaceSpec(field: Field, provider: ProviderKind | undefined): Record<string, unknown> {
  const spec = field.map(undefined, `spec: { scheduler: { image: ${DEFAULT_IMAGES.scheduler} }, workers: { image: ${DEFAULT_IMAGES.workers} } }`);
  if (field.exists && !spec) return {};
  for (const part of ['scheduler', 'workers'] as const) {
    const partField = spec?.get(part);
    const partMap = partField?.map(undefined, `${part}: { image: ${DEFAULT_IMAGES[part]} }`);
    if (partField?.exists && !partMap) continue;
    const imageField = partMap?.get('image');
    imageField?.string(`image: ${DEFAULT_IMAGES[part]}`);
    if (provider === 'local' || provider === undefined || imageField?.isSet) continue;
    const firstMissing = !field.exists || !partField ? field : !partField.exists || !imageField ? partField : imageField;
    firstMissing.missing(`the ${part} image, needed with \`provider: ${provider}\``, `${part}: { image: ${DEFAULT_IMAGES[part]} }`);
  }
  if (spec) checkWorkspaceSpec(spec, provider);
  return spec ? toRecord(field.plain()) : {};
}

function toRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
}

/** Run names become part of a stack (`modelops-adaptive-<env>-<run>`) and a namespace of the same name. */
export function readAdaptive(field: Field, environment: string, provider: ProviderKind | undefined): Record<string, AdaptiveConfig> {
  const runs: Record<string, AdaptiveConfig> = {};
  const map = field.map(undefined, 'adaptive: { default: { algorithm: optuna } }');
  if (!map) return runs;
  for (const run of map.fields()) {
    checkRunName(run, environment);
    const config = readAdaptiveRun(run, provider);
    if (config) Object.defineProperty(runs, run.keyName, { value: config, enumerable: true, writable: true, configurable: true });
  }
  return runs;
}

function checkRunName(run: Field, environment: string): void {
  const name = printable(run.keyName);
  const namespace = `modelops-adaptive-${environment}-${name}`;
  if (!isDnsLabel(name)) {
    run.errorAtKey('invalid-run-name', `Adaptive run name "${name}" must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit): it names the stack and namespace ${namespace}. Use "${toDnsLabel(name)}".`);
  } else if (namespace.length > 63) {
    const room = Math.max(1, 63 - (namespace.length - name.length));
    run.errorAtKey('invalid-run-name', `Adaptive run name "${name}" makes the namespace "${namespace}" (${namespace.length} characters), over Kubernetes' 63. Use at most ${room} characters, e.g. "${toDnsLabel(name, room)}".`);
  }
}

function readAdaptiveRun(run: Field, provider: ProviderKind | undefined): AdaptiveConfig | undefined {
  const adaptive = run.map(ADAPTIVE_KEYS, `${run.keyName}: { algorithm: optuna }`);
  if (!adaptive) return undefined;
  const version = adaptive.get('version');
  const versionValue = version.int({}, 'version: 1');
  if (versionValue !== undefined && versionValue !== 1) version.error('invalid-version', `\`${version.label}\` is ${versionValue}; the only version is 1. Write \`version: 1\` or remove it.`);
  const storageConnection = adaptive.get('storage_connection');
  if (storageConnection.exists) storageConnection.warnAtKey('unused-key', `\`${storageConnection.label}\` is ignored: runs read the connection string from the storage stack. Remove it.`);
  const storeMap = adaptive.get('central_store').map(CENTRAL_STORE_KEYS, 'central_store: { kind: postgres, mode: in-cluster }');
  const inStore = (key: 'persistence' | 'database' | 'user') => storeOrRun(storeMap?.get(key), adaptive.get(key));
  return {
    algorithm: adaptive.get('algorithm').enumOf(ALGORITHMS) ?? 'optuna',
    centralStore: readCentralStore(storeMap),
    persistence: readPersistence(inStore('persistence')),
    database: inStore('database').string('database: optuna') ?? 'optuna',
    user: inStore('user').string('user: optuna_user') ?? 'optuna_user',
    workers: readAdaptiveWorkers(adaptive.get('workers'), provider),
  };
}

/** The key under `central_store` (where the original reads it), else at the run's top level; both set: the first wins and the other is flagged. */
function storeOrRun(inStore: Field | undefined, atRun: Field): Field {
  if (!inStore?.exists) return atRun;
  if (atRun.exists) {
    atRun.warnAtKey('unused-key', `\`${atRun.label}\` is ignored: \`${inStore.label}\` sets it, and that is where the original modelops reads it. Remove this one.`, { related: [inStore.related(`\`${inStore.label}\``)] });
  }
  return inStore;
}

function readCentralStore(map: MapReader | undefined): AdaptiveConfig['centralStore'] {
  const store: AdaptiveConfig['centralStore'] = { kind: 'postgres', mode: 'in-cluster' };
  if (!map) return store;
  store.kind = map.get('kind').enumOf(STORE_KINDS) ?? store.kind;
  const modeField = map.get('mode');
  store.mode = modeField.enumOf(STORE_MODES) ?? store.mode;
  const host = map.get('host').string('host: postgres.example.com');
  const port = map.get('port').int({ min: 1, max: 65535 }, 'port: 5432');
  if (host !== undefined) store.host = host;
  if (port !== undefined) store.port = port;
  if (store.mode === 'external') {
    const missing = [map.get('host').isSet ? undefined : 'host', map.get('port').isSet ? undefined : 'port'].filter((k): k is string => k !== undefined);
    if (missing.length > 0) {
      modeField.error('missing-required', `\`mode: external\` needs ${missing.map((k) => `\`${k}\``).join(' and ')} of the external store. Add ${missing.map((k) => (k === 'host' ? '`host: postgres.example.com`' : '`port: 5432`')).join(' and ')} under \`central_store\`, or use \`mode: in-cluster\`.`);
    }
  }
  return store;
}

function readPersistence(field: Field): AdaptiveConfig['persistence'] {
  const persistence = { enabled: true, size: '10Gi', storageClass: 'managed-csi' };
  const map = field.map(PERSISTENCE_KEYS, 'persistence: { size: 10Gi }');
  if (!map) return persistence;
  persistence.enabled = map.get('enabled').bool() ?? persistence.enabled;
  const sizeField = map.get('size');
  const size = sizeField.string('size: 10Gi');
  if (size !== undefined) {
    const issue = checkQuantity(size);
    if (issue) sizeField.error('invalid-quantity', `\`${sizeField.label}\`: ${issue}`);
    else persistence.size = size;
  }
  persistence.storageClass = map.get('storageClass').string('storageClass: managed-csi') ?? persistence.storageClass;
  return persistence;
}

const ADAPTIVE_WORKER_IMAGE_EXAMPLE = 'image: myregistry.azurecr.io/adaptive-worker:1.0';

/**
 * With a cluster, the workers' image is required: the original's default
 * (ghcr.io/institutefordiseasemodeling/modelops-adaptive-worker) is not built by its CI (which
 * builds the scheduler, worker and runner images), so its pods never started (ErrImagePull).
 */
function readAdaptiveWorkers(field: Field, provider: ProviderKind | undefined): AdaptiveConfig['workers'] {
  const workers: AdaptiveConfig['workers'] = { replicas: 2 };
  const needsImage = provider === 'azure' || provider === 'kubernetes';
  const why = `the adaptive workers' image, needed with \`provider: ${provider}\`: the original's default modelops-adaptive-worker image was never published`;
  const map = field.map(ADAPTIVE_WORKER_KEYS, 'workers: { replicas: 2 }');
  if (!map) {
    if (needsImage && !field.exists) field.missing(why, `workers: { ${ADAPTIVE_WORKER_IMAGE_EXAMPLE} }`);
    return workers;
  }
  const imageField = map.get('image');
  const image = imageField.string(ADAPTIVE_WORKER_IMAGE_EXAMPLE);
  if (image !== undefined) workers.image = image;
  else if (needsImage && !imageField.isSet) imageField.missing(why, ADAPTIVE_WORKER_IMAGE_EXAMPLE);
  workers.replicas = map.get('replicas').int({ min: 1, max: 100 }, 'replicas: 2') ?? workers.replicas;
  const resources = map.get('resources');
  if (resources.isSet) {
    if (isMap(resources.node)) workers.resources = toRecord(resources.plain());
    else resources.wrongType('a mapping like { requests: { cpu: 100m } }', 'resources: { requests: { cpu: 100m, memory: 256Mi } }');
  }
  const command = readCommand(map.get('command'));
  if (command !== undefined) workers.command = command;
  return workers;
}

function readCommand(field: Field): string[] | string | undefined {
  if (!field.isSet) return undefined;
  if (isScalar(field.node) && typeof field.node.value === 'string') return field.node.value;
  if (isSeq(field.node)) return field.stringList('command: [python, -m, modelops.adaptive.worker]');
  field.wrongType('text or a list of text', 'command: [python, -m, modelops.adaptive.worker]');
  return undefined;
}
