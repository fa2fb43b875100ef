/**
 * What each resource's consumers rely on, under Pulumi's mocks (a double of Azure and Kubernetes: the
 * mocks accept any manifest). Each check is also shown to fail on the broken program it is there to catch.
 */
import { strict as assert } from 'node:assert';
import { registryNameFor, resourceGroupNameFor } from '../../src/core/names';
import { azureProgram } from '../../src/engine/programs/azure';
import { DEFAULT_NODE_POOLS, taintString } from '../../src/core/nodePools';
import { subscriptionOf } from '../../src/engine/programs/azure/context';
import { accountKindOf } from '../../src/engine/programs/azure/storage';
import { FLAT_EXAMPLE, SECTIONS, SUBSCRIPTION, contextFor, dependencyOutputs, parse, run, type MockResource, type Run } from './mocks';
import { azureProblems, effectiveEnv, schedulingProblems, wiringProblems } from './wiring';

const FULL = FLAT_EXAMPLE + SECTIONS.storage + SECTIONS.workspace + SECTIONS.adaptive;
const AUTOSCALED = FULL.replace('    workers:\n', '    autoscaling: { min_workers: 1, max_workers: 8 }\n    workers:\n');
const AZURE_COMPONENTS = ['resource-group', 'registry', 'cluster', 'storage'];

type Obj = Record<string, any>;

async function runComponent(text: string, component: string, env = 'dev', preview = false): Promise<Run> {
  return run(contextFor(parse(text.replace('environment: dev', `environment: ${env}`)), component, env), azureProgram, { preview });
}

/** A copy of the run's resources with one of them changed, as a broken program would have made it. */
function broken(resources: readonly MockResource[], name: string, change: (inputs: Obj) => void): MockResource[] {
  return resources.map((r) => {
    if (r.name !== name) return r;
    const inputs = structuredClone(r.inputs) as Obj;
    change(inputs);
    return { ...r, inputs };
  });
}

const deployment = (r: Run | readonly MockResource[], name: string): MockResource => {
  const found = ('resources' in r ? r.resources : r).find((x) => x.type === 'kubernetes:apps/v1:Deployment' && x.name === name);
  assert.ok(found, `no Deployment ${name}`);
  return found;
};

describe('azure programs: what the pods really get', () => {
  it("every Dask pod gets the account's read-write connection string, not the bundle SAS (the last envFrom source wins)", async () => {
    const r = await runComponent(FULL, 'workspace');
    const storage = dependencyOutputs().storage.outputs;
    for (const name of ['dask-scheduler', 'dask-workers']) {
      const { env, problems } = effectiveEnv(r.resources, deployment(r, name));
      assert.deepEqual(problems, []);
      assert.equal(env.AZURE_STORAGE_CONNECTION_STRING, storage.connection_string, `${name} can write results`);
      assert.notEqual(env.AZURE_STORAGE_CONNECTION_STRING, storage.sas_connection_string);
      assert.equal(env.AZURE_STORAGE_ACCOUNT, 'acct');
      assert.deepEqual([env.REGISTRY_USERNAME, env.REGISTRY_PASSWORD, env.MODELOPS_BUNDLE_REGISTRY], ['acr-user', 'acr-password', 'modelopsdevacralice.azurecr.io']);
    }
  });

  it('adaptive workers get the DSN from their secret and the scheduler of the workspace', async () => {
    const r = await runComponent(FULL, 'adaptive-default');
    const { env, problems } = effectiveEnv(r.resources, deployment(r, 'default-workers'));
    assert.deepEqual(problems, []);
    assert.match(String(env.POSTGRES_DSN), /^postgresql:\/\/optuna_user:[^@]+@postgres\.modelops-adaptive-dev-default:5432\/optuna$/);
    assert.equal(env.DASK_SCHEDULER, 'tcp://dask-scheduler.modelops-dask-dev:8786');
    assert.equal(env.AZURE_STORAGE_CONNECTION_STRING, dependencyOutputs().storage.outputs.connection_string);
  });

  it('resolves precedence as the kubelet does, so a shadowing secret is caught', async () => {
    const r = await runComponent(FULL, 'workspace');
    const shadowed = broken(r.resources, 'dask-bundle-credentials', (inputs) => (inputs.stringData.AZURE_STORAGE_CONNECTION_STRING = 'read-only-sas'));
    assert.equal(effectiveEnv(shadowed, deployment(shadowed, 'dask-workers')).env.AZURE_STORAGE_CONNECTION_STRING, 'read-only-sas');
    const overridden = broken(r.resources, 'dask-workers', (inputs) => inputs.spec.template.spec.containers[0].env.push({ name: 'REGISTRY_USERNAME', value: 'env-wins' }));
    assert.equal(effectiveEnv(overridden, deployment(overridden, 'dask-workers')).env.REGISTRY_USERNAME, 'env-wins');
    const missing = broken(r.resources, 'dask-workers', (inputs) => inputs.spec.template.spec.containers[0].envFrom.push({ secretRef: { name: 'nowhere' } }));
    assert.deepEqual(effectiveEnv(missing, deployment(missing, 'dask-workers')).problems, ['dask-workers: envFrom Secret nowhere does not exist in modelops-dask-dev']);
  });
});

