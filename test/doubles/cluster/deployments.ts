/** The deployment controller. */
import type { Ctx } from './context';
import { APPS, at } from './kube';
import { canonical, controllerRef, deleting, isControlledBy, rfc3339, sameNamespace, setCondition, sum } from './objects';
import type { Condition, Deployment, IntOrPercent, KubeObject, Labels, PodTemplate, ReplicaSet } from './types';

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

export async function deployments(c: Ctx): Promise<void> {
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
