/**
 * The state the original modelops (Python, InstituteforDiseaseModeling/modelops) leaves for
 * ORIGINAL_CONFIG in environment dev, written out by hand from its programs: each stack's
 * resources with the original's URNs (its components parent everything, its default
 * azure-native provider, the kubeconfig providers its components made), the inputs that
 * decide whether a provider replaces a resource, and the stack outputs it exported. Nothing
 * here is computed by the code under test: names come from the original's formulas
 * (core/naming.py), URNs from its `ComponentResource` types and logical names.
 *
 * `world` is what exists in Azure and on the cluster afterwards, for the provider double.
 */
import { createHash } from 'node:crypto';
import { RSA_SSH_KEY } from '../fixtures';
import { objectId, worldKey, DOUBLE_SUBSCRIPTION as SUBSCRIPTION, type WorldObject } from '../doubles/providerDouble';

export { SUBSCRIPTION };
export const SSH_KEY = RSA_SSH_KEY;
/** The password the original's RandomPassword generated; Postgres was initialised with it. */
export const ORIGINAL_POSTGRES_PASSWORD = 'Orig1nalRandomPassw0rd24';
const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: []\n';

/** The original's example (examples/providers/azure.yaml) with the sections every component reads. */
export const ORIGINAL_CONFIG = `provider: azure
subscription_id: "${SUBSCRIPTION}"
location: eastus2
resource_group: modelops-rg
username: alice
aks:
  name: modelops-cluster
  kubernetes_version: "1.32"
  node_pools:
    - name: system
      vm_size: Standard_B2s
      mode: System
      count: 1
    - name: cpu
      vm_size: Standard_D4s_v3
      mode: User
      min: 1
      max: 5
      labels:
        modelops.io/role: cpu
      taints:
        - "modelops.io/role=cpu:NoSchedule"
acr:
  name: modelopsacr
  sku: Standard
ssh:
  public_key: "${SSH_KEY}"
storage: {}
workspace:
  kind: Workspace
  metadata: { name: default }
  spec:
    scheduler: { image: "ghcr.io/example/scheduler:1.2" }
    workers: { image: "ghcr.io/example/worker:1.2" }
adaptive:
  default:
    algorithm: optuna
    workers: { image: "ghcr.io/example/adaptive-worker:1.2" }
`;

/**
 * The same environment as `~/.modelops/modelops.yaml` (schema_version 2, the shape `mops init`
 * writes: test/original/modelops.yaml), as a user of the original has it: `cluster` holds the flat
 * provider file, `settings` the environment and user, the workspace its flat keys.
 */
export const ORIGINAL_MODELOPS_YAML = `schema_version: 2
generated: 2026-01-28 16:27:05.123456
settings:
  environment: dev
  provider: azure
  username: alice
pulumi:
  backend_url: null
  organization: institutefordiseasemodeling
cluster:
${ORIGINAL_CONFIG.slice(0, ORIGINAL_CONFIG.indexOf('storage: {}')).replace('username: alice\n', '').replace(/^acr:\n(  .*\n)+/m, '').replace(/^(?=.)/gm, '  ')}storage:
  account_tier: Standard
registry:
  sku: Standard
workspace:
  scheduler_image: ghcr.io/example/scheduler:1.2
  worker_image: ghcr.io/example/worker:1.2
`;

const md4 = (text: string): string => createHash('md5').update(text).digest('hex').slice(0, 4);
// core/naming.py, for env dev and user alice.
const RG = 'modelops-dev-rg-alice';
const ACR = 'modelopsdevacralice';
const AKS = `modelops-dev-aks-${md4('dev-alice')}`;
const ACCOUNT = `modelopsdevali${md4('dev-alice')}`;
const DASK_NS = 'modelops-dask-dev';
const RUN_NS = 'modelops-adaptive-dev-default';
const KUBELET = '11111111-2222-3333-4444-555555555555';

type Props = Record<string, unknown>;
interface Resource {
  retainOnDelete?: boolean;
  urn: string;
  custom: boolean;
  type: string;
  id?: string;
  parent?: string;
  provider?: string;
  inputs?: Props;
  outputs?: Props;
  external?: boolean;
  dependencies?: string[];
}

