/**
 * The data guard: an update of a stack that exists never replaces or deletes what holds data
 * without consent, and a stack made elsewhere (no spec of ours recorded) is not changed by
 * replacement or deletion at all until someone consents. Pure: which updates are looked at
 * first, what they may not do, and how a refusal reads.
 */
import type { Component, ComponentKind } from './components';
import type { StackState } from './state';
import { resourceName } from './urn';

/** What a preview says one resource would go through. */
export type ResourceOp = 'create' | 'update' | 'replace' | 'delete' | 'same' | 'read' | 'refresh';

export interface ResourceChange {
  urn: string;
  type: string;
  op: ResourceOp;
  /** Replacing or deleting it loses what it holds (a cluster, a storage account, a registry, a database). */
  stateful?: boolean;
  /** The properties that force a replacement (or, for an update, that change), as Pulumi's preview names them. */
  reasons?: string[];
}

/** Why the data guard previews an update first: its stack can hold data, or was made outside mops-infra. */
export type GuardReason = 'holds-data' | 'made-elsewhere';

/** What the data guard refused of one component's update (src/core/dataGuard.ts); nothing of it was changed. */
export interface RefusedChanges {
  component: string;
  stack: string;
  why: GuardReason;
  changes: ResourceChange[];
  /** What the component's stack holds (`holds data: the storage account and its blob containers …`), when it holds data. */
  holdsData?: string;
}

/** Resource types that hold what a replace or delete would lose. */
const STATEFUL_TYPES = /:(storage:StorageAccount|containerservice:ManagedCluster|containerregistry:Registry|dbforpostgresql:[A-Za-z]*Server|resources:ResourceGroup)$|:(core\/v1:PersistentVolumeClaim|apps\/v1:StatefulSet)$/;

/** Whether replacing or deleting this resource of a component loses data or a cluster (the local provider's stand-ins count as what they stand for). */
export function isStatefulResource(kind: Component['kind'], type: string): boolean {
  if (STATEFUL_TYPES.test(type)) return true;
  return type.startsWith('pulumi-nodejs:dynamic') && (kind === 'cluster' || kind === 'storage' || kind === 'registry' || kind === 'resource-group');
}

/** Kinds whose programs make something that holds data (isStatefulResource). */
const HOLDS_DATA: ReadonlySet<ComponentKind> = new Set(['resource-group', 'registry', 'cluster', 'storage', 'adaptive']);

/** What every destroy confirmation (CLI and VS Code) adds when it destroys a stack that holds data: confirming lifts its protection. */
export function unprotectsNote(steps: ReadonlyArray<{ action: string; holdsData?: string }>): string | undefined {
  return steps.some((s) => s.action === 'destroy' && s.holdsData) ? 'What holds data in them is protected from deletion; confirming lifts that protection for these stacks only, for this destroy.' : undefined;
}

type GuardedState = Pick<StackState, 'exists' | 'deployedSpecHash' | 'owner' | 'resourceCount'>;

/**
 * A stack with resources that no update of ours ever recorded (no spec, no owner): made by
 * another tool, such as the original modelops. Ours once any update of ours recorded its owner,
 * a first up that failed or was cancelled part way included.
 */
export function isMadeElsewhere(state: GuardedState): boolean {
  return state.exists && state.resourceCount > 0 && state.deployedSpecHash === undefined && state.owner === undefined;
}

/** Why an update of this stack must be previewed before it runs; undefined when it may just run. */
export function lookFirst(component: Pick<Component, 'kind'>, state: GuardedState, allowReplace: boolean): GuardReason | undefined {
  if (allowReplace || !state.exists || state.resourceCount === 0) return undefined;
  if (isMadeElsewhere(state)) return 'made-elsewhere';
  return HOLDS_DATA.has(component.kind) ? 'holds-data' : undefined;
}

/**
 * Whether the engine's own protection can stand in for the guard's separate preview: every
 * resource of the stack that holds data is marked `protect` in the state, so the preview that
 * `pulumi up` runs before it changes anything fails on a replace or delete of one, and the
 * update never starts. A stack whose state says nothing of protection is previewed apart.
 */
export function protectionSuffices(kind: ComponentKind, state: Pick<StackState, 'unprotectedTypes'>): boolean {
  return state.unprotectedTypes !== undefined && !state.unprotectedTypes.some((type) => isStatefulResource(kind, type));
}

/** A row's note for a stack made elsewhere (isMadeElsewhere): its first `up` is previewed and refuses any replace or delete. */
export function madeElsewhereNote(r: { madeElsewhere?: boolean }): string | undefined {
  return r.madeElsewhere ? 'made outside mops-infra: preview before up' : undefined;
}

/** What the update may not do without consent: replace or delete what holds data (on a stack made elsewhere: anything). */
export function unsafeChanges(changes: readonly ResourceChange[], why: GuardReason): ResourceChange[] {
  return changes.filter((c) => (c.op === 'replace' || c.op === 'delete') && (c.stateful || why === 'made-elsewhere'));
}

/** `replace StorageAccount st1 (accountName)`: the operation, the resource and the properties that force it. */
export function describeChange(change: ResourceChange): string {
  const reasons = change.reasons?.length ? ` (${change.op === 'replace' ? 'replaced because of' : 'changes'} ${change.reasons.join(', ')})` : '';
  return `${change.op} ${change.type.slice(change.type.lastIndexOf(':') + 1)} ${resourceName(change.urn)}${reasons}`;
}

/** The refusal of one component's update, naming each resource and what consents. */
export function guardRefusal(component: Pick<Component, 'name' | 'stack'>, changes: readonly ResourceChange[], why: GuardReason, consent: string): string {
  const what = changes.map(describeChange).join('; ');
  const because = why === 'made-elsewhere' ? `${component.stack} was made outside mops-infra (no spec of ours recorded) and its update would ${what}` : `updating ${component.name} would ${what}, which holds data`;
  const next = why === 'made-elsewhere' ? `See it with preview; migrate adopts the stack, or ${consent}` : `Nothing of ${component.name} was changed; ${consent}`;
  return `${because}. ${next}.`;
}
