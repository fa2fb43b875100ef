/**
 * Runs one Azure program under Pulumi's mocks: resources and invokes are
 * recorded, StackReferences answer with the outputs a test gives for the
 * components it depends on.
 */
import * as pulumi from '@pulumi/pulumi';
import { strict as assert } from 'node:assert';
import { componentsFor } from '../../src/core/components';
import { parseConfig } from '../../src/core/config/parse';
import type { InfraConfig } from '../../src/core/config/types';
import type { ProgramContext } from '../../src/engine/programs/types';
import { lines, ORIGINAL_EXAMPLE, RSA_SSH_KEY } from '../fixtures';

export const SUBSCRIPTION = '12345678-90ab-cdef-1234-567890abcdef';
export const SSH_KEY = RSA_SSH_KEY;
export const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: []\n';
export const KUBELET_OBJECT_ID = '11111111-2222-3333-4444-555555555555';


/** The original's flat example (examples/providers/azure.yaml), with an inline SSH key instead of ~/.ssh/id_rsa.pub. */
export const FLAT_EXAMPLE = ORIGINAL_EXAMPLE.replace('  public_key_path: ~/.ssh/id_rsa.pub', `  public_key: "${SSH_KEY}"`);

/** The example without its `acr:` section (no registry component). */
export const withoutAcr = (text: string): string => text.replace(/acr:\n {2}name: modelopsacr\n {2}sku: Standard\n/, '');

export const SECTIONS = {
  registry: lines('registry:', '  sku: Basic'),
  storage: lines('storage:', '  sku: Standard_GRS', '  location: westeurope'),
  workspace: lines(
    'workspace:',
    '  kind: Workspace',
    '  metadata: { name: suite }',
    '  spec:',
    '    scheduler: { image: "ghcr.io/example/scheduler:1.2" }',
    '    workers:',
    '      image: "ghcr.io/example/worker:latest"',
    '      processes: 2',
    '      threads: 1',
    '      resources: { limits: { memory: 8Gi, cpu: "4" } }',
  ),
  adaptive: lines('adaptive:', '  default:', '    algorithm: optuna', '    persistence: { size: 5Gi }', '    workers: { image: ghcr.io/example/adaptive-worker:1.2 }'),
};

export function parse(text: string): InfraConfig {
  const parsed = parseConfig(text, '/work/azure.yaml');
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors.map((p) => `${p.code}: ${p.message}`), []);
  return parsed.config!;
}

export function contextFor(config: InfraConfig, component: string, env = 'dev'): ProgramContext {
  const components = componentsFor(config, env);
  const byName = new Map(components.map((c) => [c.name, c]));
  const target = byName.get(component);
  assert.ok(target, `no component ${component} in ${[...byName.keys()].join(', ')}`);
  return { component: target, componentsByName: byName, config, configFile: '/work/azure.yaml', env, modelopsHome: '/tmp/modelops-home' };
}

/** What each dependency's stack exports (secret ones listed as secret), as the orchestrator verified them. */
export function dependencyOutputs(env = 'dev'): Record<string, { outputs: Record<string, unknown>; secret: string[] }> {
  const rg = `modelops-rg`;
  return {
    'resource-group': { outputs: { resource_group_name: rg, resource_group_id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}`, location: 'eastus2' }, secret: [] },
    registry: {
      outputs: {
        login_server: `modelops${env}acralice.azurecr.io`,
        registry_name: `modelops${env}acralice`,
        registry_id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.ContainerRegistry/registries/modelops${env}acralice`,
        bundles_pull_username: 'acr-user',
        bundles_pull_password: 'acr-password',
      },
      secret: ['bundles_pull_password'],
    },
    cluster: { outputs: { kubeconfig: KUBECONFIG, cluster_name: 'aks', resource_group: rg, location: 'eastus2' }, secret: ['kubeconfig'] },
    storage: {
      outputs: { account_name: 'acct', connection_string: 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5', sas_connection_string: 'BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=1', primary_endpoint: 'https://acct.blob.core.windows.net/' },
      secret: ['connection_string', 'sas_connection_string'],
    },
    workspace: { outputs: { scheduler_address: `tcp://dask-scheduler.modelops-dask-${env}:8786`, namespace: `modelops-dask-${env}` }, secret: [] },
  };
}

/** The resource options the engine would act on (Pulumi's mocks pass only inputs to `newResource`). */
export interface MockOptions {
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  /** Logical names of the resources it explicitly depends on. */
  dependsOn: string[];
  additionalSecretOutputs: string[];
  /** The parent's URN ('' for none). */
  parent: string;
  /** The types its aliases name (an alias without a type keeps the resource's own). */
  aliasTypes: string[];
}

