/** The replicaset controller. */
import type { Ctx } from './context';
import { APPS, at, CORE } from './kube';
import { controllerRef, deleting, isControlledBy, podAvailable, podReady, sameNamespace, terminal } from './objects';
import type { Pod, ReplicaSet, WorkloadStatus } from './types';

export async function replicaSets(c: Ctx): Promise<void> {
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
