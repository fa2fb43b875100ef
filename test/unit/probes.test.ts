/** Probing a pending create of a Kubernetes object (src/engine/probes.ts), with the reader stubbed as the API server answers. */
import { strict as assert } from 'node:assert';
import { kubernetesKind, probeObject, type ObjectReader } from '../../src/engine/probes';

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
