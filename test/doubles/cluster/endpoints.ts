/**
 * The endpoints controller (v1 Endpoints), and the pass over Services that runs both it and the
 * endpointslice controller (./endpointSlices.ts), one Service after the other.
 */
import { address, type Backend, backends, endpointsLabels, groupByPorts, TRIGGER } from './backends';
import type { Ctx } from './context';
import { syncSlices } from './endpointSlices';
import { at, CORE } from './kube';
import { canonical, deleting, rfc3339, sameNamespace } from './objects';
import type { EndpointAddress, Service, Subset } from './types';

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

export async function endpointsControllers(c: Ctx): Promise<void> {
  const services = c.snap.services.filter((s) => selects(s) && !deleting(s) && !c.snap.terminating.has(s.metadata.namespace!));
  for (const svc of services) {
    const list = backends(c, svc);
    await syncEndpoints(c, svc, subsetsOf(list));
    await syncSlices(c, svc, list);
  }
  const stale = c.snap.endpoints.filter((e) => e.metadata.annotations?.[TRIGGER] && !c.snap.services.some((s) => sameNamespace(s, e) && s.metadata.name === e.metadata.name && selects(s)));
  for (const e of stale) await c.kube.write('kube-controller-manager', 'DELETE', at(CORE, 'endpoints', e.metadata));
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
