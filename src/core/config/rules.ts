/**
 * The validation rules of `azure.yaml`: the original Python system's (pydantic
 * models and component code) plus Azure's own naming limits, applied section by
 * section while the typed config is built.
 */
import { componentsFor } from '../components';
import { clusterUsername, resourceGroupNameFor } from '../names';
import { readAcr, readAks, readSsh } from './cluster';
import { readKubernetes } from './kubernetes';
import { checkLocation, checkResourceGroupName, checkSubscriptionId, isPlaceholderSubscriptionId } from './naming';
import { ComponentNames, readDependsOn, readEnvironment, readLocal, readPulumi } from './project';
import type { Field, MapReader } from './reader';
import { readAdaptive, readRegistry, readStorage, readWorkspace } from './services';
import { didYouMean } from './suggest';
import type { InfraConfig, ProviderKind } from './types';


export const TOP_LEVEL_KEYS = [
  'provider',
  'subscription_id',
  'location',
  'resource_group',
  'username',
  'aks',
  'acr',
  'ssh',
  'ssh_public_key',
  'storage',
  'registry',
  'workspace',
  'adaptive',
  'environment',
  'pulumi',
  'depends_on',
  'local',
  'kubernetes',
] as const;

export const PROVIDERS: readonly ProviderKind[] = ['azure', 'kubernetes', 'local'];
export const DEFAULT_LOCATION = 'eastus2';
export const DEFAULT_ENVIRONMENT = 'dev';

/**
 * Builds the typed config from the top-level mapping; undefined when `provider` is missing or
 * invalid. `outside`: what a file of the original's keeps outside these keys (unified.ts).
 */
export function readInfraConfig(root: Field, outside: { username?: string; environment?: string } = {}): InfraConfig | undefined {
  const top = root.map();
  if (!top) return undefined;
  const provider = readProvider(top.get('provider'));
  const environment = readEnvironment(top.get('environment')) ?? outside.environment;
  const username = readUsername(top.get('username')) ?? outside.username;
  const resourceGroup = readResourceGroup(top.get('resource_group'));
  const subscriptionId = readSubscriptionId(top.get('subscription_id'), provider);
  const aks = readAks(top.get('aks'));
  requireForAzure(top, provider);
  warnAzureOnlyKeys(top, provider);
  warnUnusedSshPublicKey(top.get('ssh_public_key'));

  const config: InfraConfig = {
    provider: provider ?? 'local',
    location: readLocation(top.get('location')),
    adaptive: readAdaptive(top.get('adaptive'), environment ?? DEFAULT_ENVIRONMENT, provider),
    pulumi: readPulumi(top.get('pulumi')),
    dependsOn: {},
    local: { faults: {} },
  };
  assignDefined(config, {
    subscriptionId,
    resourceGroup,
    username,
    environment,
    aks,
    acr: readAcr(top.get('acr')),
    ssh: readSsh(top.get('ssh')),
    kubernetes: readKubernetes(top.get('kubernetes'), provider),
    storage: readStorage(top.get('storage'), { provider, resourceGroup, username, environment }),
    registry: readRegistry(top.get('registry')),
    workspace: readWorkspace(top.get('workspace'), provider),
  });
  noteDerivedNames(top, config, environment ?? DEFAULT_ENVIRONMENT);
  // Graph names depend on which sections exist, so these come last.
  const names = new ComponentNames(componentsFor(config, environment ?? DEFAULT_ENVIRONMENT).map((c) => c.name));
  config.dependsOn = readDependsOn(top.get('depends_on'), names);
  config.local = readLocal(top.get('local'), provider, names);
  // Last, so a file full of unknown keys cannot push the real errors past the problem limit.
  top.reportUnknownKeys(TOP_LEVEL_KEYS, {
    environment: `Without \`environment\` every command uses "${DEFAULT_ENVIRONMENT}" (or --env), so an Up would create a second environment. Fix the spelling.`,
  });
  return provider === undefined ? undefined : config;
}

function assignDefined<T extends object>(target: T, values: Partial<T>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
}

function readProvider(field: Field): ProviderKind | undefined {
  if (!field.isSet) {
    field.missing('`azure`, `kubernetes` or `local`', 'provider: local');
    return undefined;
  }
  const value = field.string('provider: azure');
  if (value === undefined) return undefined;
  if ((PROVIDERS as readonly string[]).includes(value)) return value as ProviderKind;
  field.error('invalid-provider', `\`provider\` is "${value}"; it must be \`azure\` (provision in Azure), \`kubernetes\` (a cluster you already have) or \`local\` (everything on this machine, no cloud).${didYouMean(value, PROVIDERS)}`);
  return undefined;
}

function readSubscriptionId(field: Field, provider: ProviderKind | undefined): string | undefined {
  if (!field.isSet) {
    if (provider === 'azure') {
      field.ctx.problems.warn('missing-subscription-id', field.keyRange(), 'No `subscription_id`: the AZURE_SUBSCRIPTION_ID environment variable must be set when this runs. Add `subscription_id: <GUID>` (`az account show --query id -o tsv`) or export AZURE_SUBSCRIPTION_ID.');
    }
    return undefined;
  }
  const value = field.string('subscription_id: "12345678-90ab-cdef-1234-567890abcdef"');
  if (value === undefined) return undefined;
  if (isPlaceholderSubscriptionId(value)) {
    field.error('placeholder-subscription-id', `\`subscription_id\` is the placeholder "${value}". Replace it with your subscription's GUID (\`az account show --query id -o tsv\`), or remove it and export AZURE_SUBSCRIPTION_ID.`);
    return value;
  }
  const issue = checkSubscriptionId(value);
  if (issue) field.error('invalid-subscription-id', `\`subscription_id\`: ${issue}`);
  return value;
}

