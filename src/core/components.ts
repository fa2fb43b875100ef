/**
 * The components of ModelOps infrastructure: their Pulumi names (as the original
 * Python system named them, so existing stacks are found), the stack outputs each
 * one exports, and which outputs each one reads from the others.
 */
import type { ConfigPath, InfraConfig, ProviderKind } from './config/types';
import { adaptiveNamespace, clusterName, registryNameFor, resourceGroupNameFor, storageAccountNameFor, workspaceNamespace } from './names';
import { ownerOf } from './ownership';

export type ComponentKind = 'resource-group' | 'registry' | 'cluster' | 'storage' | 'workspace' | 'adaptive';

export interface OutputSpec {
  name: string;
  secret: boolean;
}

/** What one component reads from another (a StackReference in its program). */
export interface OutputUse {
  from: string;
  outputs: string[];
}

export interface Component {
  /** `resource-group`, `registry`, `cluster`, `storage`, `workspace` or `adaptive-<run>`. */
  name: string;
  kind: ComponentKind;
  /** Adaptive run name. */
  run?: string;
  project: string;
  stack: string;
  /** `organization/<project>/<stack>`: what StackReferences on a file backend must use. */
  reference: string;
  /** Folder under `~/.modelops/pulumi/` that holds its Pulumi.yaml, as in the original. */
  workDirName: string;
  /** Outputs that must be present and non-empty for the component to be ready. */
  requiredOutputs: OutputSpec[];
  /** Outputs this component's program reads from the components it depends on. */
  uses: OutputUse[];
  /** The config section that owns this component (where its diagnostics go). */
  configPath: ConfigPath;
  /** What destroying its stack loses, named in every destroy confirmation; none when nothing is lost. */
  holdsData?: string;
  /** `<env>/<name>`: what every update records as the stack's owner (src/core/ownership.ts). */
  owner: string;
}

export const PROJECT_PREFIX = 'modelops';
/** A file backend accepts only this organization in stack references. */
export const FILE_BACKEND_ORG = 'organization';

const out = (name: string, secret = false): OutputSpec => ({ name, secret });

/** Stack outputs each kind exports that its dependents or users need (names from the original). */
export const REQUIRED_OUTPUTS: Record<ComponentKind, OutputSpec[]> = {
  'resource-group': [out('resource_group_name'), out('resource_group_id'), out('location')],
  registry: [
    out('login_server'),
    out('registry_name'),
    out('registry_id'),
    out('bundles_pull_username'),
    out('bundles_pull_password', true),
  ],
  cluster: [out('kubeconfig', true), out('cluster_name'), out('resource_group'), out('location')],
  // sas_connection_string is exported too, for readers outside the environment, but nothing needs it:
  // the original never exported it (only its component had it), and its storage works.
  storage: [out('account_name'), out('connection_string', true), out('primary_endpoint')],
  workspace: [out('scheduler_address'), out('dashboard_url'), out('namespace')],
  adaptive: [out('namespace'), out('scheduler_address'), out('workers_name')],
};

/**
 * With `provider: kubernetes` the cluster and the storage account are ones you already have: the
 * cluster component exports what it read from the kubeconfig, storage what its connection string names.
 */
const KUBERNETES_REQUIRED_OUTPUTS: Partial<Record<ComponentKind, OutputSpec[]>> = {
  cluster: [out('kubeconfig', true), out('cluster_name'), out('server')],
  storage: [out('account_name'), out('connection_string', true), out('primary_endpoint')],
};

export function requiredOutputsOf(kind: ComponentKind, provider: ProviderKind): OutputSpec[] {
  return (provider === 'kubernetes' ? KUBERNETES_REQUIRED_OUTPUTS[kind] : undefined) ?? REQUIRED_OUTPUTS[kind];
}

const DATA_HELD_BY: Partial<Record<ComponentKind, string>> = {
  storage: 'holds data: the storage account and its blob containers (bundles, results, jobs)',
  registry: 'holds data: the container images pushed to the registry',
  adaptive: "holds data: the run's study database",
};

/**
 * What a component's stack holds that is lost when it is destroyed (named in every destroy
 * confirmation). Under `provider: kubernetes` storage is an account you already have: its stack
 * only names it, and destroying the stack deletes nothing.
 */
export function dataHeldBy(kind: ComponentKind, provider: ProviderKind): string | undefined {
  return provider === 'kubernetes' && kind === 'storage' ? undefined : DATA_HELD_BY[kind];
}

/** Output names that are secret whatever a stack says (the original exported some in plain text). */
const SECRET_NAME = /kubeconfig|connection_string|password|secret|token|credential|dsn|(^|_)key($|_)/i;

export function isSecretOutputName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function projectName(kind: ComponentKind): string {
  // The cluster's Pulumi project has always been `modelops-infra`.
  return `${PROJECT_PREFIX}-${kind === 'cluster' ? 'infra' : kind}`;
}

export function stackName(kind: ComponentKind, env: string, run?: string): string {
  return run === undefined ? `${projectName(kind)}-${env}` : `${projectName(kind)}-${env}-${run}`;
}

