/** The Azure programs that run on AKS (workspace, adaptive runs), under Pulumi's mocks. */
import { strict as assert } from 'node:assert';
import type * as pulumi from '@pulumi/pulumi';
import { azureProgram } from '../../src/engine/programs/azure';
import { daskMemoryLimit, imagePullPolicy, memoryBytes } from '../../src/engine/programs/azure/kube';
import { FLAT_EXAMPLE, withoutAcr, KUBECONFIG, SECTIONS, contextFor, dependencyOutputs, isSecretValue, parse, run, type Run } from './mocks';

const FULL = FLAT_EXAMPLE + SECTIONS.storage + SECTIONS.workspace + SECTIONS.adaptive;

type Obj = Record<string, any>;

async function runComponent(text: string, component: string, env = 'dev', options?: Parameters<typeof run>[2]): Promise<Run> {
  return run(contextFor(parse(text.replace('environment: dev', `environment: ${env}`)), component, env), azureProgram, options);
}

const podSpec = (deployment: pulumi.runtime.MockResourceArgs): Obj => (deployment.inputs as Obj).spec.template.spec;
const container = (deployment: pulumi.runtime.MockResourceArgs): Obj => podSpec(deployment).containers[0];

function assertHardened(deployment: pulumi.runtime.MockResourceArgs, uid = 1000): void {
  const spec = podSpec(deployment);
  assert.equal(spec.securityContext.runAsUser, uid, deployment.name);
  assert.equal(spec.securityContext.runAsNonRoot, true, deployment.name);
  assert.deepEqual(container(deployment).securityContext, { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, deployment.name);
}

describe('azure programs: workspace', () => {
  it('talks to the cluster through a provider made from its (secret) kubeconfig', async () => {
    const r = await runComponent(FULL, 'workspace');
    const provider = r.resource('pulumi:providers:kubernetes', 'dask-k8s');
    assert.equal(provider.inputs.kubeconfig, KUBECONFIG);
    assert.ok(isSecretValue(provider.rawInputs.kubeconfig), 'the kubeconfig stays secret');
    assert.equal(provider.inputs.deleteUnreachable, 'true');
    for (const resource of r.resources.filter((x) => x.type.startsWith('kubernetes:'))) assert.match(String(resource.provider), /::modelops:workspace:dask\$pulumi:providers:kubernetes::dask-k8s::/, resource.name);
  });

  it('creates the namespace, the secrets, scheduler + service + PDB and the workers', async () => {
    const r = await runComponent(FULL, 'workspace');
    assert.equal(r.resource('kubernetes:core/v1:Namespace').inputs.metadata.name, 'modelops-dask-dev');
    const storage = r.resource('kubernetes:core/v1:Secret', 'dask-storage-secret').inputs;
    assert.equal(storage.metadata.name, 'modelops-storage');
    assert.equal(storage.metadata.namespace, 'modelops-dask-dev');
    assert.deepEqual(storage.stringData, { AZURE_STORAGE_CONNECTION_STRING: dependencyOutputs().storage.outputs.connection_string, AZURE_STORAGE_ACCOUNT: 'acct' });
    const bundle = r.resource('kubernetes:core/v1:Secret', 'dask-bundle-credentials').inputs.stringData;
    assert.deepEqual(bundle, {
      REGISTRY_SERVER: 'modelopsdevacralice.azurecr.io',
      REGISTRY_USERNAME: 'acr-user',
      REGISTRY_PASSWORD: 'acr-password',
    });

    const scheduler = r.resource('kubernetes:apps/v1:Deployment', 'dask-scheduler');
    assert.equal(scheduler.inputs.metadata.name, 'dask-scheduler');
    assert.equal(scheduler.inputs.spec.replicas, 1);
    assert.equal(scheduler.inputs.spec.template.metadata.annotations['cluster-autoscaler.kubernetes.io/safe-to-evict'], 'false');
    assert.match(scheduler.inputs.spec.template.metadata.annotations['checksum/bundle-credentials'], /^[0-9a-f]{16}$/);
    const s = container(scheduler);
    assert.equal(s.image, 'ghcr.io/example/scheduler:1.2');
    assert.equal(s.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(s.command, ['dask-scheduler']);
    assert.deepEqual(s.ports.map((p: Obj) => p.containerPort), [8786, 8787]);
    assert.deepEqual(s.resources, { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } });
    assert.deepEqual(s.env, [{ name: 'MODELOPS_BUNDLE_REGISTRY', value: 'modelopsdevacralice.azurecr.io' }]);
    assert.deepEqual(s.envFrom, [{ secretRef: { name: 'modelops-storage', optional: true } }, { secretRef: { name: 'bundle-credentials' } }]);
    assert.deepEqual(podSpec(scheduler).tolerations, [{ key: 'modelops.io/role', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' }]);
    assertHardened(scheduler);

    const service = r.resource('kubernetes:core/v1:Service').inputs;
    assert.equal(service.metadata.name, 'dask-scheduler');
    assert.equal(service.spec.type, 'ClusterIP');
    assert.deepEqual(service.spec.ports.map((p: Obj) => p.port), [8786, 8787]);
    const pdb = r.resource('kubernetes:policy/v1:PodDisruptionBudget').inputs;
    assert.equal(pdb.metadata.name, 'dask-scheduler-pdb');
    assert.deepEqual(pdb.spec, { maxUnavailable: 1, selector: { matchLabels: { app: 'dask-scheduler' } } }, 'one scheduler may be evicted, so a node drain (an AKS upgrade) can finish');

    assert.deepEqual(scheduler.inputs.spec.template.metadata.labels, { 'modelops.io/component': 'scheduler', 'modelops.io/workspace': 'suite', app: 'dask-scheduler' });
    const workers = r.resource('kubernetes:apps/v1:Deployment', 'dask-workers');
    assert.equal(workers.inputs.spec.replicas, 2, "the original's default: an HPA from 2 to 20, starting at 2");
    assert.deepEqual(workers.inputs.spec.selector.matchLabels, { app: 'dask-worker' }, "the original's selector (its CLI runs kubectl -l app=dask-worker)");
    assert.deepEqual(workers.inputs.spec.template.metadata.labels, { 'modelops.io/component': 'worker', 'modelops.io/workspace': 'suite', app: 'dask-worker' });
    const w = container(workers);
    assert.equal(w.imagePullPolicy, 'Always', ':latest is pulled every time');
    assert.deepEqual(w.command, ['dask-worker', 'tcp://dask-scheduler:8786', '--nworkers', '2', '--nthreads', '1', '--memory-limit', '4096MiB', '--resources', 'aggregation=1']);
    assert.deepEqual(w.resources, { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '4', memory: '8Gi' } });
    assertHardened(workers);
    const hpa = r.resource('kubernetes:autoscaling/v2:HorizontalPodAutoscaler').inputs.spec;
    assert.deepEqual([hpa.minReplicas, hpa.maxReplicas, hpa.metrics[0].resource.target.averageUtilization], [2, 20, 70]);
  });

  it('has fixed workers and no HPA only when autoscaling is turned off', async () => {
    const r = await runComponent(FULL.replace('    workers:\n', '    autoscaling: { enabled: false }\n    workers:\n'), 'workspace');
    assert.deepEqual(r.ofType('kubernetes:autoscaling/v2:HorizontalPodAutoscaler'), []);
    assert.equal(r.resource('kubernetes:apps/v1:Deployment', 'dask-workers').inputs.spec.replicas, 3);
    assert.deepEqual([r.outputs.worker_count, r.outputs.autoscaling_enabled], [3, false]);
  });

  it('exports the scheduler address, dashboard and namespace, none secret', async () => {
    const r = await runComponent(FULL, 'workspace');
    assert.deepEqual(r.outputs, {
      scheduler_address: 'tcp://dask-scheduler.modelops-dask-dev:8786',
      dashboard_url: 'http://dask-scheduler.modelops-dask-dev:8787',
      namespace: 'modelops-dask-dev',
      scheduler_service_name: 'dask-scheduler',
      scheduler_port: 8786,
      dashboard_port: 8787,
      worker_count: '2-20',
      worker_processes: 2,
      worker_threads: 1,
      autoscaling_enabled: true,
      autoscaling_min: 2,
      autoscaling_max: 20,
    });
    assert.deepEqual([...r.secrets], []);
  });

  it('adds an HPA and starts at its minimum when autoscaling is on', async () => {
    const text = FULL.replace('    workers:\n', '    autoscaling: { min_workers: 1, max_workers: 8, target_cpu: 60 }\n    workers:\n');
    const r = await runComponent(text, 'workspace');
    const hpa = r.resource('kubernetes:autoscaling/v2:HorizontalPodAutoscaler').inputs;
    assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.metrics[0].resource.target.averageUtilization], [1, 8, 60]);
    assert.equal(hpa.spec.scaleTargetRef.name, 'dask-workers');
    assert.equal(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds, 300);
    assert.equal(r.resource('kubernetes:apps/v1:Deployment', 'dask-workers').inputs.spec.replicas, 1);
    assert.equal(r.outputs.worker_count, '1-8');
    assert.deepEqual([r.outputs.autoscaling_enabled, r.outputs.autoscaling_min, r.outputs.autoscaling_max], [true, 1, 8]);
  });

  it('has no bundle credentials or registry env without a registry, and names a hyphenated env namespace', async () => {
    const r = await runComponent(withoutAcr(FULL) + 'environment: vsb-dev\n', 'workspace', 'vsb-dev');
    assert.equal(r.outputs.namespace, 'modelops-dask-vsb-dev');
    assert.deepEqual(r.ofType('kubernetes:core/v1:Secret').map((s) => s.name), ['dask-storage-secret']);
    const s = container(r.resource('kubernetes:apps/v1:Deployment', 'dask-scheduler'));
    assert.deepEqual(s.env, []);
    assert.deepEqual(s.envFrom, [{ secretRef: { name: 'modelops-storage', optional: true } }]);
  });

  it('keeps configured tolerations and node selectors', async () => {
    const text = FULL.replace('    workers:\n', '    tolerations: [{ key: gpu, operator: Exists, effect: NoSchedule }]\n    workers:\n      nodeSelector: { agentpool: cpu }\n');
    const r = await runComponent(text, 'workspace');
    const workers = podSpec(r.resource('kubernetes:apps/v1:Deployment', 'dask-workers'));
    assert.deepEqual(workers.tolerations, [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    assert.deepEqual(workers.nodeSelector, { agentpool: 'cpu' });
  });
});

describe('azure programs: worker memory', () => {
  it('gives each Dask process its share of the pod limit', () => {
    assert.equal(memoryBytes('4Gi'), 4 * 2 ** 30);
    assert.equal(memoryBytes('1500M'), 1.5e9);
    assert.equal(daskMemoryLimit('4Gi', 1), '4096MiB');
    assert.equal(daskMemoryLimit('12Gi', 4), '3072MiB');
    assert.equal(daskMemoryLimit('1G', 3), '317MiB');
    assert.throws(() => memoryBytes('lots'), /not a memory quantity/);
  });

  it('pulls moving tags every time', () => {
    assert.equal(imagePullPolicy('ghcr.io/x/worker:latest'), 'Always');
    assert.equal(imagePullPolicy('localhost:5000/worker'), 'Always');
    assert.equal(imagePullPolicy('localhost:5000/worker:1.0'), 'IfNotPresent');
    assert.equal(imagePullPolicy('ghcr.io/x/worker@sha256:abc'), 'IfNotPresent');
  });
});

describe('azure programs: adaptive run', () => {
  it('creates namespace, config map, secrets, in-cluster Postgres with a generated password, and workers', async () => {
    const r = await runComponent(FULL, 'adaptive-default');
    const ns = 'modelops-adaptive-dev-default';
    assert.equal(r.resource('kubernetes:core/v1:Namespace').inputs.metadata.name, ns);
    assert.deepEqual(r.resource('kubernetes:core/v1:ConfigMap').inputs.data, { INFRA_NAME: 'default', ALGORITHM: 'optuna', NAMESPACE: ns, DASK_SCHEDULER: 'tcp://dask-scheduler.modelops-dask-dev:8786' });
    const password = r.resource('pulumi-nodejs:dynamic/modelops-azure:StablePassword', 'default-postgres-password');
    assert.equal(password.inputs.length, 24);
    assert.deepEqual(r.resource('kubernetes:core/v1:Secret', 'default-postgres-secret').inputs.stringData, { POSTGRES_USER: 'optuna_user', POSTGRES_PASSWORD: 'generated-password-0123456789', POSTGRES_DB: 'optuna' });
    const pvc = r.resource('kubernetes:core/v1:PersistentVolumeClaim').inputs;
    assert.deepEqual([pvc.metadata.name, pvc.spec.storageClassName, pvc.spec.resources.requests.storage], ['postgres-data', 'managed-csi', '5Gi']);
    const postgres = r.resource('kubernetes:apps/v1:Deployment', 'default-postgres');
    assert.equal(postgres.inputs.spec.strategy.type, 'Recreate');
    assert.equal(container(postgres).image, 'postgres:14-alpine');
    assertHardened(postgres, 999);
    assert.equal(r.resource('kubernetes:core/v1:Service').inputs.metadata.name, 'postgres');

    const dsn = 'postgresql://optuna_user:generated-password-0123456789@postgres.modelops-adaptive-dev-default:5432/optuna';
    assert.deepEqual(r.resource('kubernetes:core/v1:Secret', 'default-secret').inputs.stringData, { STORAGE_CONNECTION: dependencyOutputs().storage.outputs.connection_string, POSTGRES_DSN: dsn });
    const workers = r.resource('kubernetes:apps/v1:Deployment', 'default-workers');
    const w = container(workers);
    assert.equal(workers.inputs.metadata.name, 'adaptive-workers');
    assert.equal(workers.inputs.spec.replicas, 2);
    assert.equal(w.image, 'ghcr.io/example/adaptive-worker:1.2', 'the configured image: there is no published default');
    assert.deepEqual(w.command, ['python', '-m', 'modelops.adaptive.worker']);
    assert.deepEqual(w.resources, { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    assert.deepEqual(w.env.map((e: Obj) => e.name), ['POSTGRES_DSN', 'DASK_SCHEDULER', 'ALGORITHM', 'NAMESPACE']);
    assertHardened(workers);

    assert.deepEqual(r.outputs, { name: 'default', namespace: ns, scheduler_address: 'tcp://dask-scheduler.modelops-dask-dev:8786', postgres_dsn: dsn, workers_name: 'adaptive-workers', worker_replicas: 2, algorithm: 'optuna' });
    assert.deepEqual([...r.secrets], ['postgres_dsn']);
  });

  it('uses the postgresPassword stack secret when set', async () => {
    const r = await runComponent(FULL, 'adaptive-default', 'dev', { config: { postgresPassword: 'p@ss/word' }, secretConfig: ['postgresPassword'] });
    assert.deepEqual(r.ofType('pulumi-nodejs:dynamic/modelops-azure:StablePassword'), []);
    assert.equal(r.outputs.postgres_dsn, 'postgresql://optuna_user:p%40ss%2Fword@postgres.modelops-adaptive-dev-default:5432/optuna');
  });

  it('deploys no Postgres for an external store and requires its password', async () => {
    const text = FULL.replace('    persistence: { size: 5Gi }\n', '    central_store: { kind: postgres, mode: external, host: db.example.com, port: 6432 }\n');
    await assert.rejects(runComponent(text, 'adaptive-default'), /pulumi config set --secret postgresPassword <password> --stack modelops-adaptive-dev-default/);
    const r = await runComponent(text, 'adaptive-default', 'dev', { config: { postgresPassword: 'pw' }, secretConfig: ['postgresPassword'] });
    assert.deepEqual(r.ofType('kubernetes:apps/v1:Deployment').map((d) => d.name), ['default-workers']);
    assert.equal(r.outputs.postgres_dsn, 'postgresql://optuna_user:pw@db.example.com:6432/optuna');
  });

  it('has no DSN without a Postgres store, and an emptyDir without persistence', async () => {
    const none = await runComponent(FULL.replace('    persistence: { size: 5Gi }\n', '    central_store: { kind: none }\n'), 'adaptive-default');
    assert.equal('postgres_dsn' in none.outputs, false);
    assert.deepEqual(container(none.resource('kubernetes:apps/v1:Deployment', 'default-workers')).env.map((e: Obj) => e.name), ['DASK_SCHEDULER', 'ALGORITHM', 'NAMESPACE']);
    const ephemeral = await runComponent(FULL.replace('persistence: { size: 5Gi }', 'persistence: { enabled: false }'), 'adaptive-default');
    assert.deepEqual(ephemeral.ofType('kubernetes:core/v1:PersistentVolumeClaim'), []);
    assert.deepEqual(podSpec(ephemeral.resource('kubernetes:apps/v1:Deployment', 'default-postgres')).volumes, [{ name: 'data', emptyDir: {} }]);
  });

  it('names the namespace for a hyphenated env', async () => {
    const r = await runComponent(FULL + 'environment: vsb-dev\n', 'adaptive-default', 'vsb-dev');
    assert.equal(r.outputs.namespace, 'modelops-adaptive-vsb-dev-default');
  });
});
