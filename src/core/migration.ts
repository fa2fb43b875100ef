/**
 * `migrate`: what it takes for a stack made by the original modelops to be upgraded in
 * place. Our programs keep the original's URNs (same components, same logical names), so an
 * up is an update; what is left is state only, decided here from a preview of the stack:
 *
 * - resources the original made that our programs no longer manage (the storage stack's
 *   Secret in the `default` namespace and its provider, smoke tests, a GitHub token secret)
 *   would be deleted: they are *forgotten* instead (removed from the state, left running);
 * - node pools the original made inline in AKS, which are `AgentPool`s of their own here,
 *   would be created while AKS already runs them: they are *imported*;
 * - what the original read with `.get()` on a later run (its resource group and its cluster,
 *   once they existed) is an external read in its state, which Pulumi replaces with a create when
 *   a program manages it ("cannot create already existing resource"): when the read is the very
 *   object our program names, it is *adopted* (imported in place: managed from then on).
 *
 * A replacement is never planned around: it stops the migration with what would be replaced.
 */
import { resourceName } from './plan';

/** One step of a stack's preview, with Pulumi's own op name (`delete`, `discard`, `create`, …). */
export interface PreviewStep {
  urn: string;
  type: string;
  op: string;
  /** The inputs the program gives (creates only). */
  inputs?: Record<string, unknown>;
  /** Its parent's URN, as the program registers it. */
  parent?: string;
}

/** What the stack's state says about the AKS cluster the original made (cluster stack only). */
export interface ClusterFacts {
  /** The ManagedCluster's Azure id. */
  id: string;
  /** Its agent pools, by name, as AKS reported them to the original. */
  pools: string[];
}

/** `adopt`: the resource is in the state already, as an external read, and becomes managed in place. */
export type ImportAction = { action: 'import'; urn: string; type: string; id: string; parentUrn: string; reason: string; adopt?: boolean };
export type MigrationAction = { action: 'forget'; urn: string; reason: string } | ImportAction;

