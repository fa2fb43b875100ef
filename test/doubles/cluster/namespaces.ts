/** The namespace controller. */
import type { Ctx } from './context';
import { typeKey } from './discovery';
import { at, CORE } from './kube';
import { deleting } from './objects';
import type { Item } from './snapshot';

export async function namespaces(c: Ctx): Promise<void> {
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
