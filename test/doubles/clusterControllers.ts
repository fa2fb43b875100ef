/**
 * A NAMED TEST DOUBLE of the kubelet, the kube-scheduler and the kube-controller-manager, for
 * tests that run the real Pulumi Kubernetes provider against the real kube-apiserver of
 * test/azure/apiserver.ts. Those components cannot run here (no container runtime, no nodes),
 * and without them nothing reconciles: a Deployment never becomes available, a Service never
 * gets endpoints, a claim never binds, and every delete the provider makes (it deletes in the
 * foreground) waits forever on the `foregroundDeletion` finalizer, a Namespace on `kubernetes`.
 *
 * It polls the API server (cluster-wide lists; a pass runs when etcd's revision moved, and at
 * least every 10 s) and writes what the real components would, as they would write it:
 * - deployment controller: a ReplicaSet per pod template (`pod-template-hash` label computed
 *   in the real controller's format, from an FNV-32a hash; `deployment.kubernetes.io/revision`
 *   on both); the new one scaled to `spec.replicas` at once (maxSurge is not honoured), the old
 *   ones down as new Pods become available, so that `replicas - maxUnavailable` stay available
 *   (with `strategy: Recreate`: old ones to 0 at once, the new one up once their Pods are gone);
 *   the Deployment's status with observedGeneration and the real Available / Progressing
 *   conditions, reasons and messages (ProgressDeadlineExceeded included).
 * - replicaset controller: Pods from the template (owner reference to the ReplicaSet), scaled
 *   up and down (to 0 included), and the ReplicaSet's status.
 * - scheduler: binds Pods (Binding subresource), once their claims are Bound, to a Ready Node
 *   that matches their nodeSelector (the least loaded), or, in a cluster with no Node objects,
 *   to `nodeName`; else reports them Unschedulable as the real one does.
 * - kubelet: Pods Running with an IP from 10.244.0.0/16 and Ready (a container with a
 *   readinessProbe one pass later: probes are taken as passing, never run; initialDelaySeconds
 *   is not waited); deleted Pods removed (what the kubelet confirms with a grace period of 0).
 *   `pause()` stops only this part: "the kubelet is down", nothing new becomes ready.
 * - endpoints and endpointslice controllers: v1 Endpoints (what the provider's Service await
 *   reads) and discovery.k8s.io/v1 EndpointSlices for Services with a selector.
 * - persistentvolume controller and a provisioner for every storage class: a PV made for and
 *   bound to each claim that names a class, even one with no StorageClass object (a real cluster
 *   would leave that claim Pending); a class's WaitForFirstConsumer, reclaimPolicy and
 *   provisioner are honoured when it exists; a claim with no class binds only to a free PV that
 *   fits. A PV whose claim is gone is Released and, with reclaim policy Delete, deleted; the
 *   pvc- and pv-protection finalizers removed once nothing uses them.
 * - serviceaccount and root-ca-cert-publisher controllers: `default` ServiceAccount (Pods are
 *   refused without it) and `kube-root-ca.crt` ConfigMap in every namespace.
 * - namespace controller: a Terminating namespace's content deleted, then its `kubernetes`
 *   finalizer removed through the `finalize` subresource.
 * - garbage collector: dependents of an object deleted in the foreground deleted, then its
 *   `foregroundDeletion` finalizer removed; `orphan` honoured; objects whose owners are all gone
 *   deleted. It sees every listable resource (discovery), by metadata only.
 *
 * Use it instead of writing statuses by hand (Objects.deployment in test/azure/apiserver.ts): it
 * would rewrite them. Stop it before the API server.
 *
 * It does not: run containers or probes (a Pod never fails, a missing Secret or ConfigMap is not
 * noticed), create or heartbeat Nodes, look at taints, affinity or resources, honour maxSurge,
 * spec.paused, the HPA (no scaling, no HPA status), the disruption controller (no PDB status),
 * a cloud's load balancers (a Service of type LoadBalancer gets no address), Jobs, StatefulSets,
 * DaemonSets, emit Events or write namespace conditions. It never reads Secrets
 * (metadata only) and logs only a failed write's method, path, HTTP status and reason.
 */
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:https';
import type { ApiServer } from '../azure/apiserver';

export interface ClusterControllers {
  /** The kubelet is down: Pods stay as they are (new ones Pending, deleted ones Terminating); the control plane goes on. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export interface ClusterControllersOptions {
  /** How often to look for a change when idle (default 250 ms). */
  intervalMs?: number;
  /** Where Pods are bound in a cluster with no Node objects (default `mops-double-node`). */
  nodeName?: string;
}

// ---------------------------------------------------------------------------------------------
// Objects (only the fields the double reads or writes)

type Labels = Record<string, string>;
interface OwnerRef { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }
interface Meta {
  name: string; namespace?: string; uid: string; resourceVersion: string; generation?: number;
  creationTimestamp?: string; deletionTimestamp?: string; labels?: Labels; annotations?: Labels;
  ownerReferences?: OwnerRef[]; finalizers?: string[];
}
interface KubeObject { metadata: Meta }
interface Condition { type: string; status: string; reason?: string; message?: string; lastUpdateTime?: string; lastTransitionTime?: string; lastProbeTime?: null }
interface Container { name: string; image?: string; ports?: { name?: string; containerPort: number }[]; readinessProbe?: unknown }
interface PodSpec { nodeName?: string; nodeSelector?: Labels; containers: Container[]; initContainers?: Container[]; volumes?: { persistentVolumeClaim?: { claimName: string } }[] }
interface PodTemplate { metadata?: { labels?: Labels; annotations?: Labels }; spec: PodSpec }
interface ContainerStatus { name: string; ready: boolean }
interface Pod extends KubeObject { spec: PodSpec; status?: { phase?: string; conditions?: Condition[]; podIP?: string; startTime?: string; containerStatuses?: ContainerStatus[] } }
type IntOrPercent = number | string;
interface Deployment extends KubeObject {
  spec: { replicas?: number; selector: { matchLabels?: Labels }; template: PodTemplate; minReadySeconds?: number; progressDeadlineSeconds?: number; strategy?: { type?: string; rollingUpdate?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent } } };
  status?: WorkloadStatus & { updatedReplicas?: number; unavailableReplicas?: number; conditions?: Condition[] };
}
interface WorkloadStatus { observedGeneration?: number; replicas?: number; readyReplicas?: number; availableReplicas?: number; fullyLabeledReplicas?: number }
interface ReplicaSet extends KubeObject { spec: { replicas?: number; minReadySeconds?: number; template: PodTemplate }; status?: WorkloadStatus }
interface ServicePort { name?: string; port: number; targetPort?: IntOrPercent; protocol?: string }
interface Service extends KubeObject { spec: { type?: string; clusterIP?: string; selector?: Labels; ports?: ServicePort[]; publishNotReadyAddresses?: boolean } }
interface EndpointAddress { ip: string; nodeName?: string; targetRef?: { kind: string; namespace?: string; name: string; uid: string } }
interface EndpointPort { name?: string; port: number; protocol?: string }
interface Subset { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: EndpointPort[] }
interface Endpoints extends KubeObject { subsets?: Subset[] }
interface SliceEndpoint { addresses: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean }; nodeName?: string; targetRef?: EndpointAddress['targetRef'] }
interface EndpointSlice extends KubeObject { addressType: string; endpoints?: SliceEndpoint[]; ports?: EndpointPort[] }
type Quantities = Record<string, string>;
interface Pvc extends KubeObject { spec: { accessModes?: string[]; resources?: { requests?: Quantities }; storageClassName?: string; volumeName?: string; volumeMode?: string }; status?: { phase?: string } }
interface Pv extends KubeObject {
  spec: { capacity?: Quantities; accessModes?: string[]; storageClassName?: string; volumeMode?: string; persistentVolumeReclaimPolicy?: string; claimRef?: { namespace?: string; name?: string; uid?: string } };
  status?: { phase?: string };
}
interface Node extends KubeObject { status?: { conditions?: Condition[] } }
interface Namespace extends KubeObject { spec?: { finalizers?: string[] }; status?: { phase?: string } }
interface StorageClass extends KubeObject { provisioner: string; reclaimPolicy?: string; volumeBindingMode?: string }

