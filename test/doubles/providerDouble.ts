/**
 * A TEST DOUBLE of the azure-native, kubernetes and random provider plugins, for tests
 * that run the real Pulumi engine on state made by the original modelops (no Azure and
 * no AKS here, and provider plugins cannot be downloaded).
 *
 * It speaks Pulumi's real provider protocol (gRPC), so the engine plans exactly as it would
 * with the real plugins. What it stands for:
 * - the cloud: a JSON "world" file of the objects that exist, by type and id. Create fails
 *   on an object that already exists, as azure-native and Kubernetes do; Read (import)
 *   answers from it; Delete removes from it. Every call that would change the cloud is
 *   appended to a journal, which tests read.
 * - each provider's diff: which input changes force a replacement. azure-native replaces on
 *   a change of the URL's path parameters and of `location`; Kubernetes on a change of an
 *   object's name or namespace, a workload's selector, a claim's spec (except its size), a
 *   Secret's type, and the data of a Secret or ConfigMap unless the provider was configured with
 *   enableSecretMutable / enableConfigMapMutable (or the object is immutable), as
 *   pulumi-kubernetes' provider/pkg/provider/diff.go decides; random on any input change.
 * - AKS's one agent pool operation at a time per cluster (a second one fails with its 409).
 * - DiffConfig never replaces a provider: azure-native's DiffConfig always answers "no
 *   changes"; Kubernetes' names the keys that changed (an update, so the engine configures it
 *   anew) and replaces only for another cluster, and the kubeconfig is the same.
 *
 * Usage (as a plugin on PATH): node providerDouble.js <package> <engine address>.
 * Environment: MOPS_DOUBLE_WORLD (the world file), MOPS_DOUBLE_JOURNAL (the journal file),
 * MOPS_DOUBLE_AKS_API (the API server AKS's kubeconfig points at), MOPS_DOUBLE_HANG (a create
 * that never answers).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';

const grpc = require('@grpc/grpc-js');
const provrpc = require('@pulumi/pulumi/proto/provider_grpc_pb');
const provproto = require('@pulumi/pulumi/proto/provider_pb');
const plugproto = require('@pulumi/pulumi/proto/plugin_pb');
const emptyproto = require('google-protobuf/google/protobuf/empty_pb');
const structproto = require('google-protobuf/google/protobuf/struct_pb');

type Props = Record<string, unknown>;
export interface WorldObject {
  type: string;
  id: string;
  outputs: Props;
}
export interface JournalEntry {
  op: 'create' | 'update' | 'delete' | 'read';
  type: string;
  id: string;
  name: string;
}

const PACKAGE = process.argv[2] as 'azure-native' | 'kubernetes' | 'random';
const VERSIONS: Record<string, string> = { 'azure-native': '3.28.0', kubernetes: '4.34.2', random: '4.18.3' };
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

const worldFile = (): string => process.env.MOPS_DOUBLE_WORLD ?? '';

/**
 * MOPS_DOUBLE_HANG (`{"type": …, "made": true|false}`): a create of that type that never answers,
 * as one still running when its run is killed (a laptop closed while Azure creates). `made`: the
 * cloud has made the object by then.
 */
const hangs = (type: string): boolean => !!process.env.MOPS_DOUBLE_HANG && (JSON.parse(process.env.MOPS_DOUBLE_HANG) as { type: string }).type === type;

function hang(type: string, id: string, name: string, outputs: Props): void {
  if (!(JSON.parse(process.env.MOPS_DOUBLE_HANG!) as { made?: boolean }).made) return;
  const world = readWorld(worldFile());
  world[worldKey(type, id)] = { type, id, outputs };
  writeWorld(world);
  journal({ op: 'create', type, id, name });
}

export function readWorld(file: string): Record<string, WorldObject> {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, WorldObject>) : {};
}

function writeWorld(world: Record<string, WorldObject>): void {
  const file = worldFile();
  writeFileSync(`${file}.${process.pid}`, JSON.stringify(world, null, 1));
  renameSync(`${file}.${process.pid}`, file);
}

export const worldKey = (type: string, id: string): string => `${type} ${id}`;

