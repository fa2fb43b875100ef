/**
 * What the engine, Kubernetes and the original's users rely on beyond the inputs the other program
 * tests check: resource options (replace order, ignored fields, dependencies, secret outputs), whole
 * manifests where a field changes behaviour (HPA policy, probes, lifecycle rule), defaults taken when
 * a section is absent, and the edge values the helpers must survive. Written to kill the mutants
 * `npm run mutation` found surviving (docs/azure.md lists the ones kept).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azureProgram } from '../../src/engine/programs/azure';
import { agentPoolProfile, kubeletObjectId, sshPublicKey } from '../../src/engine/programs/azure/cluster';
import { acrPullAssignmentName } from '../../src/engine/programs/azure/ids';
import { envList, record, tolerations, DEFAULT_TOLERATIONS } from '../../src/engine/programs/azure/kube';
import { stablePasswordProvider } from '../../src/engine/programs/azure/password';
import { endpointSuffix } from '../../src/engine/programs/azure/storage';
import { workspaceShape } from '../../src/engine/programs/azure/workspace';
import { workerCommandOf } from '../../src/engine/programs/azure/adaptive';
import { FLAT_EXAMPLE, KUBELET_OBJECT_ID, SECTIONS, SSH_KEY, SUBSCRIPTION, contextFor, parse, run, withoutAcr, type Run, type RunOptions } from './mocks';

type Obj = Record<string, any>;
const FULL = FLAT_EXAMPLE + SECTIONS.storage + SECTIONS.workspace + SECTIONS.adaptive;

function runComponent(text: string, component: string, options?: RunOptions): Promise<Run> {
  return run(contextFor(parse(text), component, 'dev'), azureProgram, options);
}

const kubernetesObjects = (r: Run) => r.resources.filter((x) => x.type.startsWith('kubernetes:') && x.type !== 'kubernetes:core/v1:Namespace');

describe('azure programs: what the engine is told', () => {
  it('workspace: every object waits for its namespace and is deleted before it is replaced; an HPA owns the worker count', async () => {
    const r = await runComponent(FULL, 'workspace');
    const objects = kubernetesObjects(r);
    assert.ok(objects.length >= 6);
    for (const o of objects) {
      assert.ok(o.options.dependsOn.includes('dask-namespace'), `${o.name} depends on its namespace`);
      assert.equal(o.options.deleteBeforeReplace, true, `${o.name}: a fixed name cannot exist twice`);
    }
    assert.deepEqual(r.resource('kubernetes:apps/v1:Deployment', 'dask-workers').options.ignoreChanges, ['spec.replicas'], 'an up must not reset what the HPA scaled');
    const fixed = await runComponent(FULL.replace('    workers:\n', '    autoscaling: { enabled: false }\n    workers:\n'), 'workspace');
    assert.deepEqual(fixed.resource('kubernetes:apps/v1:Deployment', 'dask-workers').options.ignoreChanges, [], 'without an HPA, workers.replicas is applied');
  });

  it('adaptive run: objects wait for the namespace, the password stays an encrypted secret output', async () => {
    const r = await runComponent(FULL, 'adaptive-default');
    for (const o of kubernetesObjects(r)) assert.ok(o.options.dependsOn.includes('default-namespace'), `${o.name} depends on its namespace`);
    assert.ok(r.resource('kubernetes:apps/v1:Deployment', 'default-postgres').options.dependsOn.includes('default-postgres-pvc'), 'Postgres waits for its volume claim');
    assert.deepEqual(r.resource('pulumi-nodejs:dynamic/modelops-azure:StablePassword').options.additionalSecretOutputs, ['password']);
  });

  it('cluster: AKS and its AcrPull grant are deleted before they are replaced (their names are fixed)', async () => {
    const r = await runComponent(FLAT_EXAMPLE, 'cluster');
    assert.equal(r.resource('azure-native:containerservice:ManagedCluster').options.deleteBeforeReplace, true);
    assert.equal(r.resource('azure-native:authorization:RoleAssignment').options.deleteBeforeReplace, true);
  });

  it('reads each dependency stack through one StackReference', async () => {
    for (const component of ['cluster', 'workspace', 'adaptive-default']) {
      const r = await runComponent(FULL, component);
      assert.deepEqual(r.references, [...new Set(r.references)], `${component} registers a StackReference twice: ${r.references.join(', ')}`);
      assert.ok(r.references.length > 0);
    }
  });
});

describe("azure programs: the original's URNs", () => {
  // The original's components (super().__init__(type, name) and the name each service passed); every resource its child.
  const ORIGINAL: Record<string, [string, string]> = {
    'resource-group': ['modelops:azure:ResourceGroup', 'resource-group'],
    registry: ['modelops:infra:registry', 'modelops-registry'],
    cluster: ['modelops:infra:cluster', 'modelops'],
    storage: ['modelops:infra:storage', 'storage'],
    workspace: ['modelops:workspace:dask', 'dask'],
    'adaptive-default': ['modelops:adaptive:infra', 'default'],
  };
  for (const [component, [type, name]] of Object.entries(ORIGINAL)) {
    it(`${component}: every resource is a child of the original's ${type} "${name}"`, async () => {
      const r = await runComponent(FULL, component);
      const parents = r.resources.filter((x) => !x.custom);
      assert.deepEqual(parents.map((x) => [x.type, x.name]), [[type, name]]);
      const stack = contextFor(parse(FULL), component).component;
      const parentUrn = `urn:pulumi:${stack.stack}::${stack.project}::${type}::${name}`;
      // The explicit azure-native provider is ours alone (the original used the default one), so it has no original URN to keep.
      const children = r.resources.filter((x) => x.custom && !(x.type === 'pulumi:providers:azure-native'));
      assert.ok(children.length >= 1);
      for (const child of children) assert.equal(child.options.parent, parentUrn, `${child.type} ${child.name}`);
    });
  }
});

describe('azure programs: manifests, field by field', () => {
  it('workspace: the HPA scales down at most half the workers a minute, after the configured delay', async () => {
    const r = await runComponent(FULL, 'workspace');
    const { metadata, spec } = r.resource('kubernetes:autoscaling/v2:HorizontalPodAutoscaler').inputs;
    assert.deepEqual({ metadata, spec }, {
      metadata: { name: 'dask-workers-hpa', namespace: 'modelops-dask-dev', labels: { 'modelops.io/component': 'workers', 'modelops.io/workspace': 'suite', app: 'dask-worker' } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'dask-workers' },
        minReplicas: 2,
        maxReplicas: 20,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } },
      },
    });
  });

  it('workspace: named ports, a readiness probe on the scheduler port, labels the original CLI selects', async () => {
    const r = await runComponent(FULL, 'workspace');
    const scheduler = r.resource('kubernetes:apps/v1:Deployment', 'dask-scheduler').inputs;
    const c = scheduler.spec.template.spec.containers[0];
    assert.equal(c.name, 'dask-scheduler');
    assert.deepEqual(c.ports, [{ name: 'tcp-comm', containerPort: 8786 }, { name: 'http-dashboard', containerPort: 8787 }]);
    assert.deepEqual(c.readinessProbe, { tcpSocket: { port: 8786 }, initialDelaySeconds: 5, periodSeconds: 10 });
    assert.deepEqual(scheduler.metadata, { name: 'dask-scheduler', namespace: 'modelops-dask-dev', labels: { 'modelops.io/component': 'scheduler', 'modelops.io/workspace': 'suite', app: 'dask-scheduler' } });
    const service = r.resource('kubernetes:core/v1:Service').inputs;
    assert.deepEqual(service.metadata.labels, scheduler.metadata.labels);
    assert.deepEqual(service.spec.ports, [{ name: 'tcp-comm', port: 8786, targetPort: 8786 }, { name: 'http-dashboard', port: 8787, targetPort: 8787 }]);
    const workers = r.resource('kubernetes:apps/v1:Deployment', 'dask-workers').inputs;
    assert.deepEqual(workers.metadata, { name: 'dask-workers', namespace: 'modelops-dask-dev', labels: { 'modelops.io/component': 'workers', 'modelops.io/workspace': 'suite', app: 'dask-worker' } });
    assert.equal(workers.spec.template.spec.containers[0].name, 'dask-worker');
    assert.deepEqual(r.resource('kubernetes:core/v1:Namespace').inputs.metadata, { name: 'modelops-dask-dev', labels: { 'modelops.io/component': 'workspace', 'modelops.io/workspace': 'suite' } });
    for (const secret of r.ofType('kubernetes:core/v1:Secret')) {
      assert.deepEqual(secret.inputs.metadata.labels, { 'modelops.io/component': 'workspace', 'modelops.io/workspace': 'suite', app: secret.inputs.metadata.name });
    }
  });

  it('workspace: workers default to 4Gi / 2 CPU pods', async () => {
    const text = FULL.replace('      resources: { limits: { memory: 8Gi, cpu: "4" } }\n', '');
    const r = await runComponent(text, 'workspace');
    const w = r.resource('kubernetes:apps/v1:Deployment', 'dask-workers').inputs.spec.template.spec.containers[0];
    assert.deepEqual(w.resources, { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } });
    assert.deepEqual(w.command.slice(-4), ['--memory-limit', '2048MiB', '--resources', 'aggregation=1'], '4Gi shared by the 2 processes');
  });

  it('workspace: pods roll when the storage or registry secret changes, not otherwise', async () => {
    const checksumOf = (r: Run): string => r.resource('kubernetes:apps/v1:Deployment', 'dask-workers').inputs.spec.template.metadata.annotations['checksum/bundle-credentials'];
    const base = checksumOf(await runComponent(FULL, 'workspace'));
    assert.equal(checksumOf(await runComponent(FULL, 'workspace')), base);
    const rotatedKey = await runComponent(FULL, 'workspace', { dependencies: (o) => void (o.storage.outputs.connection_string = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=bmV3') });
    assert.notEqual(checksumOf(rotatedKey), base, 'a rotated account key rolls the pods');
    const newPassword = await runComponent(FULL, 'workspace', { dependencies: (o) => void (o.registry.outputs.bundles_pull_password = 'rotated') });
    assert.notEqual(checksumOf(newPassword), base, 'a new registry password rolls the pods');
  });

  it('workspace without storage: no storage secret, and pods get only the registry credentials', async () => {
    const r = await runComponent(FLAT_EXAMPLE + SECTIONS.workspace, 'workspace');
    assert.deepEqual(r.ofType('kubernetes:core/v1:Secret').map((s) => s.name), ['dask-bundle-credentials']);
    const c = r.resource('kubernetes:apps/v1:Deployment', 'dask-workers').inputs.spec.template.spec.containers[0];
    assert.deepEqual(c.envFrom, [{ secretRef: { name: 'bundle-credentials' } }]);
    assert.ok(!r.references.some((ref) => ref.includes('storage')), 'no storage stack is read');
  });

  it('adaptive run: Postgres data, probe and resources as the original', async () => {
    const r = await runComponent(FULL, 'adaptive-default');
    const pvc = r.resource('kubernetes:core/v1:PersistentVolumeClaim').inputs;
    assert.deepEqual(pvc.spec.accessModes, ['ReadWriteOnce']);
    const postgres = r.resource('kubernetes:apps/v1:Deployment', 'default-postgres').inputs.spec.template.spec.containers[0];
    assert.deepEqual(postgres.env, [{ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' }]);
    assert.deepEqual(postgres.resources, { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    assert.deepEqual(postgres.readinessProbe, { exec: { command: ['pg_isready', '-U', 'optuna_user', '-d', 'optuna'] }, periodSeconds: 10 });
    assert.deepEqual(r.resource('kubernetes:core/v1:Namespace').inputs.metadata.labels, { 'modelops.io/component': 'adaptive', 'modelops.io/run': 'default' });
    const workers = r.resource('kubernetes:apps/v1:Deployment', 'default-workers').inputs;
    assert.deepEqual(workers.spec.template.metadata.labels, { 'modelops.io/component': 'adaptive', 'modelops.io/run': 'default', app: 'adaptive-worker' });
    assert.deepEqual(workers.spec.template.spec.containers[0].envFrom, [{ secretRef: { name: 'modelops-storage', optional: true } }]);
    assert.equal(workers.spec.template.spec.containers[0].name, 'worker');
  });

  it('adaptive run: Postgres keeps its data on the claim, which is never deleted before its replacement', async () => {
    const r = await runComponent(FULL, 'adaptive-default');
    const claim = r.resource('kubernetes:core/v1:PersistentVolumeClaim');
    assert.equal(claim.options.deleteBeforeReplace, false, 'deleting the claim first would delete the database');
    const deployment = r.resource('kubernetes:apps/v1:Deployment', 'default-postgres');
    assert.equal(deployment.inputs.metadata.name, 'postgres');
    assert.ok(deployment.options.dependsOn.includes('default-postgres-secret') && deployment.options.dependsOn.includes('default-postgres-pvc'));
    const spec = deployment.inputs.spec.template.spec;
    assert.deepEqual(spec.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'postgres-data' } }]);
    const c = spec.containers[0];
    assert.equal(c.name, 'postgres');
    assert.deepEqual(c.volumeMounts, [{ name: 'data', mountPath: '/var/lib/postgresql/data' }]);
    assert.deepEqual(c.ports, [{ name: 'postgres', containerPort: 5432 }]);
    assert.deepEqual(c.envFrom, [{ secretRef: { name: 'postgres-secret' } }]);
    const service = r.resource('kubernetes:core/v1:Service').inputs;
    assert.deepEqual([service.metadata.name, service.spec.selector, service.spec.ports], ['postgres', { app: 'postgres' }, [{ name: 'postgres', port: 5432, targetPort: 5432 }]]);
    assert.deepEqual(r.resource('kubernetes:core/v1:ConfigMap').inputs.metadata.name, 'adaptive-config');
    assert.deepEqual(r.resource('kubernetes:core/v1:Secret', 'default-secret').inputs.metadata.name, 'run-secrets');
    assert.equal(r.resource('kubernetes:core/v1:Secret', 'default-secret').options.deleteBeforeReplace, true);
  });

  it('adaptive run: a command given as one string is split into arguments', async () => {
    const r = await runComponent(FULL.replace('    workers: { image: ghcr.io/example/adaptive-worker:1.2 }\n', '    workers: { image: ghcr.io/example/adaptive-worker:1.2, command: "  python -m  my.worker\t--fast " }\n'), 'adaptive-default');
    assert.deepEqual(r.resource('kubernetes:apps/v1:Deployment', 'default-workers').inputs.spec.template.spec.containers[0].command, ['python', '-m', 'my.worker', '--fast']);
    assert.deepEqual(workerCommandOf(['python', 'w.py']), ['python', 'w.py']);
    assert.deepEqual(workerCommandOf(undefined), ['python', '-m', 'modelops.adaptive.worker']);
  });

  it('adaptive run without a workers image: the program refuses, naming the key (no image to fall back on)', async () => {
    const config = parse(FULL);
    config.adaptive.default.workers = { replicas: 2 };
    await assert.rejects(run(contextFor(config, 'adaptive-default'), azureProgram), /adaptive\.default\.workers\.image is required with provider: azure or kubernetes/);
  });

  it('adaptive run without storage or a workspace: no storage secret, no envFrom, an empty scheduler address', async () => {
    const r = await runComponent(FLAT_EXAMPLE + SECTIONS.adaptive.replace('    persistence: { size: 5Gi }\n', '    central_store: { kind: none }\n'), 'adaptive-default');
    assert.deepEqual(r.ofType('kubernetes:core/v1:Secret').map((s) => s.name), ['default-secret']);
    const c = r.resource('kubernetes:apps/v1:Deployment', 'default-workers').inputs.spec.template.spec.containers[0];
    assert.deepEqual(c.envFrom, []);
    assert.deepEqual(c.env.find((e: Obj) => e.name === 'DASK_SCHEDULER'), { name: 'DASK_SCHEDULER', value: '' });
    assert.deepEqual(r.resource('kubernetes:core/v1:Secret', 'default-secret').inputs.stringData, {});
  });

  it('storage: the lifecycle rule deletes only workspace/ block blobs after 7 days', async () => {
    const r = await runComponent(FLAT_EXAMPLE + SECTIONS.storage, 'storage');
    assert.deepEqual(r.resource('azure-native:storage:ManagementPolicy').inputs, {
      managementPolicyName: 'default',
      accountName: r.resource('azure-native:storage:StorageAccount').inputs.accountName,
      resourceGroupName: 'modelops-rg',
      policy: {
        rules: [
          {
            name: 'delete-workspace-blobs',
            enabled: true,
            type: 'Lifecycle',
            definition: { filters: { blobTypes: ['blockBlob'], prefixMatch: ['workspace/'] }, actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 7 } } } },
          },
        ],
      },
    });
  });

  it('storage: the connection string names the cloud the account is in, and the SAS waits for the containers', async () => {
    const china = await runComponent(FLAT_EXAMPLE + SECTIONS.storage, 'storage', { states: { 'azure-native:storage:StorageAccount': { primaryEndpoints: { blob: 'https://acct.blob.core.chinacloudapi.cn/' } } } });
    assert.match(String(china.outputs.connection_string), /;EndpointSuffix=core\.chinacloudapi\.cn$/);
    assert.match(String(china.outputs.connection_string), /;AccountKey=c2VjcmV0LWtleQ==;/);
    const noKeys = await runComponent(FLAT_EXAMPLE + SECTIONS.storage, 'storage', { callResults: { 'azure-native:storage:listStorageAccountKeys': { keys: [] } } });
    assert.match(String(noKeys.outputs.connection_string), /;AccountKey=;/, 'no key (preview): an empty key, never a crash');
    assert.equal(endpointSuffix('https://acct.blob.core.usgovcloudapi.net/'), 'core.usgovcloudapi.net');
    assert.equal(endpointSuffix('http://127.0.0.1:10000/devstoreaccount1'), 'core.windows.net');
  });

  it('storage: its account, tags and SKU defaults', async () => {
    const r = await runComponent(FLAT_EXAMPLE + 'storage: {}\n', 'storage');
    const account = r.resource('azure-native:storage:StorageAccount').inputs;
    assert.deepEqual([account.sku, account.kind, account.accessTier, account.location], [{ name: 'Standard_LRS' }, 'StorageV2', 'Hot', 'eastus2']);
    assert.equal(account.tags.component, 'storage');
    const named = await runComponent(FLAT_EXAMPLE + 'storage: { account_name: teamresults01 }\n', 'storage');
    assert.equal(named.outputs.account_name, 'teamresults01');
  });

  it('registry: outputs as the original exported them, SKU from registry, then acr, then Standard', async () => {
    const r = await runComponent(withoutAcr(FLAT_EXAMPLE) + SECTIONS.registry, 'registry');
    assert.deepEqual(r.outputs, {
      login_server: 'modelopsdevacralice.azurecr.io',
      registry_name: 'modelopsdevacralice',
      registry_id: `/subscriptions/${SUBSCRIPTION}/mock/modelops-registry-acr`,
      provider: 'azure',
      requires_auth: true,
      bundles_pull_username: 'acr-admin',
      bundles_pull_password: 'acr-secret',
      bundle_repo: 'modelops-bundles',
    });
    assert.equal(r.resource('azure-native:containerregistry:Registry').inputs.tags.component, 'registry');
    const fromAcr = await runComponent(FLAT_EXAMPLE.replace('  sku: Standard', '  sku: Premium'), 'registry');
    assert.deepEqual(fromAcr.resource('azure-native:containerregistry:Registry').inputs.sku, { name: 'Premium' });
    const neither = await runComponent(withoutAcr(FLAT_EXAMPLE) + 'registry: {}\n', 'registry');
    assert.deepEqual(neither.resource('azure-native:containerregistry:Registry').inputs.sku, { name: 'Standard' });
    const repo = await runComponent(withoutAcr(FLAT_EXAMPLE) + 'registry: { bundle_repo: team-bundles }\n', 'registry');
    assert.equal(repo.outputs.bundle_repo, 'team-bundles');
    const noPasswords = await runComponent(withoutAcr(FLAT_EXAMPLE) + SECTIONS.registry, 'registry', { callResults: { 'azure-native:containerregistry:listRegistryCredentials': {} } });
    assert.deepEqual([noPasswords.outputs.bundles_pull_username, noPasswords.outputs.bundles_pull_password], ['', '']);
  });
});

describe('azure programs: cluster defaults and edges', () => {
  it('with a bare aks section: the default pools and network, no pinned Kubernetes version', async () => {
    const text = FLAT_EXAMPLE.replace(/aks:\n(?: {2}.*\n)+/, 'aks: { name: modelops-cluster }\n');
    const r = await runComponent(text, 'cluster');
    const aks = r.resource('azure-native:containerservice:ManagedCluster').inputs;
    assert.deepEqual([aks.networkProfile.serviceCidr, aks.networkProfile.dnsServiceIP], ['172.16.0.0/16', '172.16.0.10']);
    assert.equal('kubernetesVersion' in aks, false);
    assert.deepEqual(aks.agentPoolProfiles.map((p: Obj) => p.name), ['system']);
    assert.deepEqual(r.ofType('azure-native:containerservice:AgentPool').map((p) => p.inputs.agentPoolName), ['cpuworkers']);
  });

  it('reads the kubeconfig of this cluster, and exports an empty one (not a crash) when Azure returns none', async () => {
    const r = await runComponent(FLAT_EXAMPLE, 'cluster', { callResults: { 'azure-native:containerservice:listManagedClusterUserCredentials': { kubeconfigs: [] } } });
    assert.equal(r.outputs.kubeconfig, '');
    const call = r.calls.find((c) => c.token === 'azure-native:containerservice:listManagedClusterUserCredentials');
    assert.deepEqual(call?.inputs, { resourceGroupName: 'modelops-rg', resourceName: r.resource('azure-native:containerservice:ManagedCluster').inputs.resourceName });
    const none = await runComponent(FLAT_EXAMPLE, 'cluster', { callResults: { 'azure-native:containerservice:listManagedClusterUserCredentials': {} } });
    assert.equal(none.outputs.kubeconfig, '');
  });

  it('a pool autoscales only with both min and max', () => {
    const base = { name: 'p', vmSize: 'Standard_B2s', mode: 'User' as const, labels: {}, taints: [] };
    assert.deepEqual(agentPoolProfile({ ...base, min: 2 }), { name: 'p', mode: 'User', vmSize: 'Standard_B2s', osType: 'Linux', type: 'VirtualMachineScaleSets', count: 2, enableAutoScaling: false });
    assert.equal(agentPoolProfile({ ...base, max: 4 }).enableAutoScaling, false);
    assert.equal(agentPoolProfile({ ...base, min: 0, max: 4 }).enableAutoScaling, true);
  });

  it('expands ~ in ssh.public_key_path and trims the key', () => {
    const home = mkdtempSync(join(tmpdir(), 'mops-home-'));
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'id.pub'), `  ${SSH_KEY}\n`);
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      assert.equal(sshPublicKey({ publicKeyPath: '~/.ssh/id.pub' }), SSH_KEY);
      assert.throws(() => sshPublicKey({ publicKeyPath: 'x~/.ssh/id.pub' }), /x~\/\.ssh\/id\.pub does not exist/, 'only a leading ~ is the home');
      assert.throws(() => sshPublicKey({ publicKeyPath: '~other/id.pub' }), /~other\/id\.pub does not exist/, "~user is not this user's home");
    } finally {
      process.env.HOME = saved;
      rmSync(home, { recursive: true, force: true });
    }
    assert.equal(sshPublicKey({ publicKey: `  ${SSH_KEY}\n` }), SSH_KEY);
  });

  it('takes no kubelet identity from empty or malformed answers', () => {
    assert.equal(kubeletObjectId(null), undefined);
    assert.equal(kubeletObjectId('kubeletidentity'), undefined);
    assert.equal(kubeletObjectId({ kubeletidentity: { objectId: '' } }), undefined);
    assert.equal(kubeletObjectId({ kubeletidentity: { objectId: 42 } }), undefined);
    assert.equal(kubeletObjectId({ kubeletidentity: { objectId: KUBELET_OBJECT_ID } }), KUBELET_OBJECT_ID);
  });

  it("names the AcrPull assignment exactly as the original's Python did", () => {
    const registryId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/modelops-rg/providers/Microsoft.ContainerRegistry/registries/modelopsdevacralice`;
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, f'{registry_id}-{principal}-acrpull'))"
    assert.equal(acrPullAssignmentName(registryId, KUBELET_OBJECT_ID), '849d8934-0687-59a1-90a4-2b309ebf707a');
  });
});

describe('azure programs: helpers at their edges', () => {
  it('a generated password: 24 letters and digits, new each time, replaced only when its length changes', async () => {
    const first = await stablePasswordProvider.create!({ length: 24 });
    const second = await stablePasswordProvider.create!({ length: 24 });
    assert.match(first.outs.password, /^[A-Za-z0-9]{24}$/);
    assert.equal(first.outs.length, 24);
    assert.notEqual(first.outs.password, second.outs.password);
    assert.notEqual(first.id, second.id);
    assert.deepEqual(await stablePasswordProvider.diff!('id', { length: 24 }, { length: 24 }), { changes: false, replaces: [] });
    assert.deepEqual(await stablePasswordProvider.diff!('id', { length: 24 }, { length: 32 }), { changes: true, replaces: ['length'] });
  });

  it("the password adopts the original's RandomPassword: aliased to its type, its result is kept, not a new one made", async () => {
    const r = await runComponent(FULL, 'adaptive-default');
    assert.deepEqual(r.resource('pulumi-nodejs:dynamic/modelops-azure:StablePassword').options.aliasTypes, ['random:index/randomPassword:RandomPassword']);
    const original = { length: 24, special: false, result: 'Orig1nalRandomPassw0rd24' };
    assert.deepEqual(await stablePasswordProvider.diff!('none', original, { length: 24 }), { changes: true, replaces: [] });
    assert.deepEqual(await stablePasswordProvider.update!('none', original, { length: 24 }), { outs: { length: 24, password: 'Orig1nalRandomPassw0rd24' } });
    assert.deepEqual(await stablePasswordProvider.update!('id', { length: 24, password: 'ours' }, { length: 24 }), { outs: { length: 24, password: 'ours' } });
  });

  it('env as a list or a mapping; tolerations default when none or an empty list is given', () => {
    assert.deepEqual(envList({ A: 1, B: 'x' }), [{ name: 'A', value: '1' }, { name: 'B', value: 'x' }]);
    assert.deepEqual(envList([{ name: 'A', value: '1' }]), [{ name: 'A', value: '1' }]);
    assert.deepEqual(envList(null), []);
    assert.deepEqual(envList('A=1'), []);
    assert.deepEqual(tolerations([]), DEFAULT_TOLERATIONS);
    assert.deepEqual(tolerations(undefined), DEFAULT_TOLERATIONS);
    const own = [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }];
    assert.deepEqual(tolerations(own), own);
    assert.deepEqual(record(null), {});
    assert.deepEqual(record('x'), {});
    assert.deepEqual(record([1]), {});
  });

  it('workspace numbers that are not finite numbers fall back to the defaults', () => {
    const shape = workspaceShape({ scheduler: { replicas: 'two' }, workers: { processes: Number.NaN, threads: Number.POSITIVE_INFINITY, replicas: '5' }, autoscaling: { enabled: false } });
    assert.deepEqual([shape.schedulerReplicas, shape.processes, shape.threads, shape.replicas], [1, 1, 2, 3]);
    assert.deepEqual(workspaceShape({ workers: { processes: 4 }, autoscaling: { enabled: false } }).processes, 4);
  });
});