/** A registered resource: `inputs` with secrets unwrapped, `rawInputs` as the program sent them. */
export type MockResource = pulumi.runtime.MockResourceArgs & { rawInputs: Record<string, unknown>; options: MockOptions };

interface RegisterRequest {
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getType(): string;
  getName(): string;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getParent(): string;
  getAliasesList(): Array<{ getSpec(): { getType(): string } | undefined }>;
}

/** How the engine's wire format writes a value not known until the update (Pulumi's `UnknownStringValue`). */
const UNKNOWN_ON_THE_WIRE = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** The inputs as sent, unknowns shown as `UNKNOWN` (the mocks' deserialization drops them, and their keys). */
function withUnknowns(value: unknown): unknown {
  if (value === UNKNOWN_ON_THE_WIRE) return UNKNOWN;
  if (Array.isArray(value)) return value.map(withUnknowns);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnknowns(v)]));
}

/** Records each registration's options and wire inputs, keyed by type and name, before the mocks see its inputs. */
function recordOptions(options: Map<string, MockOptions & { wireInputs: unknown }>): void {
  const monitor = (require('@pulumi/pulumi/runtime/settings') as { getMonitor(): { registerResource(req: RegisterRequest, cb: unknown): unknown } }).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    options.set(`${req.getType()}::${req.getName()}`, {
      deleteBeforeReplace: req.getDeletebeforereplace(),
      ignoreChanges: req.getIgnorechangesList(),
      dependsOn: req.getDependenciesList().map((urn) => urn.split('::').pop() ?? urn),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      parent: req.getParent(),
      aliasTypes: req.getAliasesList().map((a) => a.getSpec()?.getType() ?? ''),
      wireInputs: withUnknowns(req.getObject()?.toJavaScript() ?? {}),
    });
    return register(req, cb);
  };
}

export interface Run {
  /** Exported outputs, resolved. */
  outputs: Record<string, unknown>;
  /** Names of exported outputs that are secret. */
  secrets: Set<string>;
  resources: MockResource[];
  calls: pulumi.runtime.MockCallArgs[];
  /** The stacks read through a StackReference, once per registration. */
  references: string[];
  /** The one resource with this type token and logical name. */
  resource(type: string, name?: string): MockResource;
  ofType(type: string): MockResource[];
}

const nameInput = (inputs: Record<string, unknown>): string | undefined =>
  (['resourceGroupName', 'resourceName', 'registryName', 'accountName', 'containerName'] as const).map((k) => inputs[k]).find((v): v is string => typeof v === 'string');

/** The state Azure would report back for a created resource. */
function stateOf(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  switch (args.type) {
    case 'azure-native:resources:ResourceGroup':
      return { ...inputs, name: inputs.resourceGroupName };
    case 'azure-native:containerregistry:Registry':
      return { ...inputs, name: inputs.registryName, loginServer: `${String(inputs.registryName)}.azurecr.io` };
    case 'azure-native:containerservice:ManagedCluster':
      return { ...inputs, name: inputs.resourceName, identityProfile: { kubeletidentity: { objectId: KUBELET_OBJECT_ID, clientId: 'client', resourceId: '/id' } } };
    case 'azure-native:storage:StorageAccount':
      return { ...inputs, name: inputs.accountName, primaryEndpoints: { blob: `https://${String(inputs.accountName)}.blob.core.windows.net/` } };
    case 'pulumi-nodejs:dynamic/modelops-azure:StablePassword':
      return { ...inputs, password: 'generated-password-0123456789' };
    default:
      return { ...inputs, name: nameInput(inputs) ?? args.name };
  }
}

function callResult(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
  switch (args.token) {
    case 'azure-native:containerregistry:listRegistryCredentials':
      return { username: 'acr-admin', passwords: [{ name: 'password', value: 'acr-secret' }, { name: 'password2', value: 'other' }] };
    case 'azure-native:containerservice:listManagedClusterUserCredentials':
      return { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(KUBECONFIG).toString('base64') }] };
    case 'azure-native:storage:listStorageAccountKeys':
      return { keys: [{ keyName: 'key1', value: 'c2VjcmV0LWtleQ==', permissions: 'FULL' }] };
    case 'azure-native:storage:listStorageAccountServiceSAS':
      return { serviceSasToken: `sv=2022-11-02&st=${String(args.inputs.sharedAccessStartTime)}&se=${String(args.inputs.sharedAccessExpiryTime)}&sp=rl&sig=abc` };
    default:
      throw new Error(`unexpected invoke ${args.token}`);
  }
}

