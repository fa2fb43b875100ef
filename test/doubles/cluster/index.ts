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
 *
 * Layout: one file per controller, run each pass in this order by pass() below: serviceAccounts.ts,
 * namespaces.ts, garbageCollector.ts, deployments.ts, replicaSets.ts, scheduler.ts, kubelet.ts,
 * endpoints.ts (which runs endpointSlices.ts per Service), persistentVolumes.ts. What they share:
 * types.ts (the objects), kube.ts (the API client and paths), discovery.ts and snapshot.ts (a
 * pass's view of the cluster), context.ts (what a controller is given), objects.ts (small pure
 * helpers), backends.ts (a Service's Pods, for both endpoints controllers). None imports this file.
 */
import type { ApiServer } from '../../azure/apiserver';
import { type Ctx, IpPool } from './context';
import { deployments } from './deployments';
import { discover, type ResourceType } from './discovery';
import { endpointsControllers } from './endpoints';
import { garbageCollector } from './garbageCollector';
import { at, CORE, Kube } from './kube';
import { kubelet } from './kubelet';
import { namespaces } from './namespaces';
import { volumes } from './persistentVolumes';
import { replicaSets } from './replicaSets';
import { scheduler } from './scheduler';
import { serviceAccounts } from './serviceAccounts';
import { snapshot } from './snapshot';

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
