/**
 * What every controller is given for a pass (Ctx), and the one write two controllers share: a
 * finalizer removed (the garbage collector's and the pvc- and pv-protection controllers').
 */
import { at, type Kube } from './kube';
import type { Item, Snapshot } from './snapshot';

export interface Ctx { kube: Kube; snap: Snapshot; now: Date; nodeName: string; ips: IpPool; paused: boolean }

/** Pod IPs from 10.244.0.0/16, as the kubelet hands them out (kept across passes). */
export class IpPool {
  private next = 2;
  take(): string {
    const n = this.next++;
    return `10.244.${(n >> 8) & 255}.${n & 255}`;
  }
}

export const itemPath = (item: Item): string => at(item.type.base, item.type.resource, item.meta);

export function removeFinalizer(c: Ctx, item: Item, finalizer: string): Promise<boolean> {
  const finalizers = (item.meta.finalizers ?? []).filter((f) => f !== finalizer);
  return c.kube.mergePatch('kube-controller-manager', itemPath(item), { metadata: { finalizers, resourceVersion: item.meta.resourceVersion } });
}
