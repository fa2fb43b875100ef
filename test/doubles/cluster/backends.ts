/**
 * What the endpoints and endpointslice controllers both read: a Service's backends (its selected
 * Pods and their ports), grouped by ports, and the labels and trigger annotation they both write.
 */
import type { Ctx } from './context';
import { canonical, deleting, matches, podReady, sameNamespace, terminal } from './objects';
import type { EndpointAddress, EndpointPort, Labels, Pod, Service, ServicePort } from './types';

export const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

export interface Backend { pod: Pod; ready: boolean; terminating: boolean; ports: EndpointPort[] }

/** The selected Pods with an IP, and each one's ports (a named targetPort looked up in its containers). */
export function backends(c: Ctx, svc: Service): Backend[] {
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

export const portsKey = (ports: EndpointPort[]): string => canonical([...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')));

export function groupByPorts(list: Backend[]): Map<string, Backend[]> {
  const groups = new Map<string, Backend[]>();
  for (const b of list) groups.set(portsKey(b.ports), [...(groups.get(portsKey(b.ports)) ?? []), b]);
  return groups;
}

export const address = (pod: Pod): EndpointAddress => ({ ip: pod.status!.podIP!, nodeName: pod.spec.nodeName, targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid } });

export function endpointsLabels(svc: Service): Labels {
  return { ...svc.metadata.labels, ...(svc.spec.clusterIP === 'None' ? { 'service.kubernetes.io/headless': '' } : {}) };
}