export interface OriginalStack {
  project: string;
  stack: string;
  resources: Resource[];
}

class StackBuilder {
  readonly resources: Resource[] = [];
  readonly root: string;
  private readonly providers = new Map<string, string>();

  constructor(
    readonly project: string,
    readonly stack: string,
  ) {
    this.root = this.urn('pulumi:pulumi:Stack', `${project}-${stack}`);
    this.resources.push({ urn: this.root, custom: false, type: 'pulumi:pulumi:Stack' });
  }

  urn(qualifiedType: string, name: string): string {
    return `urn:pulumi:${this.stack}::${this.project}::${qualifiedType}::${name}`;
  }

  component(type: string, name: string): string {
    const urn = this.urn(type, name);
    this.resources.push({ urn, custom: false, type, parent: this.root });
    return urn;
  }

  /** A default provider (what the original's resources without `provider=` used), made once. */
  defaultProvider(pkg: string, version: string): string {
    let ref = this.providers.get(pkg);
    if (!ref) {
      const urn = this.urn(`pulumi:providers:${pkg}`, `default_${version.replace(/\./g, '_')}`);
      const id = createHash('sha1').update(urn).digest('hex').slice(0, 32);
      this.resources.push({ urn, custom: true, type: `pulumi:providers:${pkg}`, id, inputs: { version }, outputs: { version } });
      this.providers.set(pkg, (ref = `${urn}::${id}`));
    }
    return ref;
  }

  /** The kubeconfig provider a component made (`{name}-k8s`). */
  kubernetesProvider(component: string, name: string): string {
    const urn = this.childUrn(component, 'pulumi:providers:kubernetes', name);
    const id = createHash('sha1').update(urn).digest('hex').slice(0, 32);
    this.resources.push({ urn, custom: true, type: 'pulumi:providers:kubernetes', id, parent: component, inputs: { kubeconfig: KUBECONFIG, version: '4.18.0' }, outputs: { kubeconfig: KUBECONFIG, version: '4.18.0' } });
    return `${urn}::${id}`;
  }

  childUrn(component: string, type: string, name: string): string {
    const componentType = component.split('::')[2];
    return this.urn(`${componentType}$${type}`, name);
  }

  custom(component: string, type: string, name: string, provider: string, inputs: Props, extra: Partial<Resource> & { outputs?: Props } = {}): Resource {
    const id = extra.id ?? objectId(type, inputs, name);
    const resource: Resource = { urn: this.childUrn(component, type, name), custom: true, type, id, parent: component, provider, inputs, outputs: { ...inputs, id, ...extra.outputs }, ...(extra.external ? { external: true } : {}) };
    this.resources.push(resource);
    return resource;
  }

  exports(outputs: Props): void {
    this.resources[0].outputs = outputs;
  }
}

const tags = (component: string): Props => ({ 'managed-by': 'modelops', project: 'modelops', component });
const AZURE = '3.7.1';

function resourceGroupStack(): StackBuilder {
  // infra/components/resource_group.py; client/resource_group_service.py: ResourceGroup("resource-group", …)
  const s = new StackBuilder('modelops-resource-group', 'modelops-resource-group-dev');
  const c = s.component('modelops:azure:ResourceGroup', 'resource-group');
  const rg = s.custom(c, 'azure-native:resources:ResourceGroup', 'resource-group-rg', s.defaultProvider('azure-native', AZURE), { resourceGroupName: RG, location: 'eastus2', tags: { ...tags('resource-group'), environment: 'dev', user: 'alice' } }, { outputs: { name: RG } });
  s.exports({ resource_group_name: RG, resource_group_id: rg.id, location: 'eastus2', environment: 'dev' });
  return s;
}

function registryStack(): StackBuilder {
  // infra/components/registry.py (ContainerRegistry "modelops-registry"; `{name}-acr`)
  const s = new StackBuilder('modelops-registry', 'modelops-registry-dev');
  const c = s.component('modelops:infra:registry', 'modelops-registry');
  const acr = s.custom(c, 'azure-native:containerregistry:Registry', 'modelops-registry-acr', s.defaultProvider('azure-native', AZURE), { registryName: ACR, resourceGroupName: RG, location: 'eastus2', sku: { name: 'Standard' }, adminUserEnabled: true }, { outputs: { name: ACR, loginServer: `${ACR}.azurecr.io` } });
  s.exports({ login_server: `${ACR}.azurecr.io`, registry_name: ACR, provider: 'azure', requires_auth: true, registry_id: acr.id, bundles_pull_username: ACR, bundles_pull_password: 'original-acr-password', bundle_repo: 'modelops-bundles' });
  return s;
}