export function stackReference(kind: ComponentKind, env: string, run?: string): string {
  return `${FILE_BACKEND_ORG}/${projectName(kind)}/${stackName(kind, env, run)}`;
}

function workDirName(kind: ComponentKind, run?: string): string {
  if (kind === 'cluster') return 'infra';
  return run === undefined ? kind : `${kind}/${run}`;
}

function makeComponent(kind: ComponentKind, env: string, configPath: ConfigPath, uses: OutputUse[], provider: ProviderKind, run?: string): Component {
  const holdsData = dataHeldBy(kind, provider);
  const name = run === undefined ? kind : `adaptive-${run}`;
  return {
    name,
    kind,
    run,
    project: projectName(kind),
    stack: stackName(kind, env, run),
    reference: stackReference(kind, env, run),
    workDirName: workDirName(kind, run),
    requiredOutputs: requiredOutputsOf(kind, provider),
    uses,
    configPath,
    ...(holdsData ? { holdsData } : {}),
    owner: ownerOf(env, { name }),
  };
}

/**
 * The components a config describes, with the outputs each reads from the others
 * (the real data flow of the original programs, without its soft cluster↔registry cycle).
 */
export function componentsFor(config: InfraConfig, env: string): Component[] {
  const { provider } = config;
  // A cluster you already have (`provider: kubernetes`) comes with no resource group or registry of ours.
  const inAzure = provider !== 'kubernetes';
  const hasResourceGroup = provider === 'azure' || (inAzure && config.resourceGroup !== undefined);
  const hasRegistry = inAzure && (config.registry !== undefined || config.acr !== undefined);
  const components: Component[] = [];
  const make = (kind: ComponentKind, configPath: ConfigPath, uses: OutputUse[], run?: string) => components.push(makeComponent(kind, env, configPath, uses, provider, run));
  const rg: OutputUse[] = hasResourceGroup ? [{ from: 'resource-group', outputs: ['resource_group_name', 'location'] }] : [];

  if (hasResourceGroup) make('resource-group', ['resource_group'], []);
  if (hasRegistry) make('registry', [config.registry ? 'registry' : 'acr'], rg);
  const clusterUses = hasRegistry ? [...rg, { from: 'registry', outputs: ['registry_id'] }] : rg;
  make('cluster', clusterConfigPath(config), clusterUses);
  if (config.storage) make('storage', ['storage'], rg);
  if (config.workspace) {
    const uses: OutputUse[] = [{ from: 'cluster', outputs: ['kubeconfig'] }];
    if (config.storage) uses.push({ from: 'storage', outputs: ['connection_string', 'account_name'] });
    if (hasRegistry) uses.push({ from: 'registry', outputs: ['login_server', 'bundles_pull_username', 'bundles_pull_password'] });
    make('workspace', ['workspace'], uses);
  }
  for (const run of Object.keys(config.adaptive)) {
    const uses: OutputUse[] = [{ from: 'cluster', outputs: ['kubeconfig'] }];
    if (config.workspace) uses.push({ from: 'workspace', outputs: ['scheduler_address', 'namespace'] });
    if (config.storage) uses.push({ from: 'storage', outputs: ['connection_string', 'account_name'] });
    make('adaptive', ['adaptive', run], uses, run);
  }
  return components;
}

function clusterConfigPath(config: InfraConfig): ConfigPath {
  if (config.provider === 'kubernetes') return config.kubernetes ? ['kubernetes'] : ['provider'];
  return config.aks ? ['aks'] : ['provider'];
}

/** Canonical component name for what a user typed (`resource_group` → `resource-group`, `infra` → `cluster`). */
export function canonicalComponentName(name: string): string {
  const hyphenated = name.trim().toLowerCase().replace(/_/g, '-');
  return hyphenated === 'infra' ? 'cluster' : hyphenated;
}

/**
 * What a component's program names on Azure (or in the cluster), as the user would look it up:
 * `AKS cluster modelops-dev-aks-11c8`. `validate` says it, so the names can be checked before
 * the first `up` makes them.
 */
export function physicalNameOf(config: InfraConfig, component: Pick<Component, 'kind' | 'run'>, env: string, global: { existing?: string; subscription?: string } = {}): string {
  // A new stack's global names have the subscription in them; an existing stack keeps the name it has.
  const kept = global.existing ? " (its stack's name, kept)" : '';
  switch (component.kind) {
    case 'resource-group':
      return `resource group ${resourceGroupNameFor(config, env)}`;
    case 'registry':
      return `container registry ${registryNameFor(config, env, global)}${config.registry?.registryName ? '' : kept}`;
    case 'cluster':
      return `AKS cluster ${clusterName(env, config.username)} in resource group ${resourceGroupNameFor(config, env)}`;
    case 'storage':
      return `storage account ${storageAccountNameFor(config, env, global)}${config.storage?.accountName ? '' : kept}`;
    case 'workspace':
      return `namespace ${workspaceNamespace(env, config.workspace?.metadata.namespace)}`;
    case 'adaptive':
      return `namespace ${adaptiveNamespace(env, component.run ?? 'default')}`;
  }
}