/** A resource in a stack's exported state (the fields migrate reads or writes). */
export interface StateResource {
  urn: string;
  type: string;
  custom?: boolean;
  /** Read with `.get()`: Pulumi never updates or deletes it. */
  external?: boolean;
  id?: string;
  parent?: string;
  provider?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface MigrationPlan {
  actions: MigrationAction[];
  /** Why this stack cannot be migrated (a replacement the preview shows). */
  refusals: string[];
}

export const AGENT_POOL_TYPE = 'azure-native:containerservice:AgentPool';
const MANAGED_CLUSTER_TYPE = 'azure-native:containerservice:ManagedCluster';
const RESOURCE_GROUP_TYPE = 'azure-native:resources:ResourceGroup';
const REPLACING_OPS = new Set(['replace', 'create-replacement', 'delete-replaced', 'discard-replaced']);

/** Whether a URN is a child of one of the original's components (`modelops:…$…`). */
export function isUnderOriginalComponent(urn: string): boolean {
  const qualifiedType = urn.split('::')[2] ?? '';
  return qualifiedType.startsWith('modelops:') && qualifiedType.includes('$');
}

/** The AKS cluster as a stack's exported state records it: its id and pools (undefined without one). */
export function clusterFactsOf(resources: readonly Pick<StateResource, 'type' | 'outputs'>[]): ClusterFacts | undefined {
  const cluster = resources.find((r) => r.type === MANAGED_CLUSTER_TYPE);
  const id = cluster?.outputs?.id;
  if (typeof id !== 'string') return undefined;
  const profiles = Array.isArray(cluster?.outputs?.agentPoolProfiles) ? (cluster.outputs.agentPoolProfiles as Array<{ name?: unknown }>) : [];
  return { id, pools: profiles.map((p) => p.name).filter((n): n is string => typeof n === 'string') };
}

/**
 * The Azure id a program's inputs name, for the types the original read with `.get()`; undefined
 * for others. `subscription` comes from the id being compared (the inputs do not name it).
 */
export function azureIdNamed(type: string, inputs: Record<string, unknown> | undefined, subscription: string): string | undefined {
  const group = inputs?.resourceGroupName;
  if (typeof group !== 'string' || !group) return undefined;
  const groupId = `/subscriptions/${subscription}/resourceGroups/${group}`;
  if (type === RESOURCE_GROUP_TYPE) return groupId;
  if (type === MANAGED_CLUSTER_TYPE && typeof inputs?.resourceName === 'string') return `${groupId}/providers/Microsoft.ContainerService/managedClusters/${inputs.resourceName}`;
  return undefined;
}

/** An external read in the state that is the very object the step's program names (Azure ids are case-insensitive). */
function adoptable(step: PreviewStep, state: ReadonlyMap<string, StateResource>): StateResource | undefined {
  const old = state.get(step.urn);
  if (!old?.external || typeof old.id !== 'string') return undefined;
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(old.id)?.[1];
  const named = subscription ? azureIdNamed(step.type, step.inputs, subscription) : undefined;
  return named && named.toLowerCase() === old.id.toLowerCase() ? old : undefined;
}

/** The plan of one stack, from its preview (steps in the order Pulumi would take them) and its state. */
export function migrationPlan(stack: string, steps: readonly PreviewStep[], cluster?: ClusterFacts, resources: readonly StateResource[] = []): MigrationPlan {
  const actions: MigrationAction[] = [];
  const refusals: string[] = [];
  const state = new Map(resources.map((r) => [r.urn, r]));
  // A replacement shows as several steps of one URN (create-replacement, replace, …): any that names the read adopts it.
  const reads = new Map(steps.filter((s) => REPLACING_OPS.has(s.op)).flatMap((s) => {
    const read = adoptable(s, state);
    return read ? [[s.urn, read] as const] : [];
  }));
  for (const step of steps) {
    const read = reads.get(step.urn);
    if (read && REPLACING_OPS.has(step.op)) {
      if (actions.some((a) => a.urn === step.urn)) continue;
      actions.push({ action: 'import', adopt: true, urn: step.urn, type: step.type, id: read.id!, parentUrn: read.parent ?? '', reason: `the original read ${resourceName(step.urn)} with .get(), so it is not managed: adopted in place (${read.id})` });
    } else if (REPLACING_OPS.has(step.op)) refusals.push(`${stack}: ${resourceName(step.urn)} (${step.type}) would be replaced`);
    else if (step.op === 'delete' && isUnderOriginalComponent(step.urn)) {
      actions.push({ action: 'forget', urn: step.urn, reason: `the original's ${step.type} ${resourceName(step.urn)} is no longer managed: forgotten, left as it is` });
    } else if (step.op === 'create' && step.type === AGENT_POOL_TYPE && cluster) {
      const pool = String(step.inputs?.agentPoolName ?? '');
      if (cluster.pools.includes(pool)) {
        actions.push({
          action: 'import',
          urn: step.urn,
          type: step.type,
          id: `${cluster.id}/agentPools/${pool}`,
          parentUrn: step.parent ?? '',
          reason: `node pool ${pool} runs already (the original made it inside the cluster): imported as ${resourceName(step.urn)}`,
        });
      }
    }
  }
  return { actions, refusals: [...new Set(refusals)] };
}

/** The segment after `/{key}/` in an Azure id (keys are case-insensitive), or ''. */
const idPart = (id: string, key: string): string => new RegExp(`/${key}/([^/]+)`, 'i').exec(id)?.[1] ?? '';

/** `…/resourceGroups/RG/providers/…/managedClusters/AKS/agentPools/P` → the inputs that name the pool. */
export function agentPoolIdentity(id: string): Record<string, string> {
  return { resourceGroupName: idPart(id, 'resourceGroups'), resourceName: idPart(id, 'managedClusters'), agentPoolName: idPart(id, 'agentPools') };
}

/** The inputs that name an adopted resource, from its id (what azure-native's Read gives back in full). */
function identityOf(type: string, id: string): Record<string, string> {
  const group = { resourceGroupName: idPart(id, 'resourceGroups') };
  return type === MANAGED_CLUSTER_TYPE ? { ...group, resourceName: idPart(id, 'managedClusters') } : group;
}

/**
 * The state with `action`'s resource recorded as `pulumi import` records it before it reads it:
 * its id and only the inputs that name it (so the next up applies the rest of azure.yaml), under
 * the provider the stack's cluster uses. An adopted read keeps its place, parent, provider and
 * outputs, and is no longer external. A refresh then reads it from Azure. Pure.
 */
export function withImported(resources: readonly StateResource[], action: ImportAction): StateResource[] {
  if (action.adopt) {
    return resources.map((r) => {
      if (r.urn !== action.urn) return r;
      const { external: _read, ...managed } = r;
      return { ...managed, inputs: identityOf(r.type, action.id) };
    });
  }
  const cluster = resources.find((r) => r.type === MANAGED_CLUSTER_TYPE);
  const inputs = agentPoolIdentity(action.id);
  const imported: StateResource = { urn: action.urn, custom: true, type: action.type, id: action.id, parent: action.parentUrn, ...(cluster?.provider ? { provider: cluster.provider } : {}), inputs, outputs: { ...inputs, id: action.id } };
  // Its parent and provider come earlier in the state, so the end is a valid place.
  return [...resources.filter((r) => r.urn !== action.urn), imported];
}