function readResourceGroup(field: Field): string | undefined {
  const value = field.string('resource_group: modelops-rg');
  if (value === undefined) return undefined;
  const issue = checkResourceGroupName(value);
  if (issue) field.error('invalid-resource-group-name', `\`resource_group\`: ${issue}`);
  return value;
}

function readUsername(field: Field): string | undefined {
  const value = field.string('username: alice');
  // Empty: names without a user part (`modelops-dev-rg`), as stacks made before the user name was found elsewhere have them.
  if (value === undefined || value === '') return value;
  const kept = clusterUsername(value);
  if (kept !== value) {
    field.warn('username-sanitised', `\`username\` "${value}" becomes "${kept}" in resource names (lowercase letters, digits and '-', at most 20; the storage account, resource group and registry drop '-' too, as the original's do). Write \`username: ${kept}\` to make that explicit.`);
  }
  return value;
}

function readLocation(field: Field): string {
  const value = field.string('location: eastus2');
  if (value === undefined) return DEFAULT_LOCATION;
  const issue = checkLocation(value);
  if (issue) field.warn('invalid-location', `\`location\`: ${issue}`);
  return value;
}

function requireForAzure(top: MapReader, provider: ProviderKind | undefined): void {
  if (provider !== 'azure') return;
  const providerField = top.get('provider');
  const required: Array<[string, string]> = [
    ['aks', 'aks: { name: modelops-cluster, node_pools: [{ name: system, vm_size: Standard_B2s, mode: System, count: 1 }] }'],
  ];
  for (const [key, example] of required) {
    const field = top.get(key);
    if (field.isSet || (field.exists && key === 'aks')) continue;
    const at = field.exists ? field : providerField;
    at.ctx.problems.add('missing-required', at.keyRange(), `\`${key}\` is required with \`provider: azure\`. Add it, for example: \`${example}\`; or use \`provider: local\` to run without a cloud.`);
  }
}

/** With a cluster you already have, nothing is created in Azure: the Azure sections have no effect. */
const AZURE_ONLY_KEYS = ['aks', 'acr', 'registry', 'ssh', 'resource_group', 'subscription_id'] as const;

/**
 * Top-level sections the reader flags `unused-key` with `provider` (here and in kubernetes.ts,
 * project.ts), so completion does not offer them. With `provider: local` the Azure sections stay:
 * they shape the local stand-ins (resource group, registry, cluster).
 */
export function sectionsWithoutEffect(provider: ProviderKind | undefined): readonly string[] {
  if (provider === 'kubernetes') return AZURE_ONLY_KEYS;
  if (provider === 'local') return ['kubernetes'];
  if (provider === 'azure') return ['local'];
  return [];
}

function warnAzureOnlyKeys(top: MapReader, provider: ProviderKind | undefined): void {
  if (provider !== 'kubernetes') return;
  for (const key of AZURE_ONLY_KEYS) {
    const field = top.get(key);
    if (field.exists) field.warnAtKey('unused-key', `\`${key}\` is ignored with \`provider: kubernetes\`: nothing is created in Azure, the cluster is the one \`kubernetes\` names. Remove it, or use \`provider: azure\`.`);
  }
}

/** `resource_group` and `acr.name` are read but, as in the original, not the Azure names: say which names are. */
function noteDerivedNames(top: MapReader, config: InfraConfig, env: string): void {
  const info = { severity: 'info' } as const;
  // Without `username` here, the user name is found when a run starts (as the original finds it): name the pattern.
  const known = config.username !== undefined;
  const group = top.get('resource_group');
  if (config.resourceGroup !== undefined) {
    const name = known ? `\`${resourceGroupNameFor(config, env)}\`` : `\`modelops-${env}-rg-{user}\` (\`validate\` names the user)`;
    group.ctx.problems.add('derived-name', group.keyRange(), `The resource group of environment "${env}" is ${name}: each environment gets its own (\`modelops-{env}-rg[-{user}]\`, as the original named it), so two environments of this file never share, or destroy, one group. \`resource_group\` is not used as the name.`, info);
  }
  if (config.acr?.name !== undefined && config.registry?.registryName === undefined) {
    const name = top.get('acr').map()!.get('name');
    name.ctx.problems.add('derived-name', name.keyRange(), `The registry of environment "${env}" is not named by \`acr.name\`: registry names are global, so each environment (and user, in dev and staging) gets its own, as in the original, and a new one also carries the subscription (\`validate\` names it; an existing registry keeps its name). To pin one name, set \`registry: { registry_name: … }\`.`, info);
  }
}

function warnUnusedSshPublicKey(field: Field): void {
  if (!field.exists) return;
  field.warnAtKey('unused-key', '`ssh_public_key` is accepted for compatibility but never read (the original ignored it too). Move the key to `ssh: { public_key: "ssh-rsa …" }` or use `ssh: { public_key_path: ~/.ssh/id_rsa.pub }`.');
}
