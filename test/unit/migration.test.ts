/** `migrate`'s plan (src/core/migration.ts): what a preview of the original's state says to forget, import or refuse. */
import { strict as assert } from 'node:assert';
import { agentPoolIdentity, isUnderOriginalComponent, migrationPlan, withImported, type ImportAction, type StateResource } from '../../src/core/migration';
import { changeCounts } from '../../src/core/plan';

const urn = (type: string, name: string) => `urn:pulumi:modelops-infra-dev::modelops-infra::${type}::${name}`;
const AKS_ID = '/subscriptions/s/resourceGroups/modelops-dev-rg-alice/providers/Microsoft.ContainerService/managedClusters/modelops-dev-aks-5b96';
const CLUSTER = { id: AKS_ID, pools: ['system', 'cpu'] };
const COMPONENT = urn('modelops:infra:cluster', 'modelops');
const pool = (name: string, agentPoolName: string) => ({ urn: urn('modelops:infra:cluster$azure-native:containerservice:AgentPool', name), type: 'azure-native:containerservice:AgentPool', op: 'create', inputs: { agentPoolName }, parent: COMPONENT });

describe('migrate: the plan of one stack', () => {
  it('forgets what the preview would delete of the original, and only that', () => {
    const secret = urn('modelops:infra:storage$kubernetes:core/v1:Secret', 'storage-secret-default');
    const provider = urn('modelops:infra:storage$pulumi:providers:kubernetes', 'storage-k8s');
    const plan = migrationPlan('modelops-storage-dev', [
      { urn: secret, type: 'kubernetes:core/v1:Secret', op: 'delete' },
      { urn: provider, type: 'pulumi:providers:kubernetes', op: 'delete' },
      { urn: urn('azure-native:storage:BlobContainer', 'extra-container'), type: 'azure-native:storage:BlobContainer', op: 'delete' },
      { urn: urn('modelops:infra:cluster$azure-native:resources:ResourceGroup', 'modelops-rg'), type: 'azure-native:resources:ResourceGroup', op: 'discard' },
      { urn: urn('modelops:infra:storage$azure-native:storage:StorageAccount', 'storage-account'), type: 'azure-native:storage:StorageAccount', op: 'update' },
    ]);
    // In the preview's order: the secret before the provider it needs.
    assert.deepEqual(plan.actions.map((a) => `${a.action} ${a.urn.split('::').pop()}`), ['forget storage-secret-default', 'forget storage-k8s']);
    assert.deepEqual(plan.refusals, []);
  });

  it("imports the node pools AKS runs already, under the cluster's component, and creates the new ones", () => {
    const plan = migrationPlan('modelops-infra-dev', [pool('aks-pool-cpu', 'cpu'), pool('aks-pool-gpu', 'gpu')], CLUSTER);
    assert.deepEqual(plan.actions, [
      {
        action: 'import',
        urn: pool('aks-pool-cpu', 'cpu').urn,
        type: 'azure-native:containerservice:AgentPool',
        id: `${AKS_ID}/agentPools/cpu`,
        parentUrn: COMPONENT,
        reason: 'node pool cpu runs already (the original made it inside the cluster): imported as aks-pool-cpu',
      },
    ]);
    assert.deepEqual(migrationPlan('modelops-infra-dev', [pool('aks-pool-cpu', 'cpu')]).actions, [], 'without the cluster in the state, nothing to import');
  });

  it('refuses a stack whose preview replaces anything, naming each resource once', () => {
    const deployment = urn('modelops:workspace:dask$kubernetes:apps/v1:Deployment', 'dask-workers');
    const plan = migrationPlan('modelops-workspace-dev', ['replace', 'create-replacement', 'delete-replaced'].map((op) => ({ urn: deployment, type: 'kubernetes:apps/v1:Deployment', op })));
    assert.deepEqual(plan.refusals, ['modelops-workspace-dev: dask-workers (kubernetes:apps/v1:Deployment) would be replaced']);
  });

  it("adopts the cluster and group the original read with .get() on a later run, when they are the very objects our program names", () => {
    const aks = urn('modelops:infra:cluster$azure-native:containerservice:ManagedCluster', 'aks-cluster');
    const read: StateResource = { urn: aks, type: 'azure-native:containerservice:ManagedCluster', custom: true, external: true, id: AKS_ID.toLowerCase(), parent: COMPONENT, inputs: {}, outputs: { id: AKS_ID, name: 'modelops-dev-aks-5b96' } };
    const inputs = { resourceGroupName: 'modelops-dev-rg-alice', resourceName: 'modelops-dev-aks-5b96', location: 'eastus2' };
    // External to managed: Pulumi plans a create of a replacement (which Azure refuses: it exists) and the replace.
    const steps = ['create-replacement', 'replace'].map((op) => ({ urn: aks, type: read.type, op, inputs }));
    const plan = migrationPlan('modelops-infra-dev', steps, CLUSTER, [read]);
    assert.deepEqual(plan.refusals, []);
    assert.deepEqual(plan.actions.map((a) => [a.action, (a as ImportAction).adopt, a.urn.split('::').pop(), (a as ImportAction).id]), [['import', true, 'aks-cluster', read.id]]);
    assert.match(plan.actions[0].reason, /the original read aks-cluster with \.get\(\), so it is not managed: adopted in place/);

    const other = migrationPlan('modelops-infra-dev', steps.map((s) => ({ ...s, inputs: { ...inputs, resourceName: 'modelops-dev-aks-0000' } })), CLUSTER, [read]);
    assert.deepEqual([other.actions, other.refusals], [[], ['modelops-infra-dev: aks-cluster (azure-native:containerservice:ManagedCluster) would be replaced']], 'another name is another cluster: refused, never adopted');
    const managed = migrationPlan('modelops-infra-dev', steps, CLUSTER, [{ ...read, external: undefined }]);
    assert.equal(managed.refusals.length, 1, 'a managed resource that would be replaced is refused as before');
  });

  it('an adopted read becomes managed in place: same id, parent, provider and outputs, inputs that name it', () => {
    const group = urn('modelops:azure:ResourceGroup$azure-native:resources:ResourceGroup', 'resource-group-rg');
    const id = '/subscriptions/s/resourceGroups/modelops-dev-rg-alice';
    const state: StateResource[] = [
      { urn: COMPONENT, type: 'modelops:azure:ResourceGroup', custom: false },
      { urn: group, type: 'azure-native:resources:ResourceGroup', custom: true, external: true, id, parent: COMPONENT, provider: 'p::1', inputs: {}, outputs: { id, name: 'modelops-dev-rg-alice', location: 'eastus2' } },
    ];
    const edited = withImported(state, { action: 'import', adopt: true, urn: group, type: 'azure-native:resources:ResourceGroup', id, parentUrn: COMPONENT, reason: '' });
    assert.deepEqual(edited, [state[0], { urn: group, type: 'azure-native:resources:ResourceGroup', custom: true, id, parent: COMPONENT, provider: 'p::1', inputs: { resourceGroupName: 'modelops-dev-rg-alice' }, outputs: state[1].outputs }]);
  });

  it("recognises the original's children by their component's type, not its own resources or ours", () => {
    assert.equal(isUnderOriginalComponent(urn('modelops:infra:cluster$azure-native:containerservice:ManagedCluster', 'aks-cluster')), true);
    assert.equal(isUnderOriginalComponent(urn('modelops:infra:cluster', 'modelops')), false);
    assert.equal(isUnderOriginalComponent(urn('azure-native:containerservice:ManagedCluster', 'aks-cluster')), false);
    assert.equal(isUnderOriginalComponent(urn('pulumi:providers:azure-native', 'azure')), false);
  });
});