const pool = (name: string, extra: Props): Props => ({ name, osType: 'Linux', type: 'VirtualMachineScaleSets', ...extra });

function clusterStack(acrId: string): StackBuilder {
  // infra/components/azure.py (ModelOpsCluster "modelops"): the RG read with .get (it existed), AKS, AcrPull.
  const s = new StackBuilder('modelops-infra', 'modelops-infra-dev');
  const c = s.component('modelops:infra:cluster', 'modelops');
  const azure = s.defaultProvider('azure-native', AZURE);
  s.custom(c, 'azure-native:resources:ResourceGroup', 'modelops-rg', azure, {}, { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}`, external: true, outputs: { name: RG, location: 'eastus2' } });
  const pools = [pool('system', { vmSize: 'Standard_B2s', mode: 'System', count: 1, enableAutoScaling: false }), pool('cpu', { vmSize: 'Standard_D4s_v3', mode: 'User', count: 1, enableAutoScaling: true, minCount: 1, maxCount: 5, nodeLabels: { 'modelops.io/role': 'cpu' }, nodeTaints: ['modelops.io/role=cpu:NoSchedule'] })];
  s.custom(
    c,
    'azure-native:containerservice:ManagedCluster',
    'aks-cluster',
    azure,
    { resourceName: AKS, resourceGroupName: RG, location: 'eastus2', dnsPrefix: `${AKS}-dns`, kubernetesVersion: '1.32', agentPoolProfiles: pools, identity: { type: 'SystemAssigned' }, networkProfile: { networkPlugin: 'azure', serviceCidr: '172.16.0.0/16', dnsServiceIP: '172.16.0.10' }, tags: tags('modelops') },
    { outputs: { name: AKS, identityProfile: { kubeletidentity: { objectId: KUBELET } } } },
  );
  const role = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`;
  s.custom(c, 'azure-native:authorization:RoleAssignment', 'aks-acr-pull', azure, { roleAssignmentName: uuid5(`${acrId}-${KUBELET}-acrpull`), principalId: KUBELET, principalType: 'ServicePrincipal', roleDefinitionId: role, scope: acrId });
  s.exports({ kubeconfig: KUBECONFIG, cluster_name: AKS, resource_group: RG, location: 'eastus2', provider: 'azure' });
  return s;
}

function storageStack(): StackBuilder {
  // infra/components/storage.py (BlobStorage "storage", integrated: after the cluster, with its secret in `default`)
  const s = new StackBuilder('modelops-storage', 'modelops-storage-dev');
  const c = s.component('modelops:infra:storage', 'storage');
  const azure = s.defaultProvider('azure-native', AZURE);
  s.custom(c, 'azure-native:storage:StorageAccount', 'storage-account', azure, { accountName: ACCOUNT, resourceGroupName: RG, location: 'eastus2', sku: { name: 'Standard_LRS' }, kind: 'StorageV2', accessTier: 'Hot' }, { outputs: { name: ACCOUNT, primaryEndpoints: { blob: `https://${ACCOUNT}.blob.core.windows.net/` } } });
  for (const container of ['bundle-blobs', 'workspace', 'results', 'jobs']) {
    s.custom(c, 'azure-native:storage:BlobContainer', `${container}-container`, azure, { containerName: container, accountName: ACCOUNT, resourceGroupName: RG, publicAccess: 'None' });
  }
  s.custom(c, 'azure-native:storage:ManagementPolicy', 'storage-lifecycle-policy', azure, { managementPolicyName: 'default', accountName: ACCOUNT, resourceGroupName: RG });
  const k8s = s.kubernetesProvider(c, 'storage-k8s');
  s.custom(c, 'kubernetes:core/v1:Secret', 'storage-secret-default', k8s, { metadata: { name: 'modelops-storage', namespace: 'default' }, stringData: { AZURE_STORAGE_CONNECTION_STRING: 'original-connection', AZURE_STORAGE_ACCOUNT: ACCOUNT } });
  const connection = `DefaultEndpointsProtocol=https;AccountName=${ACCOUNT};AccountKey=b3JpZ2luYWw=;EndpointSuffix=core.windows.net`;
  s.exports({ account_name: ACCOUNT, resource_group: RG, connection_string: connection, primary_endpoint: `https://${ACCOUNT}.blob.core.windows.net/`, containers: ['bundle-blobs', 'workspace', 'results', 'jobs'], location: 'eastus2', environment: 'dev' });
  return s;
}

const meta = (name: string, namespace?: string): Props => ({ metadata: { name, ...(namespace ? { namespace } : {}) } });

function workspaceStack(): StackBuilder {
  // infra/components/workspace.py (DaskWorkspace "dask")
  const s = new StackBuilder('modelops-workspace', 'modelops-workspace-dev');
  const c = s.component('modelops:workspace:dask', 'dask');
  const k8s = s.kubernetesProvider(c, 'dask-k8s');
  const add = (type: string, name: string, inputs: Props) => s.custom(c, type, name, k8s, inputs);
  add('kubernetes:core/v1:Namespace', 'dask-namespace', meta(DASK_NS));
  add('kubernetes:core/v1:Secret', 'dask-storage-secret', meta('modelops-storage', DASK_NS));
  add('kubernetes:core/v1:Secret', 'dask-bundle-credentials', meta('bundle-credentials', DASK_NS));
  add('kubernetes:apps/v1:Deployment', 'dask-scheduler', { ...meta('dask-scheduler', DASK_NS), spec: { selector: { matchLabels: { app: 'dask-scheduler' } } } });
  add('kubernetes:core/v1:Service', 'dask-scheduler-svc', meta('dask-scheduler', DASK_NS));
  add('kubernetes:policy/v1:PodDisruptionBudget', 'dask-scheduler-pdb', meta('dask-scheduler-pdb', DASK_NS));
  add('kubernetes:apps/v1:Deployment', 'dask-workers', { ...meta('dask-workers', DASK_NS), spec: { selector: { matchLabels: { app: 'dask-worker' } } } });
  add('kubernetes:autoscaling/v2:HorizontalPodAutoscaler', 'dask-workers-hpa', meta('dask-workers-hpa', DASK_NS));
  s.exports({ scheduler_address: `tcp://dask-scheduler.${DASK_NS}:8786`, dashboard_url: `http://dask-scheduler.${DASK_NS}:8787`, namespace: DASK_NS, worker_count: '2-20', autoscaling_enabled: true });
  return s;
}

function adaptiveStack(): StackBuilder {
  // infra/components/adaptive.py (AdaptiveInfra named after the run, "default"; central store postgres)
  const s = new StackBuilder('modelops-adaptive', 'modelops-adaptive-dev-default');
  const c = s.component('modelops:adaptive:infra', 'default');
  const k8s = s.kubernetesProvider(c, 'default-k8s');
  const add = (type: string, name: string, inputs: Props) => s.custom(c, type, name, k8s, inputs);
  add('kubernetes:core/v1:Namespace', 'default-namespace', meta(RUN_NS));
  add('kubernetes:core/v1:Secret', 'default-storage-secret', meta('modelops-storage', RUN_NS));
  add('kubernetes:core/v1:ConfigMap', 'default-config', meta('adaptive-config', RUN_NS));
  s.custom(c, 'random:index/randomPassword:RandomPassword', 'default-postgres-password', s.defaultProvider('random', '4.18.3'), { length: 24, special: false }, { id: 'none', outputs: { result: ORIGINAL_POSTGRES_PASSWORD } });
  add('kubernetes:core/v1:Secret', 'default-postgres-secret', meta('postgres-secret', RUN_NS));
  add('kubernetes:core/v1:PersistentVolumeClaim', 'default-postgres-pvc', { ...meta('postgres-data', RUN_NS), spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'managed-csi', resources: { requests: { storage: '10Gi' } } } });
  add('kubernetes:apps/v1:Deployment', 'default-postgres', { ...meta('postgres', RUN_NS), spec: { selector: { matchLabels: { app: 'postgres' } } } });
  add('kubernetes:core/v1:Service', 'default-postgres-svc', meta('postgres', RUN_NS));
  add('kubernetes:core/v1:Secret', 'default-secret', meta('run-secrets', RUN_NS));
  add('kubernetes:apps/v1:Deployment', 'default-workers', { ...meta('adaptive-workers', RUN_NS), spec: { selector: { matchLabels: { app: 'adaptive-worker' } } } });
  s.exports({ name: 'default', namespace: RUN_NS, scheduler_address: `tcp://dask-scheduler.${DASK_NS}:8786`, postgres_dsn: `postgresql://optuna_user:${ORIGINAL_POSTGRES_PASSWORD}@postgres.${RUN_NS}:5432/optuna`, workers_name: 'adaptive-workers', worker_replicas: 2, algorithm: 'optuna' });
  return s;
}

