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
import { lines, ORIGINAL_EXAMPLE } from '../fixtures';

export const SUBSCRIPTION = '12345678-90ab-cdef-1234-567890abcdef';
export const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG0PqQ8n6Xb8Yk1Qo3Z4m2Q1q0Fh8bJq3S3mJ0Vf0x1d alice@host';
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
  adaptive: lines('adaptive:', '  default:', '    algorithm: optuna', '    persistence: { size: 5Gi }'),
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
  return { component: target, componentsByName: byName, config, env, modelopsHome: '/tmp/modelops-home' };
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

/** A registered resource: `inputs` with secrets unwrapped, `rawInputs` as the program sent them. */
export type MockResource = pulumi.runtime.MockResourceArgs & { rawInputs: Record<string, unknown> };

export interface Run {
  /** Exported outputs, resolved. */
  outputs: Record<string, unknown>;
  /** Names of exported outputs that are secret. */
  secrets: Set<string>;
  resources: MockResource[];
  calls: pulumi.runtime.MockCallArgs[];
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

async function resolve(value: unknown): Promise<{ value: unknown; secret: boolean }> {
  if (!pulumi.Output.isInstance(value)) return { value, secret: false };
  const secret = await pulumi.isSecret(value);
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
export async function run(ctx: ProgramContext, program: (ctx: ProgramContext, sdk: typeof pulumi) => () => Promise<Record<string, unknown>>, options: { config?: Record<string, string>; secretConfig?: string[] } = {}): Promise<Run> {
  const resources: MockResource[] = [];
  const calls: pulumi.runtime.MockCallArgs[] = [];
  const stacks = new Map(Object.entries(dependencyOutputs(ctx.env)).map(([name, o]) => [ctx.componentsByName.get(name)?.reference, o]));
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (args.type === 'pulumi:pulumi:StackReference') {
          const stack = stacks.get(String(args.inputs.name));
          assert.ok(stack, `unexpected StackReference ${String(args.inputs.name)}`);
          return { id: String(args.inputs.name), state: { name: args.inputs.name, outputs: stack.outputs, secretOutputNames: stack.secret } };
        }
        const plainArgs = { ...args, inputs: unwrapSecrets(args.inputs), rawInputs: args.inputs };
        resources.push(plainArgs);
        const state = stateOf(plainArgs);
        return { id: args.type.startsWith('azure-native:') ? `/subscriptions/${SUBSCRIPTION}/mock/${args.name}` : `${args.name}-id`, state };
      },
      call(args) {
        calls.push(args);
        return callResult(args);
      },
    },
    ctx.component.project,
    ctx.component.stack,
    false,
    'organization',
  );
  const project = ctx.component.project;
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [`${project}:${k}`, v])), (options.secretConfig ?? []).map((k) => `${project}:${k}`));
  const exported = await program(ctx, pulumi)();
  const outputs: Record<string, unknown> = {};
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(exported)) {
    const resolved = await resolve(value);
    outputs[name] = resolved.value;
    if (resolved.secret) secrets.add(name);
  }
  await settings.waitForRPCs();
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    outputs,
    secrets,
    resources,
    calls,
    ofType,
    resource(type, name) {
      const found = ofType(type).filter((r) => name === undefined || r.name === name);
      assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ''}, got ${found.map((r) => r.name).join(', ') || 'none'}`);
      return found[0];
    },
  };
}
