/** A pass's view of the cluster: every listable type listed once, cluster-wide. */
import { type ResourceType, typeKey } from './discovery';
import { APPS, at, CORE, DISCOVERY, type Kube, STORAGE } from './kube';
import { deleting } from './objects';
import type { Deployment, EndpointSlice, Endpoints, KubeObject, Meta, Namespace, Node, Pod, Pv, Pvc, ReplicaSet, Service, StorageClass } from './types';

/** The kinds the controllers read whole (listed cluster-wide every pass); the rest by metadata. */
const WHOLE: Record<string, string> = {
  'v1/namespaces': at(CORE, 'namespaces'),
  'v1/pods': at(CORE, 'pods'),
  'v1/nodes': at(CORE, 'nodes'),
  'v1/services': at(CORE, 'services'),
  'v1/endpoints': at(CORE, 'endpoints'),
  'v1/persistentvolumeclaims': at(CORE, 'persistentvolumeclaims'),
  'v1/persistentvolumes': at(CORE, 'persistentvolumes'),
  'apps/v1/deployments': at(APPS, 'deployments'),
  'apps/v1/replicasets': at(APPS, 'replicasets'),
  'discovery.k8s.io/v1/endpointslices': at(DISCOVERY, 'endpointslices'),
  'storage.k8s.io/v1/storageclasses': at(STORAGE, 'storageclasses'),
};

export interface Item { type: ResourceType; meta: Meta }
export interface Snapshot {
  items: Item[];
  partial: boolean;
  byUid: Map<string, Item>;
  dependents: Map<string, Item[]>;
  types: ResourceType[];
  terminating: Set<string>;
  namespaces: Namespace[];
  nodes: Node[];
  pods: Pod[];
  services: Service[];
  endpoints: Endpoints[];
  pvcs: Pvc[];
  pvs: Pv[];
  deployments: Deployment[];
  replicaSets: ReplicaSet[];
  slices: EndpointSlice[];
  storageClasses: StorageClass[];
}

/**
 * Every type listed. A kind the controllers read whole must list, or the pass is abandoned (a
 * ReplicaSet that saw no Pods would make more); any other may fail, and the pass is then
 * `partial`: no namespace is taken for empty.
 */
export async function snapshot(kube: Kube, types: ResourceType[]): Promise<Snapshot> {
  const whole = new Map<string, KubeObject[]>();
  const items: Item[] = [];
  let partial = false;
  await Promise.all(
    types.map(async (type) => {
      const path = WHOLE[typeKey(type)];
      const objects = await kube.list<KubeObject>(path ?? at(type.base, type.resource), !path).catch((error: Error) => {
        if (path) throw error;
        kube.report(`skipping ${typeKey(type)} this pass: ${error.message}`);
        partial = true;
        return [];
      });
      if (path) whole.set(typeKey(type), objects);
      for (const o of objects) items.push({ type, meta: o.metadata });
    }),
  );
  const of = <T>(key: string): T[] => (whole.get(key) ?? []) as T[];
  const namespaces = of<Namespace>('v1/namespaces');
  return {
    items,
    partial,
    byUid: new Map(items.map((i) => [i.meta.uid, i])),
    dependents: dependentsOf(items),
    types,
    terminating: new Set(namespaces.filter(deleting).map((n) => n.metadata.name)),
    namespaces,
    nodes: of('v1/nodes'),
    pods: of('v1/pods'),
    services: of('v1/services'),
    endpoints: of('v1/endpoints'),
    pvcs: of('v1/persistentvolumeclaims'),
    pvs: of('v1/persistentvolumes'),
    deployments: of('apps/v1/deployments'),
    replicaSets: of('apps/v1/replicasets'),
    slices: of('discovery.k8s.io/v1/endpointslices'),
    storageClasses: of('storage.k8s.io/v1/storageclasses'),
  };
}

function dependentsOf(items: Item[]): Map<string, Item[]> {
  const map = new Map<string, Item[]>();
  for (const item of items) {
    for (const ref of item.meta.ownerReferences ?? []) map.set(ref.uid, [...(map.get(ref.uid) ?? []), item]);
  }
  return map;
}
