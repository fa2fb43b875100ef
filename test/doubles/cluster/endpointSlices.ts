/** The endpointslice controller (discovery.k8s.io/v1 EndpointSlices); run per Service from ./endpoints.ts. */
import { address, type Backend, endpointsLabels, groupByPorts, portsKey, TRIGGER } from './backends';
import type { Ctx } from './context';
import { at, DISCOVERY } from './kube';
import { canonical, controllerRef, deleting, rfc3339, sameNamespace } from './objects';
import type { EndpointPort, EndpointSlice, Service, SliceEndpoint } from './types';

const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
const SERVICE_NAME = 'kubernetes.io/service-name';

function sliceEndpoints(group: Backend[]): SliceEndpoint[] {
  return group
    .map((b) => {
      const { ip, nodeName, targetRef } = address(b.pod);
      return { addresses: [ip], conditions: { ready: b.ready && !b.terminating, serving: b.ready, terminating: b.terminating }, nodeName, targetRef };
    })
    .sort((a, b) => a.addresses[0].localeCompare(b.addresses[0], undefined, { numeric: true }));
}

export async function syncSlices(c: Ctx, svc: Service, list: Backend[]): Promise<void> {
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