/** Python's uuid.uuid5(NAMESPACE_DNS, name), as the original named its AcrPull assignment. */
function uuid5(name: string): string {
  const hash = createHash('sha1').update(Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A later run of the original: `resource_group.py` and `azure.py` find the group and the cluster
 * (their `get_resource_group` / `get_managed_cluster` invokes succeed) and read them with
 * `ResourceGroup.get(…)` and `ManagedCluster.get("aks-cluster", id, retain_on_delete=True)`
 * under the same URNs: Pulumi records each as an external read, its inputs empty and its
 * outputs what Azure returned.
 */
function asReadOnLaterRun(resource: Resource): Resource {
  const read = resource.type === 'azure-native:resources:ResourceGroup' || resource.type === 'azure-native:containerservice:ManagedCluster';
  return read && !resource.external ? { ...resource, external: true, inputs: {}, ...(resource.type.endsWith('ManagedCluster') ? { retainOnDelete: true } : {}) } : resource;
}

/** Every stack the original left, in the order it provisioned them; `laterRun`: as its second `infra up` left them. */
export function originalStacks(options: { laterRun?: boolean } = {}): OriginalStack[] {
  const registry = registryStack();
  const acrId = registry.resources.find((r) => r.type === 'azure-native:containerregistry:Registry')!.id!;
  const stacks = [resourceGroupStack(), registry, clusterStack(acrId), storageStack(), workspaceStack(), adaptiveStack()].map((s) => ({ project: s.project, stack: s.stack, resources: s.resources }));
  return options.laterRun ? stacks.map((s) => ({ ...s, resources: s.resources.map(asReadOnLaterRun) })) : stacks;
}

/** What exists in Azure and on the cluster: every object the original manages or read, and the pool AKS runs inside the cluster. */
export function originalWorld(stacks: readonly OriginalStack[]): Record<string, WorldObject> {
  const world: Record<string, WorldObject> = {};
  for (const r of stacks.flatMap((s) => s.resources)) {
    if (!r.custom || r.type.startsWith('pulumi:providers:') || !r.id) continue;
    world[worldKey(r.type, r.id)] = { type: r.type, id: r.id, outputs: r.outputs ?? {} };
  }
  const aks = stacks.flatMap((s) => s.resources).find((r) => r.type === 'azure-native:containerservice:ManagedCluster')!;
  const cpu = { resourceName: AKS, resourceGroupName: RG, agentPoolName: 'cpu', vmSize: 'Standard_D4s_v3', mode: 'User', count: 1, enableAutoScaling: true, minCount: 1, maxCount: 5 };
  const cpuId = `${aks.id}/agentPools/cpu`;
  world[worldKey('azure-native:containerservice:AgentPool', cpuId)] = { type: 'azure-native:containerservice:AgentPool', id: cpuId, outputs: { ...cpu, id: cpuId, name: 'cpu' } };
  return world;
}

/** The deployment file `pulumi stack import` takes. */
export function deploymentOf(stack: OriginalStack): object {
  const version = 'v3.190.0';
  // Pulumi checks a state's manifest: its magic is the SHA-256 of the CLI version that wrote it.
  const magic = createHash('sha256').update(version).digest('hex');
  return { version: 3, deployment: { manifest: { time: '2025-10-01T12:00:00Z', magic, version }, resources: stack.resources } };
}