// ---------------------------------------------------------------------------------------------
// HTTP: one keep-alive agent; every write names its component (the field manager)

type Actor = 'kube-controller-manager' | 'kube-scheduler' | 'kubelet';
type Reply = { status: number; body: unknown };

class Kube {
  writes = 0;
  private readonly agent: Agent;
  private readonly reported = new Set<string>();

  constructor(private readonly api: Pick<ApiServer, 'server' | 'ca' | 'token'>) {
    this.agent = new Agent({ ca: api.ca, keepAlive: true, maxSockets: 4 });
  }

  send(method: string, path: string, body?: unknown, options: { actor?: Actor; contentType?: string; accept?: string } = {}): Promise<Reply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = {
      authorization: `Bearer ${this.api.token}`,
      accept: options.accept ?? 'application/json',
      'user-agent': `${options.actor ?? 'kube-controller-manager'}/mops-double`,
      ...(payload ? { 'content-type': options.contentType ?? 'application/json', 'content-length': payload.length } : {}),
    };
    return new Promise((done, fail) => {
      const req = request(`${this.api.server}${path}`, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: parseJson(Buffer.concat(chunks).toString()) }));
      });
      req.on('error', fail);
      req.end(payload);
    });
  }

  async get<T>(path: string, accept?: string): Promise<T> {
    const r = await this.send('GET', path, undefined, { accept });
    if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status} ${reasonOf(r.body)}`);
    return r.body as T;
  }

  /** Items of a (cluster-wide) list; metadata only when `metadataOnly`. */
  async list<T>(path: string, metadataOnly = false): Promise<T[]> {
    const accept = metadataOnly ? 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' : undefined;
    return (await this.get<{ items: T[] | null }>(path, accept)).items ?? [];
  }

  /** A write: the API server's answer, or undefined when it refused; races (404, 409, a namespace being terminated) are normal, the next pass retries. */
  async attempt(actor: Actor, method: string, path: string, body?: unknown, contentType?: string): Promise<unknown> {
    this.writes++;
    const r = await this.send(method, path, body, { actor, contentType });
    if (r.status < 300) return r.body ?? {};
    if (!isRace(r)) this.report(`${method} ${path}: HTTP ${r.status} ${reasonOf(r.body)}`);
    return undefined;
  }

  async write(actor: Actor, method: string, path: string, body?: unknown, contentType?: string): Promise<boolean> {
    return (await this.attempt(actor, method, path, body, contentType)) !== undefined;
  }

  mergePatch(actor: Actor, path: string, patch: unknown): Promise<boolean> {
    return this.write(actor, 'PATCH', path, patch, 'application/merge-patch+json');
  }

  report(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    process.stderr.write(`cluster-controllers double: ${message}\n`);
  }

  close(): void {
    this.agent.destroy();
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A Status' reason and the fields it names; never its message (it may quote values). */
function reasonOf(body: unknown): string {
  const status = body as { reason?: string; details?: { causes?: { field?: string }[] } } | undefined;
  const fields = (status?.details?.causes ?? []).map((c) => c.field).filter(Boolean);
  return `${status?.reason ?? ''}${fields.length ? ` (${fields.join(', ')})` : ''}`;
}

function isRace(r: Reply): boolean {
  if (r.status === 404 || r.status === 409) return true;
  const message = String((r.body as { message?: string } | undefined)?.message ?? '');
  return r.status === 403 && /being terminated|serviceaccount/.test(message);
}

// ---------------------------------------------------------------------------------------------
// Paths and discovery

const CORE = '/api/v1';
const APPS = '/apis/apps/v1';
const DISCOVERY = '/apis/discovery.k8s.io/v1';
const STORAGE = '/apis/storage.k8s.io/v1';

function at(base: string, resource: string, meta: { namespace?: string; name?: string } = {}): string {
  const ns = meta.namespace ? `/namespaces/${meta.namespace}` : '';
  return `${base}${ns}/${resource}${meta.name ? `/${meta.name}` : ''}`;
}

interface ResourceType { base: string; groupVersion: string; resource: string; kind: string; namespaced: boolean; verbs: string[] }
interface ApiResourceList { groupVersion: string; resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[] }

/** The kinds the controllers read whole (listed cluster-wide every pass); the rest by metadata. */
const WHOLE: Record<string, string> = {
  'v1/namespaces': at(CORE, 'namespaces'),
  'v1/pods': at(CORE, 'pods'),
  'v1/nodes': at(CORE, 'nodes'),
  'v1/services': at(CORE, 'services'),
  'v1/endpoints': at(CORE, 'endpoints'),
  'v1/persistentvolumeclaims': at(CORE, 'persistentvolumeclaims'),
  'v1/persistentvolumes': at(CORE, 'persistentvolumes'),
  'apps/v1/deployments': at(APPS, 'deployments'),
  'apps/v1/replicasets': at(APPS, 'replicasets'),
  'discovery.k8s.io/v1/endpointslices': at(DISCOVERY, 'endpointslices'),
  'storage.k8s.io/v1/storageclasses': at(STORAGE, 'storageclasses'),
};

async function discover(kube: Kube): Promise<ResourceType[]> {
  const groups = await kube.get<{ groups: { preferredVersion: { groupVersion: string } }[] }>('/apis');
  const bases = [CORE, ...groups.groups.map((g) => `/apis/${g.preferredVersion.groupVersion}`)];
  const lists = await Promise.all(bases.map((base) => kube.get<ApiResourceList>(base).catch(() => undefined)));
  return lists.flatMap((list, i) =>
    (list?.resources ?? [])
      .filter((r) => !r.name.includes('/') && r.verbs.includes('list') && r.verbs.includes('delete'))
      .map((r) => ({ base: bases[i], groupVersion: list!.groupVersion, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs })),
  );
}

const typeKey = (t: ResourceType): string => `${t.groupVersion}/${t.resource}`;

// ---------------------------------------------------------------------------------------------
// A pass's view of the cluster

interface Item { type: ResourceType; meta: Meta }
interface Snapshot {
  items: Item[];
  partial: boolean;
  byUid: Map<string, Item>;
  dependents: Map<string, Item[]>;
  types: ResourceType[];
  terminating: Set<string>;
  namespaces: Namespace[];
  nodes: Node[];
  pods: Pod[];
  services: Service[];
  endpoints: Endpoints[];
  pvcs: Pvc[];
  pvs: Pv[];
  deployments: Deployment[];
  replicaSets: ReplicaSet[];
  slices: EndpointSlice[];
  storageClasses: StorageClass[];
}

/**
 * Every type listed. A kind the controllers read whole must list, or the pass is abandoned (a
 * ReplicaSet that saw no Pods would make more); any other may fail, and the pass is then
 * `partial`: no namespace is taken for empty.
 */
async function snapshot(kube: Kube, types: ResourceType[]): Promise<Snapshot> {
  const whole = new Map<string, KubeObject[]>();
  const items: Item[] = [];
  let partial = false;
  await Promise.all(
    types.map(async (type) => {
      const path = WHOLE[typeKey(type)];
      const objects = await kube.list<KubeObject>(path ?? at(type.base, type.resource), !path).catch((error: Error) => {
        if (path) throw error;
        kube.report(`skipping ${typeKey(type)} this pass: ${error.message}`);
        partial = true;
        return [];
      });
      if (path) whole.set(typeKey(type), objects);
      for (const o of objects) items.push({ type, meta: o.metadata });
    }),
  );
  const of = <T>(key: string): T[] => (whole.get(key) ?? []) as T[];
  const namespaces = of<Namespace>('v1/namespaces');
  return {
    items,
    partial,
    byUid: new Map(items.map((i) => [i.meta.uid, i])),
    dependents: dependentsOf(items),
    types,
    terminating: new Set(namespaces.filter(deleting).map((n) => n.metadata.name)),
    namespaces,
    nodes: of('v1/nodes'),
    pods: of('v1/pods'),
    services: of('v1/services'),
    endpoints: of('v1/endpoints'),
    pvcs: of('v1/persistentvolumeclaims'),
    pvs: of('v1/persistentvolumes'),
    deployments: of('apps/v1/deployments'),
    replicaSets: of('apps/v1/replicasets'),
    slices: of('discovery.k8s.io/v1/endpointslices'),
    storageClasses: of('storage.k8s.io/v1/storageclasses'),
  };
}

function dependentsOf(items: Item[]): Map<string, Item[]> {
  const map = new Map<string, Item[]>();
  for (const item of items) {
    for (const ref of item.meta.ownerReferences ?? []) map.set(ref.uid, [...(map.get(ref.uid) ?? []), item]);
  }
  return map;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const deleting = (o: KubeObject): boolean => Boolean(o.metadata.deletionTimestamp);
const sameNamespace = (a: KubeObject, b: KubeObject): boolean => a.metadata.namespace === b.metadata.namespace;
const isControlledBy = (o: KubeObject, owner: KubeObject): boolean => (o.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === owner.metadata.uid);
const sum = (values: (number | undefined)[]): number => values.reduce<number>((a, b) => a + (b ?? 0), 0);
const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, 'Z');
const matches = (selector: Labels, labels: Labels = {}): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function controllerRef(o: KubeObject, apiVersion: string, kind: string): OwnerRef {
  return { apiVersion, kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** JSON with sorted keys: equal values, equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Sets `condition` as the real controllers do: the transition time kept while the status stays. */
function setCondition(conditions: Condition[], condition: Condition): Condition[] {
  const current = conditions.find((c) => c.type === condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason && current.message === condition.message) return conditions;
  const kept = current && current.status === condition.status ? { lastTransitionTime: current.lastTransitionTime } : {};
  return [...conditions.filter((c) => c.type !== condition.type), { ...condition, ...kept }];
}

function podReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function podAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  return !minReadySeconds || Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000 <= now.getTime();
}

const terminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const claimsOf = (pod: Pod): string[] => (pod.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));

interface Ctx { kube: Kube; snap: Snapshot; now: Date; nodeName: string; ips: IpPool; paused: boolean }

// ---------------------------------------------------------------------------------------------
// serviceaccount and root-ca-cert-publisher controllers

async function serviceAccounts(c: Ctx, ca: string): Promise<void> {
  const has = (type: string, ns: string, name: string): boolean =>
    c.snap.items.some((i) => i.type.groupVersion === 'v1' && i.type.resource === type && i.meta.namespace === ns && i.meta.name === name);
  for (const ns of c.snap.namespaces.filter((n) => !deleting(n))) {
    const namespace = ns.metadata.name;
    if (!has('serviceaccounts', namespace, 'default')) await c.kube.write('kube-controller-manager', 'POST', at(CORE, 'serviceaccounts', { namespace }), { metadata: { name: 'default' } });
    if (!has('configmaps', namespace, 'kube-root-ca.crt')) await c.kube.write('kube-controller-manager', 'POST', at(CORE, 'configmaps', { namespace }), rootCa(ca));
  }
}

function rootCa(ca: string): unknown {
  const description =
    'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';
  return { metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': description } }, data: { 'ca.crt': ca } };
}

// ---------------------------------------------------------------------------------------------
// namespace controller

async function namespaces(c: Ctx): Promise<void> {
  for (const ns of c.snap.namespaces.filter((n) => deleting(n) && (n.spec?.finalizers ?? []).includes('kubernetes'))) {
    const content = c.snap.items.filter((i) => i.meta.namespace === ns.metadata.name);
    if (content.length === 0 && !c.snap.partial) {
      const spec = { ...ns.spec, finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== 'kubernetes') };
      await c.kube.write('kube-controller-manager', 'PUT', `${at(CORE, 'namespaces', ns.metadata)}/finalize`, { ...ns, spec });
      continue;
    }
    await deleteContent(c, ns.metadata.name, content.filter((i) => !i.meta.deletionTimestamp));
  }
}

async function deleteContent(c: Ctx, namespace: string, live: Item[]): Promise<void> {
  const types = new Map(live.map((i) => [typeKey(i.type), i.type]));
  for (const type of types.values()) {
    if (type.verbs.includes('deletecollection')) {
      await c.kube.write('kube-controller-manager', 'DELETE', `${at(type.base, type.resource, { namespace })}?propagationPolicy=Background`);
      continue;
    }
    for (const item of live.filter((i) => i.type === type)) await c.kube.write('kube-controller-manager', 'DELETE', `${at(type.base, type.resource, item.meta)}?propagationPolicy=Background`);
  }
}

// ---------------------------------------------------------------------------------------------
// garbage collector

async function garbageCollector(c: Ctx): Promise<void> {
  for (const item of c.snap.items) {
    const finalizers = item.meta.finalizers ?? [];
    if (item.meta.deletionTimestamp && finalizers.includes('foregroundDeletion')) await deleteDependents(c, item);
    else if (item.meta.deletionTimestamp && finalizers.includes('orphan')) await orphanDependents(c, item);
    else if (!item.meta.deletionTimestamp && (item.meta.ownerReferences ?? []).length > 0) await collectIfOrphaned(c, item);
  }
}

const itemPath = (item: Item): string => at(item.type.base, item.type.resource, item.meta);

async function deleteDependents(c: Ctx, owner: Item): Promise<void> {
  const dependents = c.snap.dependents.get(owner.meta.uid) ?? [];
  for (const dep of dependents.filter((d) => !d.meta.deletionTimestamp)) {
    const policy = (c.snap.dependents.get(dep.meta.uid) ?? []).length ? 'Foreground' : 'Background';
    await c.kube.write('kube-controller-manager', 'DELETE', `${itemPath(dep)}?propagationPolicy=${policy}`);
  }
  const blocking = dependents.filter((d) => d.meta.ownerReferences!.some((r) => r.uid === owner.meta.uid && r.blockOwnerDeletion));
  if (blocking.length === 0) await removeFinalizer(c, owner, 'foregroundDeletion');
}

async function orphanDependents(c: Ctx, owner: Item): Promise<void> {
  const dependents = c.snap.dependents.get(owner.meta.uid) ?? [];
  for (const dep of dependents) {
    const ownerReferences = dep.meta.ownerReferences!.filter((r) => r.uid !== owner.meta.uid);
    await c.kube.mergePatch('kube-controller-manager', itemPath(dep), { metadata: { ownerReferences, resourceVersion: dep.meta.resourceVersion } });
  }
  if (dependents.length === 0) await removeFinalizer(c, owner, 'orphan');
}

function removeFinalizer(c: Ctx, item: Item, finalizer: string): Promise<boolean> {
  const finalizers = (item.meta.finalizers ?? []).filter((f) => f !== finalizer);
  return c.kube.mergePatch('kube-controller-manager', itemPath(item), { metadata: { finalizers, resourceVersion: item.meta.resourceVersion } });
}

/** Deletes an object whose owners are all gone (each absence confirmed by a GET, as the real one does). */
async function collectIfOrphaned(c: Ctx, item: Item): Promise<void> {
  const refs = item.meta.ownerReferences!;
  if (refs.some((r) => c.snap.byUid.has(r.uid))) return;
  for (const ref of refs) if (!(await ownerIsGone(c, item, ref))) return;
  await c.kube.write('kube-controller-manager', 'DELETE', `${itemPath(item)}?propagationPolicy=Background`);
}

async function ownerIsGone(c: Ctx, item: Item, ref: OwnerRef): Promise<boolean> {
  const group = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
  const type = c.snap.types.find((t) => group(t.groupVersion) === group(ref.apiVersion) && t.kind === ref.kind);
  if (!type) return false;
  const r = await c.kube.send('GET', at(type.base, type.resource, { namespace: type.namespaced ? item.meta.namespace : undefined, name: ref.name }));
  return r.status === 404 || (r.status === 200 && (r.body as KubeObject).metadata.uid !== ref.uid);
}

// ---------------------------------------------------------------------------------------------
// deployment controller

const REVISION = 'deployment.kubernetes.io/revision';
const HASH = 'pod-template-hash';

/** The real controller's `rand.SafeEncodeString(fmt.Sprint(fnv32a(template)))`. */
function templateHash(template: PodTemplate): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(canonical(template))) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(hash)].map((ch) => alphabet[ch.charCodeAt(0) % alphabet.length]).join('');
}

function withoutHash(template: PodTemplate): PodTemplate {
  const labels = { ...template.metadata?.labels };
  delete labels[HASH];
  return { ...template, metadata: { ...template.metadata, labels } };
}

const revisionOf = (o: KubeObject): number => Number(o.metadata.annotations?.[REVISION] ?? 0);
const replicasOf = (d: Deployment): number => d.spec.replicas ?? 1;

function resolve(value: IntOrPercent | undefined, total: number, roundUp: boolean): number {
  const v = value ?? '25%';
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) return Number(v);
  const scaled = (Number(v.slice(0, -1)) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (d.spec.strategy?.type === 'Recreate' || replicas === 0) return 0;
  const rolling = d.spec.strategy?.rollingUpdate;
  const surge = resolve(rolling?.maxSurge, replicas, true);
  const unavailable = resolve(rolling?.maxUnavailable, replicas, false);
  return Math.min(surge === 0 && unavailable === 0 ? 1 : unavailable, replicas);
}

function maxSurge(d: Deployment): number {
  return d.spec.strategy?.type === 'Recreate' ? 0 : resolve(d.spec.strategy?.rollingUpdate?.maxSurge, replicasOf(d), true);
}

async function deployments(c: Ctx): Promise<void> {
  for (const d of c.snap.deployments.filter((x) => !deleting(x) && !c.snap.terminating.has(x.metadata.namespace!))) {
    const owned = c.snap.replicaSets.filter((rs) => sameNamespace(rs, d) && isControlledBy(rs, d) && !deleting(rs));
    const hash = templateHash(d.spec.template);
    const found = owned.find((rs) => templateHash(withoutHash(rs.spec.template)) === hash);
    const old = owned.filter((rs) => rs !== found);
    const current = found ?? (await createReplicaSet(c, d, hash, Math.max(0, ...owned.map(revisionOf)) + 1, old));
    await scaleDownOld(c, d, old, current?.status?.availableReplicas ?? 0);
    if (!current) continue;
    if (found) await syncReplicaSet(c, d, found, old);
    await writeDeploymentStatus(c, d, current, [...old, current], !found);
  }
}

/**
 * Old ReplicaSets go down as the new one becomes available, never below `replicas - maxUnavailable`
 * available in all (the newest old ones kept longest); with Recreate, to 0 at once.
 */
async function scaleDownOld(c: Ctx, d: Deployment, old: ReplicaSet[], newAvailable: number): Promise<void> {
  let allowed = d.spec.strategy?.type === 'Recreate' ? 0 : Math.max(0, replicasOf(d) - maxUnavailable(d) - newAvailable);
  for (const rs of [...old].sort((a, b) => revisionOf(b) - revisionOf(a))) {
    const replicas = rs.spec.replicas ?? 1;
    const keep = Math.min(replicas, allowed);
    allowed -= keep;
    if (keep === replicas) continue;
    await c.kube.mergePatch('kube-controller-manager', at(APPS, 'replicasets', rs.metadata), { metadata: { resourceVersion: rs.metadata.resourceVersion }, spec: { replicas: keep } });
  }
}

/** With Recreate, no new pod while an old one is left. */
function desiredNewReplicas(c: Ctx, d: Deployment, old: ReplicaSet[]): number {
  if (d.spec.strategy?.type !== 'Recreate') return replicasOf(d);
  const oldPods = c.snap.pods.filter((p) => sameNamespace(p, d) && old.some((rs) => isControlledBy(p, rs)));
  return oldPods.length > 0 ? 0 : replicasOf(d);
}

function replicaAnnotations(d: Deployment, revision: number): Labels {
  return {
    'deployment.kubernetes.io/desired-replicas': String(replicasOf(d)),
    'deployment.kubernetes.io/max-replicas': String(replicasOf(d) + maxSurge(d)),
    [REVISION]: String(revision),
  };
}

/** The new ReplicaSet, as the API server answered its creation. */
async function createReplicaSet(c: Ctx, d: Deployment, hash: string, revision: number, old: ReplicaSet[]): Promise<ReplicaSet | undefined> {
  const labels = { ...d.spec.template.metadata?.labels, [HASH]: hash };
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${d.metadata.name}-${hash}`, labels, annotations: replicaAnnotations(d, revision), ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')] },
    spec: {
      replicas: desiredNewReplicas(c, d, old),
      minReadySeconds: d.spec.minReadySeconds,
      selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, [HASH]: hash } },
      template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels } },
    },
  };
  return (await c.kube.attempt('kube-controller-manager', 'POST', at(APPS, 'replicasets', { namespace: d.metadata.namespace }), rs)) as ReplicaSet | undefined;
}

