/** Probing a pending create of a Kubernetes object (src/engine/probes.ts), with the reader stubbed as the API server answers. */
import { strict as assert } from 'node:assert';
import { armIdOf, kubernetesKind, probeObject, type ObjectReader } from '../../src/engine/probes';

describe('probing a pending create of a Kubernetes object', () => {
  it('reads the kind from the Pulumi type: a group and version, or the core group', () => {
    assert.deepEqual(kubernetesKind('kubernetes:apps/v1:Deployment'), { apiVersion: 'apps/v1', kind: 'Deployment' });
    assert.deepEqual(kubernetesKind('kubernetes:core/v1:Namespace'), { apiVersion: 'v1', kind: 'Namespace' });
    assert.deepEqual(kubernetesKind('kubernetes:policy/v1:PodDisruptionBudget'), { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' });
    assert.equal(kubernetesKind('azure-native:storage:StorageAccount'), undefined);
  });

  it('exists → the id the Kubernetes provider gives it; gone; or why it cannot tell', async () => {
    const asked: string[] = [];
    const server = (answer: boolean | Error): ObjectReader => async (apiVersion, kind, name, namespace) => {
      asked.push(`${apiVersion} ${kind} ${namespace ?? '-'}/${name}`);
      if (answer instanceof Error) throw answer;
      return answer;
    };
    const deployment = { urn: 'u', type: 'kubernetes:apps/v1:Deployment', inputs: { metadata: { name: 'dask-scheduler', namespace: 'modelops-dev' } } };
    assert.deepEqual(await probeObject(deployment, server(true)), { exists: true, id: 'modelops-dev/dask-scheduler' });
    assert.deepEqual(await probeObject(deployment, server(false)), { exists: false });
    assert.deepEqual(await probeObject(deployment, server(new Error('GET Deployment modelops-dev/dask-scheduler: HTTP 503'))), { unknown: 'GET Deployment modelops-dev/dask-scheduler: HTTP 503' });
    const namespace = { urn: 'n', type: 'kubernetes:core/v1:Namespace', inputs: { metadata: { name: 'modelops-dev' } } };
    assert.deepEqual(await probeObject(namespace, server(true)), { exists: true, id: 'modelops-dev' }, 'cluster-scoped: the name alone');
    assert.deepEqual(asked, ['apps/v1 Deployment modelops-dev/dask-scheduler', 'apps/v1 Deployment modelops-dev/dask-scheduler', 'apps/v1 Deployment modelops-dev/dask-scheduler', 'v1 Namespace -/modelops-dev']);
    assert.deepEqual(await probeObject({ ...deployment, inputs: { metadata: {} } }, server(true)), { unknown: 'its inputs name no metadata.name' });
    assert.deepEqual(await probeObject(deployment, 'the cluster exports no kubeconfig'), { unknown: 'the cluster exports no kubeconfig' });
  });
});

describe('the Azure id of a pending create, from the inputs our names give it', () => {
  const sub = '12345678-90ab-cdef-1234-567890abcdef';
  const rg = { resourceGroupName: 'modelops-dev-rg-alice' };
  const idOf = (type: string, inputs: Record<string, unknown>) => armIdOf({ urn: 'u', type, inputs }, sub);
  it('every type our programs create, with the API version it is read with', () => {
    const base = `/subscriptions/${sub}/resourceGroups/modelops-dev-rg-alice/providers`;
    assert.deepEqual(idOf('azure-native:resources:ResourceGroup', rg), { id: `/subscriptions/${sub}/resourceGroups/modelops-dev-rg-alice`, apiVersion: '2021-04-01' });
    assert.equal(idOf('azure-native:storage:StorageAccount', { ...rg, accountName: 'acct' })?.id, `${base}/Microsoft.Storage/storageAccounts/acct`);
    assert.equal(idOf('azure-native:storage:BlobContainer', { ...rg, accountName: 'acct', containerName: 'results' })?.id, `${base}/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/results`);
    assert.equal(idOf('azure-native:storage:ManagementPolicy', { ...rg, accountName: 'acct', managementPolicyName: 'default' })?.id, `${base}/Microsoft.Storage/storageAccounts/acct/managementPolicies/default`);
    assert.equal(idOf('azure-native:containerregistry:Registry', { ...rg, registryName: 'reg' })?.id, `${base}/Microsoft.ContainerRegistry/registries/reg`);
    assert.equal(idOf('azure-native:containerservice:ManagedCluster', { ...rg, resourceName: 'aks' })?.id, `${base}/Microsoft.ContainerService/managedClusters/aks`);
    assert.deepEqual(idOf('azure-native:containerservice:AgentPool', { ...rg, resourceName: 'aks', agentPoolName: 'gpu' }), { id: `${base}/Microsoft.ContainerService/managedClusters/aks/agentPools/gpu`, apiVersion: '2024-02-01' });
    const registry = `/subscriptions/other/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/reg`;
    assert.equal(idOf('azure-native:authorization:RoleAssignment', { scope: registry, roleAssignmentName: 'b7c1…' })?.id, `${registry}/providers/Microsoft.Authorization/roleAssignments/b7c1…`, 'under its scope, in the registry\'s subscription');
    assert.equal(idOf('azure-native:storage:BlobContainer', { ...rg, accountName: 'acct' }), undefined, 'a name the inputs do not give: no id');
  });
});
