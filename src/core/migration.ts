/**
 * `migrate`: what it takes for a stack made by the original modelops to be upgraded in
 * place. Our programs keep the original's URNs (same components, same logical names), so an
 * up is an update; what is left is state only, decided here from a preview of the stack:
 *
 * - resources the original made that our programs no longer manage (the storage stack's
 *   Secret in the `default` namespace and its provider, smoke tests, a GitHub token secret)
 *   would be deleted: they are *forgotten* instead (removed from the state, left running);
 * - node pools the original made inline in AKS, which are `AgentPool`s of their own here,
 *   would be created while AKS already runs them: they are *imported*.
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

export type ImportAction = { action: 'import'; urn: string; type: string; id: string; parentUrn: string; reason: string };
export type MigrationAction = { action: 'forget'; urn: string; reason: string } | ImportAction;

/** A resource in a stack's exported state (the fields migrate reads or writes). */
export interface StateResource {
  urn: string;
  type: string;
  custom?: boolean;
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

/** The plan of one stack, from its preview (steps in the order Pulumi would take them). */
export function migrationPlan(stack: string, steps: readonly PreviewStep[], cluster?: ClusterFacts): MigrationPlan {
  const actions: MigrationAction[] = [];
  const refusals: string[] = [];
  for (const step of steps) {
    if (REPLACING_OPS.has(step.op)) refusals.push(`${stack}: ${resourceName(step.urn)} (${step.type}) would be replaced`);
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

/** `…/resourceGroups/RG/providers/…/managedClusters/AKS/agentPools/P` → the inputs that name the pool. */
export function agentPoolIdentity(id: string): Record<string, string> {
  const part = (key: string) => new RegExp(`/${key}/([^/]+)`, 'i').exec(id)?.[1] ?? '';
  return { resourceGroupName: part('resourceGroups'), resourceName: part('managedClusters'), agentPoolName: part('agentPools') };
}

/**
 * The state with `action`'s resource recorded as `pulumi import` records it before it reads it:
 * its id and only the inputs that name it (so the next up applies the rest of azure.yaml), under
 * the provider the stack's cluster uses. A refresh then reads it from Azure. Pure.
 */
export function withImported(resources: readonly StateResource[], action: ImportAction): StateResource[] {
  const cluster = resources.find((r) => r.type === MANAGED_CLUSTER_TYPE);
  const inputs = agentPoolIdentity(action.id);
  const imported: StateResource = { urn: action.urn, custom: true, type: action.type, id: action.id, parent: action.parentUrn, ...(cluster?.provider ? { provider: cluster.provider } : {}), inputs, outputs: { ...inputs, id: action.id } };
  // Its parent and provider come earlier in the state, so the end is a valid place.
  return [...resources.filter((r) => r.urn !== action.urn), imported];
}