function journal(entry: JournalEntry): void {
  if (process.env.MOPS_DOUBLE_JOURNAL) appendFileSync(process.env.MOPS_DOUBLE_JOURNAL, `${JSON.stringify(entry)}\n`);
}

const typeOf = (urn: string): string => urn.split('::')[2].split('$').pop()!;
const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf('::') + 2);
const toJs = (s: any): Props => (s ? (s.toJavaScript() as Props) : {});
const toStruct = (p: Props): any => structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(p)) as Props);

function get(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Props)[k] : undefined), value);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const AZURE_REPLACE = ['resourceGroupName', 'resourceName', 'registryName', 'accountName', 'containerName', 'agentPoolName', 'managementPolicyName', 'roleAssignmentName', 'scope', 'location'];
const WORKLOADS = /^kubernetes:(apps\/v1:(Deployment|StatefulSet|DaemonSet|ReplicaSet)|batch\/v1:Job)$/;

/** The Kubernetes provider's configuration, as Configure received it (its flags change how it diffs). */
const providerConfig = { enableSecretMutable: false, enableConfigMapMutable: false };

/** Configure's arguments, or (older engines) its `kubernetes:config:*` variables; flags may come as strings. */
function configure(request: any): void {
  const args: Props = request.hasArgs?.() && request.getArgs() ? toJs(request.getArgs()) : {};
  const vars: Map<string, string> | undefined = request.getVariablesMap?.();
  const flag = (key: keyof typeof providerConfig) => String(args[key] ?? vars?.get(`kubernetes:config:${key}`) ?? 'false') === 'true';
  providerConfig.enableSecretMutable = flag('enableSecretMutable');
  providerConfig.enableConfigMapMutable = flag('enableConfigMapMutable');
}

/** The input paths whose change replaces the resource, as the real provider decides. */
function replacePaths(type: string, olds: Props, news: Props): string[] {
  if (PACKAGE === 'azure-native') return AZURE_REPLACE.filter((k) => k in olds || k in news);
  if (PACKAGE === 'random') return [...new Set([...Object.keys(olds), ...Object.keys(news)])];
  const paths = ['metadata.name', 'metadata.namespace'];
  if (WORKLOADS.test(type)) paths.push('spec.selector');
  const immutable = news.immutable === true || olds.immutable === true;
  if (type === 'kubernetes:core/v1:Secret') paths.push('type', ...(providerConfig.enableSecretMutable && !immutable ? [] : ['stringData', 'data']));
  if (type === 'kubernetes:core/v1:ConfigMap' && (!providerConfig.enableConfigMapMutable || immutable)) paths.push('data', 'binaryData');
  if (type === 'kubernetes:core/v1:PersistentVolumeClaim') paths.push('spec.accessModes', 'spec.storageClassName', 'spec.volumeName', 'spec.selector');
  return paths;
}

export function diff(type: string, olds: Props, news: Props): { changed: string[]; replaces: string[] } {
  const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => !k.startsWith('__'));
  const changed = keys.filter((k) => !same(olds[k], news[k]) || JSON.stringify(news[k] ?? '').includes(UNKNOWN));
  const replaces = replacePaths(type, olds, news).filter((p) => !same(get(olds, p), get(news, p)));
  return { changed, replaces: [...new Set(replaces.map((p) => p.split('.')[0]))] };
}

export const DOUBLE_SUBSCRIPTION = '12345678-90ab-cdef-1234-567890abcdef';

