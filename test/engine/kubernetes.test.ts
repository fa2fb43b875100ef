/**
 * `provider: kubernetes` end to end: the real CLI, the real Pulumi engine, the real Pulumi Kubernetes
 * provider (built by setup) applying the real workspace and adaptive programs to a real kube-apiserver,
 * storage on Azurite (the real Blob Storage API).
 *
 * One double, named: `startClusterControllers` (test/doubles/cluster/) stands in for the
 * kubelet and the controller-manager, which cannot run here (no container runtime). It makes
 * Deployments, their pods, Service endpoints and PVCs become what a real cluster would make them, so
 * the provider's own await logic decides when `up` is done. A test with it paused proves that `up`
 * then fails on `ready_timeout` instead of calling anything ready.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DriftDocument, PreviewDocument } from '../../src/core/protocol';
import { adaptiveNamespace, workspaceNamespace } from '../../src/core/names';
import { Objects, startApiServer, type ApiServer } from '../azure/apiserver';
import { Azurite } from '../azurite';
import { startClusterControllers, type ClusterControllers } from '../doubles/cluster';
import { setUpToolPath } from '../tools';
import { Sandbox, type Status } from './harness';

const ENV = 'k8s';
const WORKSPACE_NS = workspaceNamespace(ENV);
const RUN_NS = adaptiveNamespace(ENV, 'calib');
const IMAGE = 'ghcr.io/dask/dask:2024.12.1';

const config = (readyTimeout: string) => `provider: kubernetes
environment: ${ENV}
kubernetes:
  kubeconfig: kubeconfig.yaml
  ready_timeout: ${readyTimeout}
storage:
  connection_string_env: MODELOPS_STORAGE_CONNECTION_STRING
workspace:
  kind: Workspace
  metadata: { name: suite }
  spec:
    scheduler: { image: "${IMAGE}", resources: { requests: { cpu: 500m, memory: 1Gi }, limits: { cpu: "1", memory: 2Gi } } }
    workers:
      image: "${IMAGE}"
      processes: 2
      resources: { requests: { cpu: "1", memory: 2Gi }, limits: { cpu: "2", memory: 6Gi } }
    autoscaling: { min_workers: 2, max_workers: 5 }
adaptive:
  calib:
    algorithm: optuna
    central_store: { kind: postgres, mode: in-cluster }
    persistence: { enabled: true, size: 1Gi, storageClass: standard }
    workers: { image: "${IMAGE}", replicas: 2 }
`;

type Obj = { metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, any>; data?: Record<string, string> };

describe('provider: kubernetes on a real API server, through the real Pulumi Kubernetes provider', function () {
  this.timeout(600_000);
  let api: ApiServer;
  let controllers: ClusterControllers;
  let azurite: Azurite;
  let box: Sandbox;
  let env: NodeJS.ProcessEnv;
  let tmp: string;

  const get = async (path: string): Promise<{ status: number; body: any }> => api.call('GET', path);
  const object = async (path: string): Promise<Obj> => {
    const r = await get(path);
    assert.equal(r.status, 200, `GET ${path}: ${r.status}`);
    return r.body as Obj;
  };
  // Never spawnSync: the controllers double runs in this process and must go on while the CLI waits.
  const cli = (verb: string[], extra: string[] = []) => box.runAsync(verb, extra, env);
  const status = () => box.jsonAsync<Status>(['status'], [], env);
  const health = async () => (await box.jsonAsync<{ health: Array<{ component: string; check: string; verdict: string; reason: string }> }>(['health'], [], env)).health;

  before(async () => {
    api = await startApiServer();
    controllers = await startClusterControllers(api);
    // A kubelet registers its node; `health` reads nodes.
    await new Objects(api).node('node-1', 'workers', true);
    // The class the run's volume asks for, as a cluster's installer makes it.
    const storageClass = await api.call('POST', '/apis/storage.k8s.io/v1/storageclasses', { metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'Immediate', reclaimPolicy: 'Delete' });
    assert.equal(storageClass.status, 201);
    azurite = await Azurite.start();
    box = new Sandbox();
    writeFileSync(join(box.dir, 'kubeconfig.yaml'), api.kubeconfig());
    // The plugin on PATH is the one the engine uses (nothing can be downloaded here).
    // The machine's temporary folder, as the CLI and everything it starts see it (the sandbox gives it as TMPDIR).
    tmp = box.tmp;
    env = { PATH: `${setUpToolPath('pulumi-kubernetes')}:${process.env.PATH}`, MODELOPS_STORAGE_CONNECTION_STRING: azurite.connectionString };
  });
  after(async () => {
    box?.dispose();
    await controllers?.stop();
    await api?.stop();
    await azurite?.stop();
  });

  it('a context the kubeconfig does not have fails the cluster with the file and its contexts named; nothing else starts', async () => {
    box.write(config('2m').replace('  kubeconfig: kubeconfig.yaml', '  kubeconfig: kubeconfig.yaml\n  context: elsewhere'));
    const up = await cli(['up']);
    assert.equal(up.code, 1, up.stdout + up.stderr);
    assert.match(up.stdout + up.stderr, /no context "elsewhere" in \/[^;]*kubeconfig\.yaml; its contexts: test\. Fix `kubernetes\.context` in azure\.yaml\./);
    const components = (await status()).components.map((c) => [c.name, c.status]);
    assert.deepEqual(components, [['cluster', 'failed'], ['storage', 'ready'], ['workspace', 'absent'], ['adaptive-calib', 'absent']], up.stdout + up.stderr);
  });

  it('up applies the workspace and a run with Postgres; every component is ready, and no secret is printed', async () => {
    box.write(config('2m'));
    const up = await cli(['up']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.deepEqual((await status()).components.map((c) => [c.name, c.status]), [['cluster', 'ready'], ['storage', 'ready'], ['workspace', 'ready'], ['adaptive-calib', 'ready']]);

    const password = Buffer.from((await object(`/api/v1/namespaces/${RUN_NS}/secrets/postgres-secret`)).data!.POSTGRES_PASSWORD, 'base64').toString();
    assert.ok(password.length >= 24, 'the run has its generated password');
    for (const secret of [password, 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq', api.token]) {
      assert.ok(!(up.stdout + up.stderr).includes(secret), 'a secret reached the output of up');
    }
    // The Kubernetes provider writes the kubeconfig it is given to a temporary file and never removes it.
    const left = readdirSync(tmp, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).map((f) => join(f.parentPath, f.name));
    const withToken = left.filter((file) => readFileSync(file, 'utf8').includes(api.token));
    assert.deepEqual(withToken, [], "the cluster's credentials were left in the temporary folder");
  });

  it('the objects on the cluster are what azure.yaml says: selectors match the pods, resources and the worker memory limit as configured', async () => {
    const scheduler = await object(`/apis/apps/v1/namespaces/${WORKSPACE_NS}/deployments/dask-scheduler`);
    const workers = await object(`/apis/apps/v1/namespaces/${WORKSPACE_NS}/deployments/dask-workers`);
    for (const d of [scheduler, workers]) {
      for (const [k, v] of Object.entries(d.spec.selector.matchLabels as Record<string, string>)) assert.equal(d.spec.template.metadata.labels[k], v, `${d.metadata.name}: its selector matches its pods`);
    }
    const service = await object(`/api/v1/namespaces/${WORKSPACE_NS}/services/dask-scheduler`);
    for (const [k, v] of Object.entries(service.spec.selector as Record<string, string>)) assert.equal(scheduler.spec.template.metadata.labels[k], v, 'the service selects the scheduler pods');
    const endpoints = await object(`/api/v1/namespaces/${WORKSPACE_NS}/endpoints/dask-scheduler`);
    assert.ok(JSON.stringify(endpoints).includes('"ip"'), 'the scheduler service has endpoints');
    const pdb = await object(`/apis/policy/v1/namespaces/${WORKSPACE_NS}/poddisruptionbudgets/dask-scheduler-pdb`);
    assert.deepEqual(pdb.spec.selector.matchLabels, scheduler.spec.selector.matchLabels, 'the PDB covers the scheduler pods');
    const hpa = await object(`/apis/autoscaling/v2/namespaces/${WORKSPACE_NS}/horizontalpodautoscalers/dask-workers-hpa`);
    assert.deepEqual([hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name, hpa.spec.minReplicas, hpa.spec.maxReplicas], ['Deployment', 'dask-workers', 2, 5]);

    const worker = workers.spec.template.spec.containers[0];
    assert.deepEqual(worker.resources, { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '6Gi' } });
    const limit = worker.command[worker.command.indexOf('--memory-limit') + 1];
    assert.equal(limit, '3072MiB', 'two Dask processes share the 6Gi pod limit');
    assert.deepEqual(scheduler.spec.template.spec.containers[0].resources, { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } });

    const storageSecret = await object(`/api/v1/namespaces/${WORKSPACE_NS}/secrets/modelops-storage`);
    assert.equal(Buffer.from(storageSecret.data!.AZURE_STORAGE_CONNECTION_STRING, 'base64').toString(), azurite.connectionString);
    const runWorkers = await object(`/apis/apps/v1/namespaces/${RUN_NS}/deployments/adaptive-workers`);
    assert.equal(runWorkers.spec.replicas, 2);
    assert.equal(runWorkers.spec.template.metadata.labels.app, runWorkers.spec.selector.matchLabels.app);
    const pvc = await object(`/api/v1/namespaces/${RUN_NS}/persistentvolumeclaims/postgres-data`);
    assert.deepEqual([pvc.spec.storageClassName, pvc.spec.resources.requests.storage, (pvc as any).status.phase], ['standard', '1Gi', 'Bound']);
  });

  it('health is healthy; it turns unhealthy when the scheduler is scaled to 0 or the run\'s workers are deleted by hand, and drift finds the deletion', async () => {
    const before = await health();
    assert.deepEqual(before.filter((h) => h.verdict !== 'healthy'), [], JSON.stringify(before, null, 1));
    assert.ok(before.some((h) => h.component === 'storage' && h.check === 'containers'));

    const scaled = await api.call('PATCH', `/apis/apps/v1/namespaces/${WORKSPACE_NS}/deployments/dask-scheduler/scale`, { spec: { replicas: 0 } }, 'application/merge-patch+json');
    assert.equal(scaled.status, 200);
    const deleted = await api.call('DELETE', `/apis/apps/v1/namespaces/${RUN_NS}/deployments/adaptive-workers`);
    assert.equal(deleted.status, 200);
    const after = (await health()).filter((h) => h.verdict !== 'healthy');
    assert.deepEqual(after.map((h) => [h.component, h.check]), [['workspace', 'scheduler'], ['adaptive-calib', 'workers']]);
    assert.match(after[0].reason, /dask-scheduler is scaled to 0/);
    assert.match(after[1].reason, /adaptive-workers does not exist/);

    const drift = await box.jsonAsync<DriftDocument>(['drift', 'adaptive-calib'], [], env);
    const changes = drift.components[0].resources.map((r) => [r.urn.split('::').pop(), r.change]);
    assert.ok(changes.some(([name, change]) => name === 'calib-workers' && change === 'deleted'), JSON.stringify(changes));

    // up brings it back: the run's workers are created again, and the scheduler is scaled back.
    const up = await cli(['up']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.equal((await get(`/apis/apps/v1/namespaces/${RUN_NS}/deployments/adaptive-workers`)).status, 200);
  });

  it('with the kubelet down, up fails on ready_timeout with the reason, and nothing is called ready', async () => {
    const threeWorkers = (readyTimeout: string) => config(readyTimeout).replace(`workers: { image: "${IMAGE}", replicas: 2 }`, `workers: { image: "${IMAGE}", replicas: 3 }`);
    box.write(threeWorkers('20s'));
    controllers.pause();
    try {
      const up = await cli(['up', 'adaptive-calib']);
      assert.equal(up.code, 1, up.stdout + up.stderr);
      // The provider's own reason, as it gives it for a real cluster whose pods never become ready.
      assert.match(up.stdout + up.stderr, /"[\w-]+\/adaptive-workers" failed to fully initialize or become live: 'adaptive-workers' timed out waiting to be Ready/);
      assert.match(up.stdout + up.stderr, /Minimum number of live Pods was not attained/);
      const calib = (await status()).components.find((c) => c.name === 'adaptive-calib')!;
      assert.equal(calib.status, 'failed', 'a run whose workers never became available is not ready');
    } finally {
      controllers.resume();
    }
    // The short wait only made the failure quick; it is not part of the spec, so this is the same run.
    box.write(threeWorkers('2m'));
    const up = await cli(['up', 'adaptive-calib']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.equal((await status()).components.find((c) => c.name === 'adaptive-calib')!.status, 'ready');
  });

  it('a rotated storage key makes what read the old one stale; preview names it; one up updates its Secret in place, and all is ready', async () => {
    const path = `/api/v1/namespaces/${WORKSPACE_NS}/secrets/${'modelops-storage'}`;
    const before = await object(path);
    const uid = (before.metadata as { uid?: string }).uid;
    // The same account, another connection string: what a rotated key looks like to the programs.
    const rotated = azurite.connectionString.endsWith(';') ? azurite.connectionString.slice(0, -1) : `${azurite.connectionString};`;
    env = { ...env, MODELOPS_STORAGE_CONNECTION_STRING: rotated };
    const repaired = await cli(['repair', 'storage']);
    assert.equal(repaired.code, 0, repaired.stdout + repaired.stderr);

    const stale = (await status()).components.filter((c) => c.status !== 'ready') as unknown as Array<{ name: string; status: string; reason: string }>;
    assert.deepEqual(stale.map((c) => [c.name, c.status]), [['workspace', 'stale'], ['adaptive-calib', 'stale']], 'built from the old connection string');
    assert.match(stale[0]!.reason, /^reads connection_string\b.* from storage, changed since its last up/);
    const preview = await box.jsonAsync<PreviewDocument>(['preview'], [], env);
    assert.deepEqual(preview.components.find((c) => c.name === 'storage')!.reaches?.map((r) => [r.component, r.certain]), [['workspace', true], ['adaptive-calib', true]]);
    assert.equal(Buffer.from((await object(path)).data!.AZURE_STORAGE_CONNECTION_STRING, 'base64').toString(), azurite.connectionString, 'nothing changed yet');

    const up = await cli(['up'], ['--events']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    const summary = up.events.find((e) => e.type === 'operation-done') as { summary: string };
    assert.match(summary.summary, /re-applied workspace: storage's connection_string\b[^;]* changed; re-applied adaptive-calib: storage's connection_string/);
    const after = await object(path);
    assert.equal((after.metadata as { uid?: string }).uid, uid, 'the same Secret, updated in place (a replacement deletes it and makes a new one)');
    assert.equal(Buffer.from(after.data!.AZURE_STORAGE_CONNECTION_STRING, 'base64').toString(), rotated);
    assert.deepEqual((await status()).components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready']);
    assert.ok(!(up.stdout + up.stderr).includes(rotated), 'the connection string never reaches the output');
  });

  it("a new storage class for the run's volume would replace its PVC: up, repair and reconcile --heal refuse it (exit 3), the volume untouched", async () => {
    const path = `/api/v1/namespaces/${RUN_NS}/persistentvolumeclaims/postgres-data`;
    const uid = ((await object(path)).metadata as { uid?: string }).uid;
    // The file as the tests before left it (three workers), with only the class changed.
    const current = config('2m').replace(`workers: { image: "${IMAGE}", replicas: 2 }`, `workers: { image: "${IMAGE}", replicas: 3 }`);
    box.write(current.replace('storageClass: standard', 'storageClass: premium'));
    const up = await cli(['up']);
    assert.equal(up.code, 3, `refused, not failed\n${up.stdout}${up.stderr}`);
    assert.match(up.stdout + up.stderr, /updating adaptive-calib would replace PersistentVolumeClaim calib-postgres-pvc \(replaced because of spec\.storageClassName\), which holds data/);
    const repair = await cli(['repair', 'adaptive-calib']);
    assert.equal(repair.code, 3, `repair is refused too\n${repair.stdout}${repair.stderr}`);
    const heal = await cli(['reconcile', '--once', '--heal']);
    assert.equal(heal.code, 3, `and the loop's heal\n${heal.stdout}${heal.stderr}`);
    assert.match(heal.stdout, /adaptive-calib +stalled: StatefulChange/);
    const after = await object(path);
    assert.deepEqual([(after.metadata as { uid?: string }).uid, after.spec.storageClassName], [uid, 'standard'], 'the same volume, as it was');
    box.write(current);
    const calib = (await status()).components.find((c) => c.name === 'adaptive-calib') as unknown as { status: string; spec: string };
    assert.deepEqual([calib.status, calib.spec], ['ready', 'current'], 'put back, it is the run that was deployed');
  });

  /** `up workspace` killed while the provider waits for the scheduler's pods: the Deployment exists, its create is pending. */
  async function killedWorkspaceCreate(path: string): Promise<string | undefined> {
    box.write(config('2m'));
    const down = await cli(['down', 'workspace', 'adaptive-calib', '--yes']);
    assert.equal(down.code, 0, down.stdout + down.stderr);
    controllers.pause(); // no pod becomes ready: the provider waits on the scheduler's Deployment
    try {
      const up = box.start(['up', 'workspace'], [], env);
      for (let i = 0; i < 240 && (await get(path)).status !== 200; i++) await new Promise((r) => setTimeout(r, 500));
      assert.equal((await get(path)).status, 200, 'the Deployment was created on the API server');
      up.killTree();
      await up.exited;
    } finally {
      controllers.resume();
    }
    const workspace = (await status()).components.find((c) => c.name === 'workspace')!;
    assert.equal(workspace.status, 'interrupted', workspace.reason);
    return ((await object(path)).metadata as { uid?: string }).uid;
  }

  it('a create killed mid-way (the CLI gone while the workspace waits for its pods) is settled by reconcile --heal: the object found on the API server and adopted, no duplicate, no stall', async () => {
    const path = `/apis/apps/v1/namespaces/${WORKSPACE_NS}/deployments/dask-scheduler`;
    const uid = await killedWorkspaceCreate(path);

    // The loop, as a schedule runs it: nobody there to find the object by hand.
    const heal = await cli(['reconcile', '--once', '--heal'], ['--events']);
    assert.ok(heal.events.some((e) => e.type === 'step-done' && e.component === 'workspace' && e.action === 'resolve-pending' && e.result === 'succeeded'), `settled by probing the API server\n${heal.stdout}`);
    const conditions = heal.events.filter((e) => e.type === 'condition' && e.component === 'workspace').map((e) => (e.type === 'condition' ? `${e.condition} ${e.reason}` : ''));
    assert.ok(!conditions.some((c) => c.startsWith('stalled')), `no stall: ${conditions.join(', ')}`);
    assert.equal(conditions.at(-1), 'ready Converged');
    assert.equal(((await object(path)).metadata as { uid?: string }).uid, uid, 'the same Deployment, adopted: not deleted and made again');
    const list = (await get(`/apis/apps/v1/namespaces/${WORKSPACE_NS}/deployments`)).body as { items: unknown[] };
    assert.equal(list.items.length, 2, 'the scheduler and the workers, once each');
    assert.equal((await status()).components.find((c) => c.name === 'workspace')!.status, 'ready');
    const up = await cli(['up']);
    assert.equal(up.code, 0, `and the run that depends on it comes back\n${up.stdout}${up.stderr}`);
  });

  it('the same kill, settled by repair: the Deployment adopted, none made twice, everything ready', async () => {
    const path = `/apis/apps/v1/namespaces/${WORKSPACE_NS}/deployments/dask-scheduler`;
    const uid = await killedWorkspaceCreate(path);
    const repair = await cli(['repair', 'workspace'], ['--events']);
    assert.equal(repair.code, 0, repair.stdout + repair.stderr);
    assert.ok(repair.events.some((e) => e.type === 'step-done' && e.component === 'workspace' && e.action === 'resolve-pending' && e.result === 'succeeded'), repair.stdout);
    assert.equal(((await object(path)).metadata as { uid?: string }).uid, uid, 'the same Deployment, adopted');
    const list = (await get(`/apis/apps/v1/namespaces/${WORKSPACE_NS}/deployments`)).body as { items: unknown[] };
    assert.equal(list.items.length, 2, 'the scheduler and the workers, once each');
    const up = await cli(['up']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.ok((await status()).components.every((c) => c.status === 'ready'), JSON.stringify((await status()).components.map((c) => [c.name, c.status])));
  });

  it('down removes every object it made and leaves the cluster alone', async () => {
    const down = await cli(['down', '--yes']);
    assert.equal(down.code, 0, down.stdout + down.stderr);
    for (const ns of [WORKSPACE_NS, RUN_NS]) assert.equal((await get(`/api/v1/namespaces/${ns}`)).status, 404, `${ns} is gone`);
    assert.equal((await get('/api/v1/namespaces/kube-system')).status, 200, 'the cluster itself is untouched');
    assert.equal((await get('/api/v1/nodes/node-1')).status, 200);
    // Storage holds data: `down` keeps it unless it is named; named, its stack goes and the account stays.
    assert.deepEqual((await status()).components.map((c) => c.status), ['absent', 'ready', 'absent', 'absent']);
    const storage = await cli(['down', 'storage', '--yes']);
    assert.equal(storage.code, 0, storage.stdout + storage.stderr);
    assert.deepEqual((await status()).components.map((c) => c.status), ['absent', 'absent', 'absent', 'absent']);
    const containers = (await import('@azure/storage-blob')).BlobServiceClient.fromConnectionString(azurite.connectionString).listContainers();
    const names: string[] = [];
    for await (const c of containers) names.push(c.name);
    assert.ok(names.includes('results'), 'down never deletes data in an account it did not create');
  });
});
