/** The persistentvolume controller, a provisioner for every class, pvc- and pv-protection. */
import { type Ctx, removeFinalizer } from './context';
import { at, CORE } from './kube';
import { claimsOf, deleting, sameNamespace, terminal } from './objects';
import type { Pod, Pv, Pvc, StorageClass } from './types';

const PROVISIONER = 'double.modelops.io/hostpath';

export async function volumes(c: Ctx): Promise<void> {
  for (const pvc of c.snap.pvcs) {
    if (deleting(pvc)) await releaseClaimProtection(c, pvc);
    else if (pvc.status?.phase !== 'Bound') await bindClaim(c, pvc);
  }
  for (const pv of c.snap.pvs) {
    if (deleting(pv)) await releaseVolumeProtection(c, pv);
    else await reclaim(c, pv);
  }
}

function usedBy(c: Ctx, pvc: Pvc): Pod[] {
  return c.snap.pods.filter((p) => sameNamespace(p, pvc) && !terminal(p) && claimsOf(p).includes(pvc.metadata.name));
}

async function bindClaim(c: Ctx, pvc: Pvc): Promise<void> {
  const sc = c.snap.storageClasses.find((s) => s.metadata.name === (pvc.spec.storageClassName ?? ''));
  if (sc?.volumeBindingMode === 'WaitForFirstConsumer' && usedBy(c, pvc).length === 0) return;
  const mine = c.snap.pvs.find((pv) => pv.spec.claimRef?.uid === pvc.metadata.uid);
  if (mine) return bind(c, pvc, mine, sc);
  const free = c.snap.pvs.find((pv) => !pv.spec.claimRef && !deleting(pv) && fits(pv, pvc));
  if (free) {
    await c.kube.mergePatch('kube-controller-manager', at(CORE, 'persistentvolumes', free.metadata), { metadata: { resourceVersion: free.metadata.resourceVersion }, spec: { claimRef: claimRef(pvc) } });
    return;
  }
  if (pvc.spec.storageClassName && sc?.provisioner !== 'kubernetes.io/no-provisioner') await provision(c, pvc, sc);
}

const claimRef = (pvc: Pvc) => ({ kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion });

function fits(pv: Pv, pvc: Pvc): boolean {
  const modes = pvc.spec.accessModes ?? [];
  return (
    (pv.spec.storageClassName ?? '') === (pvc.spec.storageClassName ?? '') &&
    modes.every((m) => (pv.spec.accessModes ?? []).includes(m)) &&
    (pv.spec.volumeMode ?? 'Filesystem') === (pvc.spec.volumeMode ?? 'Filesystem') &&
    quantity(pv.spec.capacity?.storage) >= quantity(pvc.spec.resources?.requests?.storage)
  );
}

function quantity(text = '0'): number {
  const units: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  const m = /^([0-9.]+(?:e[0-9]+)?)([A-Za-z]*)$/.exec(text.trim());
  return m ? Number(m[1]) * (units[m[2]] ?? 1) : 0;
}

async function provision(c: Ctx, pvc: Pvc, sc: StorageClass | undefined): Promise<void> {
  const name = `pvc-${pvc.metadata.uid}`;
  const pv = {
    metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': sc?.provisioner ?? PROVISIONER } },
    spec: {
      capacity: { storage: pvc.spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: pvc.spec.accessModes,
      volumeMode: pvc.spec.volumeMode,
      storageClassName: pvc.spec.storageClassName,
      persistentVolumeReclaimPolicy: sc?.reclaimPolicy ?? 'Delete',
      claimRef: claimRef(pvc),
      hostPath: { path: `/var/lib/mops-double/volumes/${name}`, type: 'DirectoryOrCreate' },
    },
  };
  await c.kube.write('kube-controller-manager', 'POST', at(CORE, 'persistentvolumes'), pv);
}

async function bind(c: Ctx, pvc: Pvc, pv: Pv, sc: StorageClass | undefined): Promise<void> {
  if (pv.status?.phase !== 'Bound') await c.kube.mergePatch('kube-controller-manager', `${at(CORE, 'persistentvolumes', pv.metadata)}/status`, { status: { phase: 'Bound' } });
  if (!pvc.spec.volumeName) {
    const provisioner = pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] ?? sc?.provisioner ?? PROVISIONER;
    const annotations = { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.beta.kubernetes.io/storage-provisioner': provisioner, 'volume.kubernetes.io/storage-provisioner': provisioner };
    const ok = await c.kube.mergePatch('kube-controller-manager', at(CORE, 'persistentvolumeclaims', pvc.metadata), { metadata: { annotations, resourceVersion: pvc.metadata.resourceVersion }, spec: { volumeName: pv.metadata.name } });
    if (!ok) return;
  }
  const status = { phase: 'Bound', accessModes: pv.spec.accessModes, capacity: pv.spec.capacity };
  await c.kube.mergePatch('kube-controller-manager', `${at(CORE, 'persistentvolumeclaims', pvc.metadata)}/status`, { status });
}

async function reclaim(c: Ctx, pv: Pv): Promise<void> {
  const ref = pv.spec.claimRef;
  if (!ref?.uid || c.snap.pvcs.some((pvc) => pvc.metadata.uid === ref.uid)) return;
  if (pv.spec.persistentVolumeReclaimPolicy === 'Delete') {
    await c.kube.write('kube-controller-manager', 'DELETE', at(CORE, 'persistentvolumes', pv.metadata));
    return;
  }
  if (pv.status?.phase !== 'Released') await c.kube.mergePatch('kube-controller-manager', `${at(CORE, 'persistentvolumes', pv.metadata)}/status`, { status: { phase: 'Released' } });
}

async function releaseClaimProtection(c: Ctx, pvc: Pvc): Promise<void> {
  const item = c.snap.byUid.get(pvc.metadata.uid);
  if (item && (pvc.metadata.finalizers ?? []).includes('kubernetes.io/pvc-protection') && usedBy(c, pvc).length === 0) await removeFinalizer(c, item, 'kubernetes.io/pvc-protection');
}

/** A PV is in use while Bound to a claim that exists. */
async function releaseVolumeProtection(c: Ctx, pv: Pv): Promise<void> {
  const item = c.snap.byUid.get(pv.metadata.uid);
  const claimed = pv.status?.phase === 'Bound' && c.snap.pvcs.some((pvc) => pvc.metadata.uid === pv.spec.claimRef?.uid);
  if (item && (pv.metadata.finalizers ?? []).includes('kubernetes.io/pv-protection') && !claimed) await removeFinalizer(c, item, 'kubernetes.io/pv-protection');
}
