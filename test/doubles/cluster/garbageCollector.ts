/** The garbage collector. */
import { type Ctx, itemPath, removeFinalizer } from './context';
import { at } from './kube';
import type { Item } from './snapshot';
import type { KubeObject, OwnerRef } from './types';

export async function garbageCollector(c: Ctx): Promise<void> {
  for (const item of c.snap.items) {
    const finalizers = item.meta.finalizers ?? [];
    if (item.meta.deletionTimestamp && finalizers.includes('foregroundDeletion')) await deleteDependents(c, item);
    else if (item.meta.deletionTimestamp && finalizers.includes('orphan')) await orphanDependents(c, item);
    else if (!item.meta.deletionTimestamp && (item.meta.ownerReferences ?? []).length > 0) await collectIfOrphaned(c, item);
  }
}

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
