/** The scheduler. */
import type { Ctx } from './context';
import { at, CORE } from './kube';
import { claimsOf, deleting, matches, rfc3339, sameNamespace, setCondition, terminal } from './objects';
import type { Condition, Pod } from './types';

export async function scheduler(c: Ctx): Promise<void> {
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