/** The current ReplicaSet at the newest revision (a rollback re-numbers it) and at the Deployment's scale. */
async function syncReplicaSet(c: Ctx, d: Deployment, current: ReplicaSet, old: ReplicaSet[]): Promise<void> {
  const newest = Math.max(revisionOf(current), ...old.map((rs) => revisionOf(rs) + 1));
  const replicas = desiredNewReplicas(c, d, old);
  const annotations = replicaAnnotations(d, newest);
  if ((current.spec.replicas ?? 1) === replicas && Object.entries(annotations).every(([k, v]) => current.metadata.annotations?.[k] === v)) return;
  await c.kube.mergePatch('kube-controller-manager', at(APPS, 'replicasets', current.metadata), { metadata: { annotations, resourceVersion: current.metadata.resourceVersion }, spec: { replicas } });
  current.metadata.annotations = { ...current.metadata.annotations, [REVISION]: String(newest) };
}

type DeploymentStatus = NonNullable<Deployment['status']>;

/**
 * The status, and the revision annotation with it: through the status subresource, as the real
 * controller writes it (a change of annotations through the main resource bumps the generation).
 */
async function writeDeploymentStatus(c: Ctx, d: Deployment, current: ReplicaSet, owned: ReplicaSet[], created: boolean): Promise<void> {
  const status = deploymentStatus(c.now, d, current, owned, created);
  const before = (d.status ?? {}) as Record<string, unknown>;
  const same = Object.entries(status).every(([k, v]) => (k === 'conditions' ? canonical(v) === canonical(before[k] ?? []) : (before[k] ?? 0) === v));
  const revision = String(revisionOf(current));
  if (same && d.metadata.annotations?.[REVISION] === revision) return;
  const metadata = { annotations: { [REVISION]: revision }, resourceVersion: d.metadata.resourceVersion };
  await c.kube.mergePatch('kube-controller-manager', `${at(APPS, 'deployments', d.metadata)}/status`, { metadata, status });
}