/** The id Azure or Kubernetes gives an object, from the inputs that name it (ARM's id shapes). */
export function objectId(type: string, inputs: Props, name: string): string {
  const s = (k: string) => String(inputs[k] ?? '');
  const group = `/subscriptions/${DOUBLE_SUBSCRIPTION}/resourceGroups/${s('resourceGroupName')}`;
  switch (type) {
    case 'azure-native:resources:ResourceGroup':
      return group;
    case 'azure-native:containerregistry:Registry':
      return `${group}/providers/Microsoft.ContainerRegistry/registries/${s('registryName')}`;
    case 'azure-native:containerservice:ManagedCluster':
      return `${group}/providers/Microsoft.ContainerService/managedClusters/${s('resourceName')}`;
    case 'azure-native:containerservice:AgentPool':
      return `${group}/providers/Microsoft.ContainerService/managedClusters/${s('resourceName')}/agentPools/${s('agentPoolName')}`;
    case 'azure-native:storage:StorageAccount':
      return `${group}/providers/Microsoft.Storage/storageAccounts/${s('accountName')}`;
    case 'azure-native:storage:BlobContainer':
      return `${group}/providers/Microsoft.Storage/storageAccounts/${s('accountName')}/blobServices/default/containers/${s('containerName')}`;
    case 'azure-native:storage:ManagementPolicy':
      return `${group}/providers/Microsoft.Storage/storageAccounts/${s('accountName')}/managementPolicies/${s('managementPolicyName')}`;
    case 'azure-native:authorization:RoleAssignment':
      return `${s('scope')}/providers/Microsoft.Authorization/roleAssignments/${s('roleAssignmentName')}`;
  }
  if (type.startsWith('kubernetes:')) {
    const meta = (inputs.metadata ?? {}) as Props;
    return meta.namespace ? `${String(meta.namespace)}/${String(meta.name)}` : String(meta.name ?? name);
  }
  return `${type}/${name}`;
}

/**
 * The inputs an Azure id names, as azure-native's Read gives them back: it parses the id against the
 * resource's URL template and returns its path parameters among the inputs (ResponseToSdkInputs).
 */
function pathParameters(id: string): Props {
  const part = (segment: string) => new RegExp(`/${segment}/([^/]+)`, 'i').exec(id)?.[1];
  const params: Props = {};
  const group = part('resourceGroups');
  if (group) params.resourceGroupName = group;
  for (const [segment, key] of [['managedClusters', 'resourceName'], ['agentPools', 'agentPoolName'], ['registries', 'registryName'], ['storageAccounts', 'accountName'], ['containers', 'containerName'], ['roleAssignments', 'roleAssignmentName']] as const) {
    const value = part(segment);
    if (value) params[key] = value;
  }
  return params;
}

/** What the cloud computes for a new object: its id and the outputs consumers read. */
function created(type: string, name: string, inputs: Props): { id: string; outputs: Props } {
  const id = objectId(type, inputs, name);
  if (PACKAGE !== 'azure-native') return { id, outputs: PACKAGE === 'random' ? { ...inputs, result: 'double-random-password-000' } : { ...inputs } };
  const azureName = inputs.resourceName ?? inputs.registryName ?? inputs.accountName ?? inputs.containerName ?? inputs.agentPoolName ?? inputs.resourceGroupName ?? name;
  return { id, outputs: { ...inputs, id, name: azureName, ...computedByAzure(type, String(azureName)) } };
}

/**
 * Properties Azure fills in on create that our programs read (ARM's documented read-only ones):
 * an ACR's `loginServer` (`<name>.azurecr.io`, Microsoft.ContainerRegistry/registries), a storage
 * account's `primaryEndpoints.blob` (Microsoft.Storage/storageAccounts) and an AKS
 * cluster's kubelet identity (`identityProfile.kubeletidentity`, Microsoft.ContainerService/managedClusters).
 */