describe('azure programs: objects that find each other', () => {
  for (const [label, text, component] of [
    ['workspace', FULL, 'workspace'],
    ['workspace with autoscaling', AUTOSCALED, 'workspace'],
    ['adaptive run with Postgres', FULL, 'adaptive-default'],
  ] as const) {
    for (const preview of [false, true]) {
      it(`${label}${preview ? ' (preview)' : ''}: selectors select their own pods, Services reach a port the pods expose, the HPA scales a Deployment it made`, async () => {
        const r = await runComponent(text, component, 'dev', preview);
        assert.ok(r.ofType('kubernetes:core/v1:Service').length > 0);
        assert.deepEqual(wiringProblems(r.resources), []);
        if (component === 'workspace') assert.deepEqual(effectiveEnv(r.resources, deployment(r, 'dask-workers')).problems, []);
      });
    }
  }

  it('each broken wiring is caught, by name', async () => {
    const workspace = await runComponent(AUTOSCALED, 'workspace');
    const adaptive = await runComponent(FULL, 'adaptive-default');
    const cases: Array<[readonly MockResource[], string, (inputs: Obj) => void, RegExp]> = [
      [workspace.resources, 'dask-scheduler-svc', (i) => (i.spec.selector = { app: 'dask-schedular' }), /Service dask-scheduler-svc: its selector matches no pods/],
      [workspace.resources, 'dask-workers', (i) => (i.spec.selector.matchLabels = { app: 'dask-workers' }), /Deployment dask-workers: its selector does not match/],
      [workspace.resources, 'dask-scheduler-pdb', (i) => (i.spec.selector.matchLabels = { app: 'scheduler' }), /PodDisruptionBudget dask-scheduler-pdb: its selector matches no pods/],
      [workspace.resources, 'dask-scheduler-pdb', (i) => (i.spec = { minAvailable: 1, selector: i.spec.selector }), /PodDisruptionBudget dask-scheduler-pdb: allows no eviction of its 1 pod\(s\), so every node drain/],
      [workspace.resources, 'dask-scheduler-svc', (i) => (i.spec.ports[0].targetPort = 1), /port tcp-comm targets 1, which no selected container exposes/],
      [workspace.resources, 'dask-workers-hpa', (i) => (i.spec.scaleTargetRef.name = 'dask-worker'), /HorizontalPodAutoscaler dask-workers-hpa: scales Deployment dask-worker/],
      [adaptive.resources, 'default-postgres-svc', (i) => (i.spec.selector = { app: 'postgresql' }), /Service default-postgres-svc: its selector matches no pods/],
    ];
    for (const [resources, name, change, expected] of cases) {
      const problems = wiringProblems(broken(resources, name, change));
      assert.ok(problems.some((p) => expected.test(p)), `${name}: ${expected} not in ${JSON.stringify(problems)}`);
    }
  });

  it('pods land on a pool: the default toleration fits the cpu pool, a nodeSelector no pool has is caught', async () => {
    const r = await runComponent(FULL, 'workspace');
    const pools = DEFAULT_NODE_POOLS.map((p) => ({ labels: p.labels, taints: p.taints.map(taintString) }));
    const workersOnly = pools.filter((p) => p.taints.length > 0);
    assert.deepEqual(schedulingProblems(r.resources, workersOnly), []);
    const untolerated = broken(r.resources, 'dask-workers', (i) => (i.spec.template.spec.tolerations = []));
    assert.deepEqual(schedulingProblems(untolerated, workersOnly), ['Deployment dask-workers: no node pool both carries its nodeSelector and has only taints it tolerates']);
    const nowhere = broken(r.resources, 'dask-workers', (i) => (i.spec.template.spec.nodeSelector = { agentpool: 'gpu' }));
    assert.equal(schedulingProblems(nowhere, pools).length, 1);
  });
});

