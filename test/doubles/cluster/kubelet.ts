/** The kubelet (Pod IPs come from the IpPool in ./context.ts, which outlives a pass). */
import type { Ctx } from './context';
import { at, CORE } from './kube';
import { deleting, rfc3339, setCondition, sha256, terminal } from './objects';
import type { Condition, Container, Pod } from './types';

const HOST_IP = '10.224.0.4';

export async function kubelet(c: Ctx): Promise<void> {
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