function deploymentStatus(now: Date, d: Deployment, current: ReplicaSet, owned: ReplicaSet[], created: boolean): DeploymentStatus {
  const available = sum(owned.map((rs) => rs.status?.availableReplicas));
  const counts = {
    observedGeneration: d.metadata.generation,
    replicas: sum(owned.map((rs) => rs.status?.replicas)),
    updatedReplicas: current.status?.replicas ?? 0,
    readyReplicas: sum(owned.map((rs) => rs.status?.readyReplicas)),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(owned.map((rs) => rs.spec.replicas ?? 1)) - available),
  };
  const time = rfc3339(now);
  const availableCondition: Condition =
    available >= replicasOf(d) - maxUnavailable(d)
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: time, lastTransitionTime: time }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: time, lastTransitionTime: time };
  let conditions = setCondition(d.status?.conditions ?? [], availableCondition);
  const name = current.metadata.name;
  const progressingCondition = (status: string, reason: string, message: string): Condition => ({ type: 'Progressing', status, reason, message, lastUpdateTime: time, lastTransitionTime: time });
  // getNewReplicaSet: the condition that says which ReplicaSet this rollout is about.
  if (created) conditions = setCondition(conditions, progressingCondition('True', 'NewReplicaSetCreated', `Created new replica set "${name}"`));
  else if (!conditions.some((x) => x.type === 'Progressing')) conditions = setCondition(conditions, progressingCondition('True', 'FoundNewReplicaSet', `Found new replica set "${name}"`));
  return { ...counts, conditions: rolloutStatus(now, d, name, counts, conditions, progressingCondition) };
}