describe('azure programs: what Azure gets', () => {
  for (const [env, preview] of [['dev', false], ['prod', false], ['dev', true]] as const) {
    it(`${env}${preview ? ' (preview)' : ''}: every Azure resource goes through the provider pinned to the subscription, with the environment's tags`, async () => {
      for (const component of AZURE_COMPONENTS) {
        const r = await runComponent(FULL, component, env, preview);
        assert.ok(r.resources.some((x) => x.type.startsWith('azure-native:') && x.type !== 'azure-native:storage:BlobContainer'), component);
        assert.deepEqual(azureProblems(r.resources, env), [], component);
        assert.equal(r.resource('pulumi:providers:azure-native').inputs.subscriptionId, SUBSCRIPTION, component);
      }
    });
  }

  it('a resource off the pinned provider, or without its tags, is caught', async () => {
    const r = await runComponent(FULL, 'registry');
    const offProvider = r.resources.map((x) => (x.type === 'azure-native:containerregistry:Registry' ? { ...x, provider: undefined } : x));
    assert.match(azureProblems(offProvider, 'dev').join('\n'), /Registry modelops-registry-acr: not created through the pinned provider/);
    const untagged = broken(r.resources, 'modelops-registry-acr', (i) => delete i.tags);
    assert.match(azureProblems(untagged, 'dev').join('\n'), /tag managed-by is undefined/);
  });

  it('reads the kubeconfig of the cluster it creates, in its resource group', async () => {
    const r = await runComponent(FULL, 'cluster');
    const aks = r.resource('azure-native:containerservice:ManagedCluster').inputs;
    const call = r.calls.find((c) => c.token === 'azure-native:containerservice:listManagedClusterUserCredentials');
    assert.deepEqual(call?.inputs, { resourceGroupName: aks.resourceGroupName, resourceName: aks.resourceName });
  });

  it('states the network mode: Azure CNI Overlay, so the pod CIDR azure-native always sends is the one used', async () => {
    const r = await runComponent(FULL, 'cluster');
    const network = r.resource('azure-native:containerservice:ManagedCluster').inputs.networkProfile;
    assert.deepEqual([network.networkPlugin, network.networkPluginMode, network.podCidr], ['azure', 'overlay', '10.244.0.0/16']);
  });
});

