/**
 * endpointHealth against a real Kubernetes API server on this machine
 * (kube-apiserver + etcd built from the Go module proxy, scripts/kube-apiserver.mjs):
 * Nodes and Deployments are real API objects whose status each test sets.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { componentsFor, type Component } from '../../src/core/components';
import { endpointHealth, nodeChecks } from '../../src/probes/health/endpoints';
import { poolOf } from '../../src/probes/clients/kubernetes';
import type { HealthResult } from '../../src/core/events';
import { Objects, startApiServer, type ApiServer } from './apiserver';
import { FLAT_EXAMPLE, SECTIONS, parse } from './mocks';

const WORKSPACE_NS = 'modelops-dask-dev';
const RUN_NS = 'modelops-adaptive-dev-default';
const COMPONENTS: Component[] = componentsFor(parse(FLAT_EXAMPLE + SECTIONS.workspace + SECTIONS.adaptive), 'dev').filter((c) => ['cluster', 'workspace', 'adaptive'].includes(c.kind));

const verdicts = (results: readonly HealthResult[]): string[] => results.map((r) => `${r.component} ${r.check}: ${r.verdict}`);
const find = (results: readonly HealthResult[], component: string, check: string): HealthResult => {
  const found = results.find((r) => r.component === component && r.check === check);
  assert.ok(found, `no ${component} ${check} in ${verdicts(results).join(', ')}`);
  return found;
};

function outputsFor(kubeconfig: string): Map<string, Record<string, unknown>> {
  return new Map<string, Record<string, unknown>>([
    ['cluster', { kubeconfig, cluster_name: 'aks' }],
    ['workspace', { namespace: WORKSPACE_NS, scheduler_address: `tcp://dask-scheduler.${WORKSPACE_NS}:8786` }],
    ['adaptive-default', { namespace: RUN_NS, workers_name: 'adaptive-workers' }],
  ]);
}

describe('azure health: against a real kube-apiserver', function () {
  // The first run builds kube-apiserver and etcd (~10-15 minutes on 2 cores); later runs reuse them.
  this.timeout(30 * 60_000);
  let api: ApiServer;
  let objects: Objects;

  before(async () => {
    api = await startApiServer();
    objects = new Objects(api);
  });

  after(async () => {
    await api?.stop();
  });

  beforeEach(async function () {
    this.timeout(60_000);
    await objects.deleteNodes();
    await objects.node('aks-system-0', 'system', true);
    await objects.node('aks-cpu-0', 'cpu', true);
    await objects.node('aks-cpu-1', 'cpu', true);
    await objects.deployment(WORKSPACE_NS, 'dask-scheduler', 1, 1);
    await objects.deployment(WORKSPACE_NS, 'dask-workers', 3, 3);
    await objects.deployment(RUN_NS, 'adaptive-workers', 2, 2);
  });

  it('healthy: API, every pool, scheduler, workers and the run workers', async () => {
    const results = await endpointHealth(COMPONENTS, outputsFor(api.kubeconfig()), { timeoutMs: 5000 });
    assert.deepEqual(verdicts(results), [
      'cluster api: healthy',
      'cluster nodes cpu: healthy',
      'cluster nodes system: healthy',
      'workspace scheduler: healthy',
      'workspace workers: healthy',
      'adaptive-default workers: healthy',
    ]);
    assert.match(find(results, 'cluster', 'api').reason, /accepts the kubeconfig \(Kubernetes v1\.\d+\.\d+\)/);
    assert.equal(find(results, 'cluster', 'nodes cpu').reason, '2 of 2 node(s) Ready');
    assert.equal(find(results, 'workspace', 'workers').reason, 'dask-workers: 3 of 3 replica(s) ready');
  });

  it('no nodes Ready: each pool is unhealthy and says why', async () => {
    for (const [name, pool] of [['aks-system-0', 'system'], ['aks-cpu-0', 'cpu'], ['aks-cpu-1', 'cpu']]) await objects.node(name, pool, false);
    const results = await endpointHealth(COMPONENTS, outputsFor(api.kubeconfig()), { timeoutMs: 5000 });
    assert.equal(find(results, 'cluster', 'api').verdict, 'healthy');
    const cpu = find(results, 'cluster', 'nodes cpu');
    assert.equal(cpu.verdict, 'unhealthy');
    assert.equal(cpu.reason, '0 of 2 node(s) Ready (aks-cpu-0: KubeletNotReady; aks-cpu-1: KubeletNotReady)');
    assert.equal(find(results, 'cluster', 'nodes system').verdict, 'unhealthy');
  });

  it('no nodes at all is unhealthy', async () => {
    await objects.deleteNodes();
    const results = await endpointHealth(COMPONENTS, outputsFor(api.kubeconfig()), { timeoutMs: 5000 });
    assert.deepEqual(find(results, 'cluster', 'nodes'), { component: 'cluster', check: 'nodes', verdict: 'unhealthy', reason: 'the cluster has no nodes' });
  });

  it('scheduler unavailable: the workspace is unhealthy with the Deployment condition', async () => {
    await objects.deployment(WORKSPACE_NS, 'dask-scheduler', 1, 0, false);
    const results = await endpointHealth(COMPONENTS, outputsFor(api.kubeconfig()), { timeoutMs: 5000 });
    const scheduler = find(results, 'workspace', 'scheduler');
    assert.equal(scheduler.verdict, 'unhealthy');
    assert.equal(scheduler.reason, 'dask-scheduler is not available: Deployment does not have minimum availability. (0 of 1 replica(s) ready)');
    assert.equal(find(results, 'workspace', 'workers').verdict, 'healthy');
  });

  it('missing deployments and idle run workers are unhealthy', async () => {
    await api.call('DELETE', `/apis/apps/v1/namespaces/${WORKSPACE_NS}/deployments/dask-workers`);
    await objects.deployment(RUN_NS, 'adaptive-workers', 2, 0);
    const results = await endpointHealth(COMPONENTS, outputsFor(api.kubeconfig()), { timeoutMs: 5000 });
    assert.deepEqual(find(results, 'workspace', 'workers'), { component: 'workspace', check: 'workers', verdict: 'unhealthy', reason: `deployment ${WORKSPACE_NS}/dask-workers does not exist` });
    assert.equal(find(results, 'adaptive-default', 'workers').reason, 'adaptive-workers: no replica ready (0 of 2 replica(s) ready)');
  });

  it('rejected credentials: the API check is unhealthy, the rest unknown', async () => {
    const results = await endpointHealth(COMPONENTS, outputsFor(api.kubeconfig('not-a-token')), { timeoutMs: 5000 });
    const check = find(results, 'cluster', 'api');
    assert.equal(check.verdict, 'unhealthy');
    assert.match(check.reason, /rejected the kubeconfig's credentials .*HTTP 401/);
    assert.equal(find(results, 'workspace', 'scheduler').verdict, 'unknown');
  });

  it('a user without permissions: authenticated, but the reads are forbidden (unhealthy, with the status)', async () => {
    const results = await endpointHealth(COMPONENTS, outputsFor(api.kubeconfig(api.readerToken)), { timeoutMs: 5000 });
    assert.equal(find(results, 'cluster', 'api').verdict, 'healthy');
    const nodes = find(results, 'cluster', 'nodes');
    assert.equal(nodes.verdict, 'unhealthy');
    assert.match(nodes.reason, /list nodes: HTTP 403/);
  });

  it('API unreachable (a closed port): unknown everywhere, quickly', async () => {
    const closed = await new Promise<number>((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => done(port));
      });
    });
    const started = Date.now();
    const results = await endpointHealth(COMPONENTS, outputsFor(api.kubeconfig(api.token, `https://127.0.0.1:${closed}`)), { timeoutMs: 5000 });
    assert.ok(Date.now() - started < 5000);
    assert.deepEqual(results.map((r) => r.verdict), ['unknown', 'unknown', 'unknown', 'unknown']);
    assert.match(find(results, 'cluster', 'api').reason, /ECONNREFUSED/);
    assert.match(find(results, 'workspace', 'scheduler').reason, /the cluster API gave no usable answer/);
  });

  it('API that accepts connections but never answers: unknown after the time limit, no hang', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    try {
      const port = (silent.address() as AddressInfo).port;
      const started = Date.now();
      const results = await endpointHealth(COMPONENTS, outputsFor(api.kubeconfig(api.token, `https://127.0.0.1:${port}`)), { timeoutMs: 700 });
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
      assert.deepEqual(find(results, 'cluster', 'api'), { component: 'cluster', check: 'api', verdict: 'unknown', reason: 'GET /version: no answer within 0.7 s' });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('a cluster stack without kubeconfig, and components without a stack', async () => {
    const results = await endpointHealth(COMPONENTS, new Map([['cluster', {}]]), { timeoutMs: 1000 });
    assert.deepEqual(find(results, 'cluster', 'api'), { component: 'cluster', check: 'api', verdict: 'unhealthy', reason: 'the cluster stack exports no kubeconfig' });
    assert.deepEqual(find(results, 'workspace', 'stack'), { component: 'workspace', check: 'stack', verdict: 'unknown', reason: 'not provisioned' });
  });
});

describe('azure health: node pools', () => {
  it('groups nodes by agent pool; a pool with some Ready nodes is healthy and names the others', () => {
    const checks = nodeChecks([
      { name: 'a', pool: 'cpu', ready: true },
      { name: 'b', pool: 'cpu', ready: false, reason: 'KubeletNotReady' },
    ]);
    assert.deepEqual(checks, [{ check: 'nodes cpu', verdict: 'healthy', reason: '1 of 2 node(s) Ready (b: KubeletNotReady)' }]);
  });

  it('names the pools of other clouds, and puts nodes without a pool (kind, k3s) under one "nodes" check', () => {
    assert.deepEqual([poolOf({ 'cloud.google.com/gke-nodepool': 'default-pool' }), poolOf({ 'eks.amazonaws.com/nodegroup': 'ng-1' }), poolOf({ 'kubernetes.io/os': 'linux' })], ['default-pool', 'ng-1', undefined]);
    const checks = nodeChecks([
      { name: 'kind-control-plane', ready: true },
      { name: 'kind-worker', ready: false, reason: 'KubeletNotReady' },
    ]);
    assert.deepEqual(checks, [{ check: 'nodes', verdict: 'healthy', reason: '1 of 2 node(s) Ready (kind-worker: KubeletNotReady)' }]);
  });
});