/** The real syncRolloutStatus: NewReplicaSetAvailable / ReplicaSetUpdated / ProgressDeadlineExceeded. */
function rolloutStatus(
  now: Date,
  d: Deployment,
  name: string,
  next: { replicas: number; updatedReplicas: number; readyReplicas: number; availableReplicas: number },
  conditions: Condition[],
  make: (status: string, reason: string, message: string) => Condition,
): Condition[] {
  const existing = conditions.find((x) => x.type === 'Progressing')!;
  if (next.replicas === next.updatedReplicas && existing.reason === 'NewReplicaSetAvailable') return conditions;
  const want = replicasOf(d);
  if (next.updatedReplicas === want && next.replicas === want && next.availableReplicas === want) {
    return setCondition(conditions, make('True', 'NewReplicaSetAvailable', `ReplicaSet "${name}" has successfully progressed.`));
  }
  const before = d.status ?? {};
  const progressed =
    next.updatedReplicas > (before.updatedReplicas ?? 0) ||
    next.replicas - next.updatedReplicas < (before.replicas ?? 0) - (before.updatedReplicas ?? 0) ||
    next.readyReplicas > (before.readyReplicas ?? 0) ||
    next.availableReplicas > (before.availableReplicas ?? 0);
  if (progressed) {
    const kept = existing.status === 'True' ? { lastTransitionTime: existing.lastTransitionTime } : {};
    return [...conditions.filter((x) => x.type !== 'Progressing'), { ...make('True', 'ReplicaSetUpdated', `ReplicaSet "${name}" is progressing.`), ...kept }];
  }
  const deadline = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
  if (existing.reason === 'ProgressDeadlineExceeded' || Date.parse(existing.lastUpdateTime ?? '') + deadline < now.getTime()) {
    return setCondition(conditions, make('False', 'ProgressDeadlineExceeded', `ReplicaSet "${name}" has timed out progressing.`));
  }
  return conditions;
}

// ---------------------------------------------------------------------------------------------
// replicaset controller

async function replicaSets(c: Ctx): Promise<void> {
  for (const rs of c.snap.replicaSets.filter((x) => !deleting(x))) {
    const pods = c.snap.pods.filter((p) => sameNamespace(p, rs) && isControlledBy(p, rs) && !deleting(p) && !terminal(p));
    const want = rs.spec.replicas ?? 1;
    if (pods.length < want && !c.snap.terminating.has(rs.metadata.namespace!)) await createPods(c, rs, want - pods.length);
    if (pods.length > want) await deletePods(c, pods, pods.length - want);
    await writeReplicaSetStatus(c, rs, pods);
  }
}

async function createPods(c: Ctx, rs: ReplicaSet, count: number): Promise<void> {
  const template = rs.spec.template;
  const pod = {
    metadata: { generateName: `${rs.metadata.name}-`, labels: template.metadata?.labels, annotations: template.metadata?.annotations, ownerReferences: [controllerRef(rs, 'apps/v1', 'ReplicaSet')] },
    spec: template.spec,
  };
  for (let i = 0; i < count; i++) await c.kube.write('kube-controller-manager', 'POST', at(CORE, 'pods', { namespace: rs.metadata.namespace }), pod);
}

/** Scales down as the real one does: unscheduled, then pending, then not ready, then the newest first. */
async function deletePods(c: Ctx, pods: Pod[], count: number): Promise<void> {
  const rank = (p: Pod): number => (!p.spec.nodeName ? 0 : p.status?.phase !== 'Running' ? 1 : !podReady(p) ? 2 : 3);
  const order = [...pods].sort((a, b) => rank(a) - rank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  for (const pod of order.slice(0, count)) await c.kube.write('kube-controller-manager', 'DELETE', at(CORE, 'pods', pod.metadata));
}

async function writeReplicaSetStatus(c: Ctx, rs: ReplicaSet, pods: Pod[]): Promise<void> {
  const status: WorkloadStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.length,
    readyReplicas: pods.filter(podReady).length,
    availableReplicas: pods.filter((p) => podAvailable(p, rs.spec.minReadySeconds ?? 0, c.now)).length,
    observedGeneration: rs.metadata.generation,
  };
  const before = rs.status ?? {};
  if ((Object.keys(status) as (keyof WorkloadStatus)[]).every((k) => (status[k] ?? 0) === (before[k] ?? 0))) return;
  await c.kube.mergePatch('kube-controller-manager', `${at(APPS, 'replicasets', rs.metadata)}/status`, { status });
}