/** What a preview shows for a value only known after the update. */
export const UNKNOWN = '<computed>';

async function resolve(value: unknown): Promise<{ value: unknown; secret: boolean }> {
  if (!pulumi.Output.isInstance(value)) return { value, secret: false };
  const secret = await pulumi.isSecret(value);
  // In a preview an output computed by Azure is unknown, and `apply` never runs for it.
  if (!(await (value as unknown as { isKnown: Promise<boolean> }).isKnown)) return { value: UNKNOWN, secret };
  return { value: await new Promise((r) => value.apply(r)), secret };
}

const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const SIG_KEY = '4dabf18193072939515e22adb298388d';

/** Mock inputs carry secrets as `{<sig>: <secret sig>, value}`; tests compare plain values. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record[SIG_KEY] === SECRET_SIG) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

export const isSecretValue = (value: unknown): boolean => value !== null && typeof value === 'object' && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;

const settings = require('@pulumi/pulumi/runtime/settings') as { waitForRPCs(): Promise<void> };

/** Runs the program of `ctx.component` as Pulumi would, with mocked Azure, Kubernetes and stack references. */
export interface RunOptions {
  config?: Record<string, string>;
  secretConfig?: string[];
  /** Changes to what the dependencies' stacks export (`dependencyOutputs`). */
  dependencies?: (outputs: ReturnType<typeof dependencyOutputs>) => void;
  /** What an invoke returns instead of `callResult`'s answer, by token. */
  callResults?: Record<string, Record<string, unknown>>;
  /** State fields Azure would report beyond `stateOf`'s, by resource type. */
  states?: Record<string, Record<string, unknown>>;
  /** A preview: what Azure and Kubernetes would compute (ids, names, endpoints, identities) is unknown. */
  preview?: boolean;
}

export async function run(ctx: ProgramContext, program: (ctx: ProgramContext, sdk: typeof pulumi) => () => Promise<Record<string, unknown>>, options: RunOptions = {}): Promise<Run> {
  const resources: MockResource[] = [];
  const calls: pulumi.runtime.MockCallArgs[] = [];
  const references: string[] = [];
  const outputs = dependencyOutputs(ctx.env);
  options.dependencies?.(outputs);
  const stacks = new Map(Object.entries(outputs).map(([name, o]) => [ctx.componentsByName.get(name)?.reference, o]));
  const registered = new Map<string, MockOptions & { wireInputs: unknown }>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (args.type === 'pulumi:pulumi:StackReference') {
          references.push(String(args.inputs.name));
          const stack = stacks.get(String(args.inputs.name));
          assert.ok(stack, `unexpected StackReference ${String(args.inputs.name)}`);
          return { id: String(args.inputs.name), state: { name: args.inputs.name, outputs: stack.outputs, secretOutputNames: stack.secret } };
        }
        const recorded = registered.get(`${args.type}::${args.name}`);
        assert.ok(recorded, `no options recorded for ${args.type} ${args.name}`);
        const { wireInputs, ...resourceOptions } = recorded;
        const inputs = options.preview ? (wireInputs as Record<string, unknown>) : args.inputs;
        const plainArgs = { ...args, inputs: unwrapSecrets(inputs) as Record<string, unknown>, rawInputs: inputs, options: resourceOptions };
        resources.push(plainArgs);
        if (options.preview) return { id: undefined, state: args.inputs };
        const state = { ...stateOf(plainArgs), ...options.states?.[args.type] };
        return { id: args.type.startsWith('azure-native:') ? `/subscriptions/${SUBSCRIPTION}/mock/${args.name}` : `${args.name}-id`, state };
      },
      call(args) {
        calls.push(args);
        return options.callResults?.[args.token] ?? callResult(args);
      },
    },
    ctx.component.project,
    ctx.component.stack,
    options.preview ?? false,
    'organization',
  );
  recordOptions(registered);
  const project = ctx.component.project;
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [`${project}:${k}`, v])), (options.secretConfig ?? []).map((k) => `${project}:${k}`));
  const exported = await program(ctx, pulumi)();
  const stackOutputs: Record<string, unknown> = {};
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(exported)) {
    const resolved = await resolve(value);
    stackOutputs[name] = resolved.value;
    if (resolved.secret) secrets.add(name);
  }
  await settings.waitForRPCs();
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    outputs: stackOutputs,
    secrets,
    resources,
    calls,
    references,
    ofType,
    resource(type, name) {
      const found = ofType(type).filter((r) => name === undefined || r.name === name);
      assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ''}, got ${found.map((r) => r.name).join(', ') || 'none'}`);
      return found[0];
    },
  };
}
