/** Discovery: every resource type the API server serves that can be listed and deleted. */
import { CORE, type Kube } from './kube';

export interface ResourceType { base: string; groupVersion: string; resource: string; kind: string; namespaced: boolean; verbs: string[] }
interface ApiResourceList { groupVersion: string; resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[] }

export async function discover(kube: Kube): Promise<ResourceType[]> {
  const groups = await kube.get<{ groups: { preferredVersion: { groupVersion: string } }[] }>('/apis');
  const bases = [CORE, ...groups.groups.map((g) => `/apis/${g.preferredVersion.groupVersion}`)];
  const lists = await Promise.all(bases.map((base) => kube.get<ApiResourceList>(base).catch(() => undefined)));
  return lists.flatMap((list, i) =>
    (list?.resources ?? [])
      .filter((r) => !r.name.includes('/') && r.verbs.includes('list') && r.verbs.includes('delete'))
      .map((r) => ({ base: bases[i], groupVersion: list!.groupVersion, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs })),
  );
}

export const typeKey = (t: ResourceType): string => `${t.groupVersion}/${t.resource}`;