describe('migrate: an imported pool in the state', () => {
  const action: ImportAction = { action: 'import', urn: pool('aks-pool-cpu', 'cpu').urn, type: 'azure-native:containerservice:AgentPool', id: `${AKS_ID}/agentPools/cpu`, parentUrn: COMPONENT, reason: '' };

  it('names the pool by the inputs its id holds', () => {
    assert.deepEqual(agentPoolIdentity(action.id), { resourceGroupName: 'modelops-dev-rg-alice', resourceName: 'modelops-dev-aks-5b96', agentPoolName: 'cpu' });
  });

  it('is recorded with only those inputs, under the cluster\'s provider, after its parent', () => {
    const provider = `${urn('pulumi:providers:azure-native', 'default_3_7_1')}::abc`;
    const state: StateResource[] = [
      { urn: COMPONENT, type: 'modelops:infra:cluster', custom: false },
      { urn: urn('modelops:infra:cluster$azure-native:containerservice:ManagedCluster', 'aks-cluster'), type: 'azure-native:containerservice:ManagedCluster', custom: true, id: AKS_ID, provider },
    ];
    const edited = withImported(state, action);
    assert.deepEqual(edited.slice(0, 2), state);
    assert.deepEqual(edited[2], { urn: action.urn, custom: true, type: action.type, id: action.id, parent: COMPONENT, provider, inputs: agentPoolIdentity(action.id), outputs: { ...agentPoolIdentity(action.id), id: action.id } });
    assert.equal(withImported(edited, action).length, 3, 'importing twice records it once');
  });
});

describe("preview counts: a read resource dropped from the state", () => {
  it('is not counted as a delete', () => {
    assert.deepEqual(changeCounts({ discard: 1, delete: 2, update: 1 }), { create: 0, update: 1, replace: 0, delete: 2, same: 0 });
  });
});