// ---------------------------------------------------------------------------------------------
// scheduler

async function scheduler(c: Ctx): Promise<void> {
  const placed = new Map<string, number>();
  for (const pod of c.snap.pods.filter((p) => !p.spec.nodeName && !deleting(p) && !terminal(p))) {
    const claim = claimsOf(pod).find((name) => !c.snap.pvcs.some((pvc) => sameNamespace(pvc, pod) && pvc.metadata.name === name && pvc.status?.phase === 'Bound'));
    if (claim !== undefined) {
      const exists = c.snap.pvcs.some((pvc) => sameNamespace(pvc, pod) && pvc.metadata.name === claim);
      await markUnschedulable(c, pod, exists ? 'pod has unbound immediate PersistentVolumeClaims.' : `persistentvolumeclaim "${claim}" not found.`);
      continue;
    }
    const node = pickNode(c, pod, placed);
    if (typeof node !== 'string') {
      await markUnschedulable(c, pod, node.unschedulable);
      continue;
    }
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
    if (await c.kube.write('kube-scheduler', 'POST', `${at(CORE, 'pods', pod.metadata)}/binding`, binding)) placed.set(node, (placed.get(node) ?? 0) + 1);
  }
}

/**
 * A Ready Node whose labels match the Pod's nodeSelector, the one with the fewest Pods; with no
 * Node objects at all, `nodeName` (taints, affinity and resources are not looked at).
 */
function pickNode(c: Ctx, pod: Pod, placed: Map<string, number>): string | { unschedulable: string } {
  const nodes = c.snap.nodes;
  if (nodes.length === 0) return c.nodeName;
  const ready = nodes.filter((n) => n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'));
  const fitting = ready.filter((n) => matches(pod.spec.nodeSelector ?? {}, n.metadata.labels));
  const load = (name: string): number => c.snap.pods.filter((p) => p.spec.nodeName === name).length + (placed.get(name) ?? 0);
  const best = fitting.map((n) => n.metadata.name).sort((a, b) => load(a) - load(b) || a.localeCompare(b))[0];
  if (best) return best;
  const notReady = nodes.length - ready.length;
  const reasons = [...(notReady ? [`${notReady} node(s) had untolerated taint {node.kubernetes.io/not-ready: }`] : []), ...(ready.length ? [`${ready.length} node(s) didn't match Pod's node affinity/selector`] : [])];
  return { unschedulable: `${reasons.join(', ')}.` };
}

/** PodScheduled False, as the scheduler reports a Pod it cannot place. */
async function markUnschedulable(c: Ctx, pod: Pod, why: string): Promise<void> {
  const nodes = Math.max(c.snap.nodes.length, 1);
  const message = `0/${nodes} nodes are available: ${why}`;
  const condition: Condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: rfc3339(c.now) };
  const conditions = setCondition(pod.status?.conditions ?? [], condition);
  if (conditions === pod.status?.conditions) return;
  await c.kube.mergePatch('kube-scheduler', `${at(CORE, 'pods', pod.metadata)}/status`, { status: { phase: 'Pending', conditions } });
}

// ---------------------------------------------------------------------------------------------
// kubelet

const HOST_IP = '10.224.0.4';

class IpPool {
  private next = 2;
  take(): string {
    const n = this.next++;
    return `10.244.${(n >> 8) & 255}.${n & 255}`;
  }
}