describe('azure programs: names that never collide', () => {
  it('one file, two environments: two resource groups and two registries, whatever resource_group and acr.name say', async () => {
    const config = parse(FLAT_EXAMPLE);
    assert.equal(config.resourceGroup, 'modelops-rg');
    assert.equal(config.acr?.name, 'modelopsacr');
    assert.deepEqual([resourceGroupNameFor(config, 'dev'), resourceGroupNameFor(config, 'staging')], ['modelops-dev-rg-alice', 'modelops-staging-rg-alice']);
    assert.deepEqual([registryNameFor(config, 'dev'), registryNameFor(config, 'staging')], ['modelopsdevacralice', 'modelopsstagingacralice']);
    const dev = await runComponent(FLAT_EXAMPLE, 'resource-group', 'dev');
    const staging = await runComponent(FLAT_EXAMPLE, 'resource-group', 'staging');
    assert.notEqual(dev.outputs.resource_group_name, staging.outputs.resource_group_name);
    const registry = await runComponent(FLAT_EXAMPLE, 'registry', 'prod');
    assert.notEqual(registry.resource('azure-native:containerregistry:Registry').inputs.registryName, 'modelopsacr');
  });

  it('registry.registry_name pins the registry name', () => {
    assert.equal(registryNameFor(parse(FLAT_EXAMPLE + 'registry:\n  registry_name: teamacr01\n'), 'staging'), 'teamacr01');
  });

  it('says where the names come from, at resource_group and acr.name', () => {
    const { parseConfig } = require('../../src/core/config/parse') as typeof import('../../src/core/config/parse');
    const parsed = parseConfig(FLAT_EXAMPLE, '/work/azure.yaml');
    const notes = parsed.problems.filter((p) => p.code === 'derived-name');
    assert.deepEqual(notes.map((p) => p.severity), ['info', 'info']);
    assert.match(notes[0].message, /`modelops-dev-rg-alice`/);
    assert.match(notes[1].message, /not named by `acr.name`: .*a new one also carries the subscription .*registry_name/);
    const lines = FLAT_EXAMPLE.split('\n'); // range lines count from 1
    assert.match(lines[notes[0].range.start.line - 1], /^resource_group:/);
    assert.match(lines[notes[1].range.start.line - 1], /^ {2}name: modelopsacr/);
  });
});

describe('azure programs: storage kinds and the subscription', () => {
  it('a premium account holds block blobs (BlockBlobStorage), the standard ones are StorageV2 Hot', async () => {
    assert.deepEqual(accountKindOf('Premium_LRS'), { sku: { name: 'Premium_LRS' }, kind: 'BlockBlobStorage' });
    assert.deepEqual(accountKindOf('Standard_GRS'), { sku: { name: 'Standard_GRS' }, kind: 'StorageV2', accessTier: 'Hot' });
    const r = await runComponent(FULL.replace('  sku: Standard_GRS', '  sku: Premium_LRS'), 'storage');
    const account = r.resource('azure-native:storage:StorageAccount').inputs;
    assert.deepEqual([account.kind, account.sku.name, account.accessTier], ['BlockBlobStorage', 'Premium_LRS', undefined]);
  });

  it('subscription_id, else AZURE_SUBSCRIPTION_ID; never azure-native left to guess', async () => {
    assert.equal(subscriptionOf({ subscriptionId: SUBSCRIPTION }, { AZURE_SUBSCRIPTION_ID: 'other' }), SUBSCRIPTION);
    assert.equal(subscriptionOf({}, { AZURE_SUBSCRIPTION_ID: ' 0a1b2c3d-0000-4000-8000-000000000001 ' }), '0a1b2c3d-0000-4000-8000-000000000001');
    assert.throws(() => subscriptionOf({}, { ARM_SUBSCRIPTION_ID: SUBSCRIPTION }), /no Azure subscription: azure\.yaml has no `subscription_id` and AZURE_SUBSCRIPTION_ID is not set/);
    const withoutId = FLAT_EXAMPLE.replace(/^subscription_id:.*\n/m, '');
    const saved = process.env.AZURE_SUBSCRIPTION_ID;
    delete process.env.AZURE_SUBSCRIPTION_ID;
    try {
      await assert.rejects(runComponent(withoutId, 'resource-group'), /no Azure subscription/);
      process.env.AZURE_SUBSCRIPTION_ID = SUBSCRIPTION;
      const r = await runComponent(withoutId, 'resource-group');
      assert.equal(r.resource('pulumi:providers:azure-native').inputs.subscriptionId, SUBSCRIPTION);
    } finally {
      if (saved === undefined) delete process.env.AZURE_SUBSCRIPTION_ID;
      else process.env.AZURE_SUBSCRIPTION_ID = saved;
    }
  });
});