function computedByAzure(type: string, name: string): Props {
  if (type === 'azure-native:containerregistry:Registry') return { loginServer: `${name.toLowerCase()}.azurecr.io` };
  if (type === 'azure-native:storage:StorageAccount') return { primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/` } };
  if (type === 'azure-native:containerservice:ManagedCluster') {
    const objectId = createHash('sha256').update(name).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');
    return { identityProfile: { kubeletidentity: { objectId } } };
  }
  return {};
}

/**
 * The kubeconfig AKS's listClusterUserCredential returns (base64 in `kubeconfigs[].value`): one
 * cluster and one context named after the cluster, and the user `clusterUser_<group>_<cluster>`,
 * as `az aks get-credentials` then writes them. Its server, CA and token are those of a real API
 * server when MOPS_DOUBLE_AKS_API ({server, ca, token} as JSON) names one; else an empty kubeconfig.
 */
function aksKubeconfig(args: Props): string {
  const api = process.env.MOPS_DOUBLE_AKS_API;
  if (!api) return 'apiVersion: v1\nkind: Config\nclusters: []\n';
  const { server, ca, token } = JSON.parse(api) as { server: string; ca: string; token: string };
  const name = String(args.resourceName);
  const user = `clusterUser_${String(args.resourceGroupName)}_${name}`;
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${Buffer.from(ca).toString('base64')}`,
    `    server: ${server}`,
    `  name: ${name}`,
    'contexts:',
    '- context:',
    `    cluster: ${name}`,
    `    user: ${user}`,
    `  name: ${name}`,
    `current-context: ${name}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    '',
  ].join('\n');
}

const INVOKES: Record<string, (args: Props) => Props> = {
  'azure-native:containerservice:listManagedClusterUserCredentials': (args) => ({ kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(aksKubeconfig(args)).toString('base64') }] }),
  'azure-native:storage:listStorageAccountKeys': () => ({ keys: [{ keyName: 'key1', value: 'ZG91YmxlLWtleQ==', permissions: 'FULL' }] }),
  'azure-native:storage:listStorageAccountServiceSAS': () => ({ serviceSasToken: 'sv=2022-11-02&sp=rl&sig=double' }),
  'azure-native:containerregistry:listRegistryCredentials': () => ({ username: 'double-admin', passwords: [{ name: 'password', value: 'double-password' }] }),
};

function fail(callback: (e: unknown) => void, message: string): void {
  callback({ code: grpc.status.UNKNOWN, details: message });
}

/**
 * AKS runs one agent pool operation per cluster at a time: a second one answers HTTP 409
 * OperationNotAllowed with this message (as quoted in Azure/AKS#1913 and cilium/cilium#25944)
 * until the first finishes. Here an operation lasts AGENT_POOL_OPERATION_MS.
 */
const AGENT_POOL_OPERATION_MS = 400;
const poolOperations = new Map<string, string>();

function agentPoolOperation(type: string, id: string, verb: 'Creating' | 'Updating' | 'Deleting', callback: (e: unknown) => void, then: () => void): void {
  if (type !== 'azure-native:containerservice:AgentPool') return then();
  const cluster = id.replace(/\/agentPools\/[^/]+$/, '');
  const running = poolOperations.get(cluster);
  if (running) return fail(callback, `Code="OperationNotAllowed" Message="Operation is not allowed: Another agentpool operation (${running}) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details" (double of AKS: HTTP 409)`);
  poolOperations.set(cluster, `${id.split('/').pop()} - ${verb}`);
  setTimeout(() => {
    poolOperations.delete(cluster);
    then();
  }, AGENT_POOL_OPERATION_MS);
}

const server = {
  getPluginInfo: (_: any, cb: any) => cb(null, new plugproto.PluginInfo().setVersion(VERSIONS[PACKAGE])),
  getSchema: (_: any, cb: any) => cb(null, new provproto.GetSchemaResponse().setSchema('{}')),
  attach: (_: any, cb: any) => cb(null, new emptyproto.Empty()),
  cancel: (_: any, cb: any) => cb(null, new emptyproto.Empty()),
  checkConfig: (call: any, cb: any) => cb(null, new provproto.CheckResponse().setInputs(call.request.getNews())),
  diffConfig(call: any, cb: any) {
    const olds: Props = PACKAGE === 'kubernetes' ? toJs(call.request.getOlds()) : {};
    const news: Props = PACKAGE === 'kubernetes' ? toJs(call.request.getNews()) : {};
    const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => !k.startsWith('__') && !same(olds[k], news[k]));
    cb(null, new provproto.DiffResponse().setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE).setDiffsList(changed));
  },
  configure: (call: any, cb: any) => {
    configure(call.request);
    cb(null, new provproto.ConfigureResponse().setAcceptsecrets(false).setSupportspreview(true).setAcceptresources(false));
  },
  check: (call: any, cb: any) => cb(null, new provproto.CheckResponse().setInputs(call.request.getNews())),
  diff(call: any, cb: any) {
    const req = call.request;
    const olds = req.hasOldInputs() ? toJs(req.getOldInputs()) : toJs(req.getOlds());
    const { changed, replaces } = diff(typeOf(req.getUrn()), olds, toJs(req.getNews()));
    const resp = new provproto.DiffResponse()
      .setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE)
      .setDiffsList(changed)
      .setReplacesList(replaces);
    cb(null, resp);
  },
  create(call: any, cb: any) {
    const req = call.request;
    const type = typeOf(req.getUrn());
    const inputs = toJs(req.getProperties());
    const { id, outputs } = created(type, nameOf(req.getUrn()), inputs);
    if (req.getPreview()) return cb(null, new provproto.CreateResponse().setId('').setProperties(toStruct(inputs)));
    if (readWorld(worldFile())[worldKey(type, id)]) return fail(cb, `${type} ${id} already exists: import it into the stack instead of creating it (double of the ${PACKAGE} provider)`);
    if (hangs(type)) return hang(type, id, nameOf(req.getUrn()), outputs);
    agentPoolOperation(type, id, 'Creating', cb, () => {
      const world = readWorld(worldFile());
      world[worldKey(type, id)] = { type, id, outputs };
      writeWorld(world);
      journal({ op: 'create', type, id, name: nameOf(req.getUrn()) });
      cb(null, new provproto.CreateResponse().setId(id).setProperties(toStruct(outputs)));
    });
  },
  read(call: any, cb: any) {
    const req = call.request;
    const type = typeOf(req.getUrn());
    const found = readWorld(worldFile())[worldKey(type, req.getId())];
    journal({ op: 'read', type, id: req.getId(), name: nameOf(req.getUrn()) });
    if (!found) return cb(null, new provproto.ReadResponse().setId(''));
    const inputs = { ...Object.fromEntries(Object.entries(found.outputs).filter(([k]) => k !== 'id')), ...(PACKAGE === 'azure-native' ? pathParameters(found.id) : {}) };
    cb(null, new provproto.ReadResponse().setId(found.id).setProperties(toStruct(found.outputs)).setInputs(toStruct(inputs)));
  },
  update(call: any, cb: any) {
    const req = call.request;
    const type = typeOf(req.getUrn());
    const outputs = { ...toJs(req.getOlds()), ...toJs(req.getNews()) };
    if (req.getPreview()) return cb(null, new provproto.UpdateResponse().setProperties(toStruct(outputs)));
    const key = worldKey(type, req.getId());
    if (!readWorld(worldFile())[key]) return fail(cb, `${type} ${req.getId()} does not exist (double of the ${PACKAGE} provider)`);
    agentPoolOperation(type, req.getId(), 'Updating', cb, () => {
      const world = readWorld(worldFile());
      world[key] = { type, id: req.getId(), outputs };
      writeWorld(world);
      journal({ op: 'update', type, id: req.getId(), name: nameOf(req.getUrn()) });
      cb(null, new provproto.UpdateResponse().setProperties(toStruct(outputs)));
    });
  },
  delete(call: any, cb: any) {
    const req = call.request;
    const type = typeOf(req.getUrn());
    agentPoolOperation(type, req.getId(), 'Deleting', cb, () => {
      const world = readWorld(worldFile());
      delete world[worldKey(type, req.getId())];
      writeWorld(world);
      journal({ op: 'delete', type, id: req.getId(), name: nameOf(req.getUrn()) });
      cb(null, new emptyproto.Empty());
    });
  },
  invoke(call: any, cb: any) {
    const answer = INVOKES[call.request.getTok()];
    if (!answer) return fail(cb, `unexpected invoke ${call.request.getTok()} (double of the ${PACKAGE} provider)`);
    cb(null, new provproto.InvokeResponse().setReturn(toStruct(answer(toJs(call.request.getArgs())))));
  },
};

function unimplemented(name: string) {
  return (_: any, cb: any) => cb({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not part of the double` });
}

if (require.main === module) {
  const service = provrpc.ResourceProviderService;
  const handlers: Record<string, unknown> = {};
  for (const method of Object.keys(service)) {
    const key = method.charAt(0).toLowerCase() + method.slice(1);
    handlers[key] = (server as Record<string, unknown>)[key] ?? unimplemented(method);
  }
  const grpcServer = new grpc.Server({ 'grpc.max_receive_message_length': 1 << 30 });
  grpcServer.addService(service, handlers);
  grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error: Error | null, port: number) => {
    if (error) throw error;
    process.stdout.write(`${port}\n`);
  });
}