async function kubelet(c: Ctx): Promise<void> {
  if (c.paused) return;
  for (const pod of c.snap.pods.filter((p) => p.spec.nodeName)) {
    if (deleting(pod)) {
      // DeleteOptions in a body: the API server then ignores the query's.
      await c.kube.write('kubelet', 'DELETE', at(CORE, 'pods', pod.metadata), { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      continue;
    }
    if (terminal(pod)) continue;
    const running = pod.status?.phase === 'Running';
    if (running && (pod.status?.containerStatuses ?? []).every((s) => s.ready)) continue;
    // A container with a readiness probe becomes ready one pass after it started: its probe "passed".
    await c.kube.mergePatch('kubelet', `${at(CORE, 'pods', pod.metadata)}/status`, { status: runningStatus(c, pod, (ct) => running || !ct.readinessProbe) });
  }
}

function runningStatus(c: Ctx, pod: Pod, ready: (container: Container) => boolean): unknown {
  const time = rfc3339(c.now);
  const startedAt = pod.status?.startTime ?? time;
  const ip = pod.status?.podIP ?? c.ips.take();
  const containerStatuses = pod.spec.containers.map((ct) => ({
    name: ct.name,
    image: ct.image,
    imageID: `${ct.image}@sha256:${sha256(`${ct.image}`)}`,
    containerID: `containerd://${sha256(`${pod.metadata.uid}/${ct.name}`)}`,
    ready: ready(ct),
    started: true,
    restartCount: 0,
    state: { running: { startedAt } },
  }));
  const unready = containerStatuses.filter((s) => !s.ready).map((s) => s.name);
  const readiness = (type: string): Condition =>
    unready.length
      ? { type, status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]`, lastProbeTime: null, lastTransitionTime: time }
      : { type, status: 'True', lastProbeTime: null, lastTransitionTime: time };
  let conditions = pod.status?.conditions ?? [];
  for (const type of ['PodReadyToStartContainers', 'Initialized']) conditions = setCondition(conditions, { type, status: 'True', lastProbeTime: null, lastTransitionTime: time });
  for (const type of ['Ready', 'ContainersReady']) conditions = setCondition(conditions, readiness(type));
  conditions = setCondition(conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: time });
  const initContainerStatuses = (pod.spec.initContainers ?? []).map((ct) => ({ name: ct.name, image: ct.image, ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: startedAt } } }));
  return { phase: 'Running', conditions, hostIP: HOST_IP, hostIPs: [{ ip: HOST_IP }], podIP: ip, podIPs: [{ ip }], startTime: startedAt, containerStatuses, initContainerStatuses };
}

// ---------------------------------------------------------------------------------------------
// endpoints and endpointslice controllers

const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
const SERVICE_NAME = 'kubernetes.io/service-name';

interface Backend { pod: Pod; ready: boolean; terminating: boolean; ports: EndpointPort[] }

/** The selected Pods with an IP, and each one's ports (a named targetPort looked up in its containers). */
function backends(c: Ctx, svc: Service): Backend[] {
  const selected = c.snap.pods.filter((p) => sameNamespace(p, svc) && matches(svc.spec.selector!, p.metadata.labels) && p.status?.podIP && !terminal(p));
  return selected.map((pod) => ({
    pod,
    ready: podReady(pod) || Boolean(svc.spec.publishNotReadyAddresses),
    terminating: deleting(pod),
    ports: (svc.spec.ports ?? []).flatMap((sp) => {
      const port = targetPort(pod, sp);
      return port === undefined ? [] : [{ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' }];
    }),
  }));
}

function targetPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  return pod.spec.containers.flatMap((ct) => ct.ports ?? []).find((p) => p.name === target)?.containerPort;
}

const portsKey = (ports: EndpointPort[]): string => canonical([...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')));

function groupByPorts(list: Backend[]): Map<string, Backend[]> {
  const groups = new Map<string, Backend[]>();
  for (const b of list) groups.set(portsKey(b.ports), [...(groups.get(portsKey(b.ports)) ?? []), b]);
  return groups;
}

const address = (pod: Pod): EndpointAddress => ({ ip: pod.status!.podIP!, nodeName: pod.spec.nodeName, targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid } });
const byIp = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip, undefined, { numeric: true });

function subsetsOf(list: Backend[]): Subset[] {
  const subsets: Subset[] = [];
  for (const [key, group] of groupByPorts(list.filter((b) => !b.terminating))) {
    const addresses = group.filter((b) => b.ready).map((b) => address(b.pod)).sort(byIp);
    const notReadyAddresses = group.filter((b) => !b.ready).map((b) => address(b.pod)).sort(byIp);
    subsets.push({ ...(addresses.length ? { addresses } : {}), ...(notReadyAddresses.length ? { notReadyAddresses } : {}), ...(key === '[]' ? {} : { ports: group[0].ports }) });
  }
  return subsets;
}

const selects = (svc: Service): boolean => Object.keys(svc.spec.selector ?? {}).length > 0 && svc.spec.type !== 'ExternalName';

async function endpointsControllers(c: Ctx): Promise<void> {
  const services = c.snap.services.filter((s) => selects(s) && !deleting(s) && !c.snap.terminating.has(s.metadata.namespace!));
  for (const svc of services) {
    const list = backends(c, svc);
    await syncEndpoints(c, svc, subsetsOf(list));
    await syncSlices(c, svc, list);
  }
  const stale = c.snap.endpoints.filter((e) => e.metadata.annotations?.[TRIGGER] && !c.snap.services.some((s) => sameNamespace(s, e) && s.metadata.name === e.metadata.name && selects(s)));
  for (const e of stale) await c.kube.write('kube-controller-manager', 'DELETE', at(CORE, 'endpoints', e.metadata));
}

function endpointsLabels(svc: Service): Labels {
  return { ...svc.metadata.labels, ...(svc.spec.clusterIP === 'None' ? { 'service.kubernetes.io/headless': '' } : {}) };
}

async function syncEndpoints(c: Ctx, svc: Service, subsets: Subset[]): Promise<void> {
  const existing = c.snap.endpoints.find((e) => sameNamespace(e, svc) && e.metadata.name === svc.metadata.name);
  const labels = endpointsLabels(svc);
  if (existing && canonical(existing.subsets ?? []) === canonical(subsets) && canonical(existing.metadata.labels ?? {}) === canonical(labels)) return;
  const metadata = { name: svc.metadata.name, namespace: svc.metadata.namespace, labels, annotations: { ...existing?.metadata.annotations, [TRIGGER]: rfc3339(c.now) } };
  if (!existing) {
    await c.kube.write('kube-controller-manager', 'POST', at(CORE, 'endpoints', { namespace: svc.metadata.namespace }), { metadata, subsets });
    return;
  }
  await c.kube.write('kube-controller-manager', 'PUT', at(CORE, 'endpoints', existing.metadata), { metadata: { ...metadata, resourceVersion: existing.metadata.resourceVersion }, subsets });
}

function sliceEndpoints(group: Backend[]): SliceEndpoint[] {
  return group
    .map((b) => {
      const { ip, nodeName, targetRef } = address(b.pod);
      return { addresses: [ip], conditions: { ready: b.ready && !b.terminating, serving: b.ready, terminating: b.terminating }, nodeName, targetRef };
    })
    .sort((a, b) => a.addresses[0].localeCompare(b.addresses[0], undefined, { numeric: true }));
}

async function syncSlices(c: Ctx, svc: Service, list: Backend[]): Promise<void> {
  const mine = c.snap.slices.filter((s) => sameNamespace(s, svc) && s.metadata.labels?.[SERVICE_NAME] === svc.metadata.name && s.metadata.labels?.[MANAGED_BY] === SLICE_CONTROLLER && !deleting(s));
  const groups = groupByPorts(list);
  if (groups.size === 0) groups.set(portsKey([]), []);
  const used = new Set<EndpointSlice>();
  for (const [key, group] of groups) {
    const existing = mine.find((s) => !used.has(s) && portsKey(s.ports ?? []) === key);
    if (existing) used.add(existing);
    await writeSlice(c, svc, existing, sliceEndpoints(group), group[0]?.ports ?? []);
  }
  for (const extra of mine.filter((s) => !used.has(s))) await c.kube.write('kube-controller-manager', 'DELETE', at(DISCOVERY, 'endpointslices', extra.metadata));
}

async function writeSlice(c: Ctx, svc: Service, existing: EndpointSlice | undefined, endpoints: SliceEndpoint[], ports: EndpointPort[]): Promise<void> {
  if (existing && canonical(existing.endpoints ?? []) === canonical(endpoints)) return;
  const labels = { ...endpointsLabels(svc), [SERVICE_NAME]: svc.metadata.name, [MANAGED_BY]: SLICE_CONTROLLER };
  const metadata = { generateName: `${svc.metadata.name}-`, labels, annotations: { [TRIGGER]: rfc3339(c.now) }, ownerReferences: [controllerRef(svc, 'v1', 'Service')] };
  const body = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4', endpoints, ports };
  if (!existing) {
    await c.kube.write('kube-controller-manager', 'POST', at(DISCOVERY, 'endpointslices', { namespace: svc.metadata.namespace }), { ...body, metadata });
    return;
  }
  await c.kube.write('kube-controller-manager', 'PUT', at(DISCOVERY, 'endpointslices', existing.metadata), { ...body, metadata: { ...metadata, name: existing.metadata.name, resourceVersion: existing.metadata.resourceVersion } });
}

// ---------------------------------------------------------------------------------------------
// persistentvolume controller, a provisioner for every class, pvc- and pv-protection

const PROVISIONER = 'double.modelops.io/hostpath';

async function volumes(c: Ctx): Promise<void> {
  for (const pvc of c.snap.pvcs) {
    if (deleting(pvc)) await releaseClaimProtection(c, pvc);
    else if (pvc.status?.phase !== 'Bound') await bindClaim(c, pvc);
  }
  for (const pv of c.snap.pvs) {
    if (deleting(pv)) await releaseVolumeProtection(c, pv);
    else await reclaim(c, pv);
  }
}

function usedBy(c: Ctx, pvc: Pvc): Pod[] {
  return c.snap.pods.filter((p) => sameNamespace(p, pvc) && !terminal(p) && claimsOf(p).includes(pvc.metadata.name));
}

async function bindClaim(c: Ctx, pvc: Pvc): Promise<void> {
  const sc = c.snap.storageClasses.find((s) => s.metadata.name === (pvc.spec.storageClassName ?? ''));
  if (sc?.volumeBindingMode === 'WaitForFirstConsumer' && usedBy(c, pvc).length === 0) return;
  const mine = c.snap.pvs.find((pv) => pv.spec.claimRef?.uid === pvc.metadata.uid);
  if (mine) return bind(c, pvc, mine, sc);
  const free = c.snap.pvs.find((pv) => !pv.spec.claimRef && !deleting(pv) && fits(pv, pvc));
  if (free) {
    await c.kube.mergePatch('kube-controller-manager', at(CORE, 'persistentvolumes', free.metadata), { metadata: { resourceVersion: free.metadata.resourceVersion }, spec: { claimRef: claimRef(pvc) } });
    return;
  }
  if (pvc.spec.storageClassName && sc?.provisioner !== 'kubernetes.io/no-provisioner') await provision(c, pvc, sc);
}

const claimRef = (pvc: Pvc) => ({ kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion });

function fits(pv: Pv, pvc: Pvc): boolean {
  const modes = pvc.spec.accessModes ?? [];
  return (
    (pv.spec.storageClassName ?? '') === (pvc.spec.storageClassName ?? '') &&
    modes.every((m) => (pv.spec.accessModes ?? []).includes(m)) &&
    (pv.spec.volumeMode ?? 'Filesystem') === (pvc.spec.volumeMode ?? 'Filesystem') &&
    quantity(pv.spec.capacity?.storage) >= quantity(pvc.spec.resources?.requests?.storage)
  );
}

function quantity(text = '0'): number {
  const units: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  const m = /^([0-9.]+(?:e[0-9]+)?)([A-Za-z]*)$/.exec(text.trim());
  return m ? Number(m[1]) * (units[m[2]] ?? 1) : 0;
}

async function provision(c: Ctx, pvc: Pvc, sc: StorageClass | undefined): Promise<void> {
  const name = `pvc-${pvc.metadata.uid}`;
  const pv = {
    metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': sc?.provisioner ?? PROVISIONER } },
    spec: {
      capacity: { storage: pvc.spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: pvc.spec.accessModes,
      volumeMode: pvc.spec.volumeMode,
      storageClassName: pvc.spec.storageClassName,
      persistentVolumeReclaimPolicy: sc?.reclaimPolicy ?? 'Delete',
      claimRef: claimRef(pvc),
      hostPath: { path: `/var/lib/mops-double/volumes/${name}`, type: 'DirectoryOrCreate' },
    },
  };
  await c.kube.write('kube-controller-manager', 'POST', at(CORE, 'persistentvolumes'), pv);
}

async function bind(c: Ctx, pvc: Pvc, pv: Pv, sc: StorageClass | undefined): Promise<void> {
  if (pv.status?.phase !== 'Bound') await c.kube.mergePatch('kube-controller-manager', `${at(CORE, 'persistentvolumes', pv.metadata)}/status`, { status: { phase: 'Bound' } });
  if (!pvc.spec.volumeName) {
    const provisioner = pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] ?? sc?.provisioner ?? PROVISIONER;
    const annotations = { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.beta.kubernetes.io/storage-provisioner': provisioner, 'volume.kubernetes.io/storage-provisioner': provisioner };
    const ok = await c.kube.mergePatch('kube-controller-manager', at(CORE, 'persistentvolumeclaims', pvc.metadata), { metadata: { annotations, resourceVersion: pvc.metadata.resourceVersion }, spec: { volumeName: pv.metadata.name } });
    if (!ok) return;
  }
  const status = { phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity };
  await c.kube.mergePatch('kube-controller-manager', `${at(CORE, 'persistentvolumeclaims', pvc.metadata)}/status`, { status });
}

async function reclaim(c: Ctx, pv: Pv): Promise<void> {
  const ref = pv.spec.claimRef;
  if (!ref?.uid || c.snap.pvcs.some((pvc) => pvc.metadata.uid === ref.uid)) return;
  if (pv.spec.persistentVolumeReclaimPolicy === 'Delete') {
    await c.kube.write('kube-controller-manager', 'DELETE', at(CORE, 'persistentvolumes', pv.metadata));
    return;
  }
  if (pv.status?.phase !== 'Released') await c.kube.mergePatch('kube-controller-manager', `${at(CORE, 'persistentvolumes', pv.metadata)}/status`, { status: { phase: 'Released' } });
}

async function releaseClaimProtection(c: Ctx, pvc: Pvc): Promise<void> {
  const item = c.snap.byUid.get(pvc.metadata.uid);
  if (item && (pvc.metadata.finalizers ?? []).includes('kubernetes.io/pvc-protection') && usedBy(c, pvc).length === 0) await removeFinalizer(c, item, 'kubernetes.io/pvc-protection');
}

/** A PV is in use while Bound to a claim that exists. */
async function releaseVolumeProtection(c: Ctx, pv: Pv): Promise<void> {
  const item = c.snap.byUid.get(pv.metadata.uid);
  const claimed = pv.status?.phase === 'Bound' && c.snap.pvcs.some((pvc) => pvc.metadata.uid === pv.spec.claimRef?.uid);
  if (item && (pv.metadata.finalizers ?? []).includes('kubernetes.io/pv-protection') && !claimed) await removeFinalizer(c, item, 'kubernetes.io/pv-protection');
}

// ---------------------------------------------------------------------------------------------
// The loop: a pass when etcd's revision moved (any write anywhere) or every RESYNC_MS

const RESYNC_MS = 10_000;
const DISCOVERY_MS = 30_000;

interface LoopState {
  kube: Kube;
  ca: string;
  nodeName: string;
  ips: IpPool;
  paused: boolean;
  stopped: boolean;
  forced: boolean;
  revision?: string;
  lastPass: number;
  types?: ResourceType[];
  discoveredAt: number;
  wake?: () => void;
}

async function pass(s: LoopState): Promise<boolean> {
  const revision = (await s.kube.get<{ metadata: { resourceVersion: string } }>(`${at(CORE, 'namespaces')}?limit=1`)).metadata.resourceVersion;
  if (revision === s.revision && !s.forced && Date.now() - s.lastPass < RESYNC_MS) return false;
  if (!s.types || Date.now() - s.discoveredAt > DISCOVERY_MS) [s.types, s.discoveredAt] = [await discover(s.kube), Date.now()];
  Object.assign(s, { revision, forced: false, lastPass: Date.now() });
  const c: Ctx = { kube: s.kube, snap: await snapshot(s.kube, s.types), now: new Date(), nodeName: s.nodeName, ips: s.ips, paused: s.paused };
  const before = s.kube.writes;
  for (const controller of [(x: Ctx) => serviceAccounts(x, s.ca), namespaces, garbageCollector, deployments, replicaSets, scheduler, kubelet, endpointsControllers, volumes]) {
    if (s.stopped) break;
    await controller(c);
  }
  return s.kube.writes > before;
}

function sleep(s: LoopState, ms: number): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    s.wake = () => (clearTimeout(timer), done());
  });
}

async function loop(s: LoopState, intervalMs: number): Promise<void> {
  let busy = 0;
  while (!s.stopped) {
    const wrote = await pass(s).catch((error: Error) => {
      if (!s.stopped) s.kube.report(`pass failed: ${error.message}`);
      s.forced = true;
      return false;
    });
    // Right after a write the next step is due; a controller that kept writing would fall back to the interval.
    busy = wrote ? busy + 1 : 0;
    if (!s.stopped) await sleep(s, wrote && busy < 100 ? 10 : intervalMs);
  }
}

export async function startClusterControllers(api: ApiServer, options: ClusterControllersOptions = {}): Promise<ClusterControllers> {
  const kube = new Kube(api);
  const s: LoopState = { kube, ca: api.ca, nodeName: options.nodeName ?? 'mops-double-node', ips: new IpPool(), paused: false, stopped: false, forced: true, lastPass: 0, discoveredAt: 0 };
  s.types = await discover(kube);
  s.discoveredAt = Date.now();
  const running = loop(s, options.intervalMs ?? 250);
  return {
    pause: () => void (s.paused = true),
    resume: () => {
      Object.assign(s, { paused: false, forced: true });
      s.wake?.();
    },
    stop: async () => {
      s.stopped = true;
      s.wake?.();
      await running;
      kube.close();
    },
  };
}
