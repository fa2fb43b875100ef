/**
 * Readiness from verified outputs: one status per component, the same words on
 * every surface. Outputs survive failed updates, so outputs alone never prove
 * readiness: the last update, pending operations and locks count too.
 */
import { isSecretOutputName, type Component } from './components';
import { heldSince } from './durations';
import type { DriftStatus } from './drift';
import type { DependencyGraph } from './graph';
import type { ConditionReport } from './conditions';
import { specState, type SpecState } from './spec';
import { foreignOwner } from './ownership';
import { isMadeElsewhere } from './dataGuard';
import type { StackState } from './state';
import { describeStale, isFreshnessRecord, staleUses, type StaleUse } from './freshness';

export const STATUSES = ['ready', 'stale', 'outputs-missing', 'failed', 'cancelled', 'interrupted', 'busy', 'absent', 'blocked', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];

export interface OutputReport {
  name: string;
  secret: boolean;
  required: boolean;
  present: boolean;
  empty: boolean;
  /** Plain value for display; never set for secrets. */
  value?: unknown;
}

export interface ComponentReadiness {
  name: string;
  kind: Component['kind'];
  stack: string;
  status: Status;
  /** Short human reason; empty when ready. */
  reason: string;
  missingOutputs: string[];
  dependsOn: string[];
  outputs: OutputReport[];
  lastUpdate?: StackState['lastUpdate'];
  /** Whether the stack was last deployed with the spec azure.yaml gives now (src/core/spec.ts); always set by computeReadiness. */
  spec?: SpecState;
  /** The stack has resources no update of ours recorded: another tool made it (src/core/dataGuard.ts). */
  madeElsewhere?: true;
  /** The last drift check, when it still describes the stack's current deployment (src/core/drift.ts). */
  drift?: DriftStatus;
  /** The reconcile loop's last condition on the spec azure.yaml gives now, if it ran (src/core/attempts.ts). */
  reconcile?: ConditionReport;
  /** A destroy of ours on it started and its operation did not finish (src/core/state.ts). */
  destroyIntent?: StackState['destroyIntent'];
  /** When `stale`: the upstream outputs it read that hold another value now (src/core/freshness.ts). */
  staleUses?: StaleUse[];
  /**
   * Since when it has been in this status, from the backend's own records (the update's end, the
   * lock's time), so every machine says the same; absent where nothing records it (`unknown`, never created).
   */
  since?: string;
  verifiedAt: string;
}

function describeLock(state: StackState): string {
  const lock = state.lock!;
  const owner = `pid ${lock.pid ?? '?'}${lock.hostname ? ` on ${lock.username ? `${lock.username}@` : ''}${lock.hostname}` : ''}`;
  if (lock.ownerAlive === false) return `lock left by ${owner}, which is no longer running`;
  const held = `an operation by ${owner} holds the lock${lock.timestamp ? ` since ${lock.timestamp}` : ''}`;
  return lock.stale ? `${held}; it looks dead (${lock.stale}): once you know it is, repair --force-unlock clears it` : held;
}

function missingRequired(component: Component, state: StackState): string[] {
  return component.requiredOutputs.filter((o) => state.outputs[o.name] === undefined || state.outputs[o.name].empty).map((o) => o.name);
}

/** A blocked component's reason: `waiting on cluster (outputs-missing), storage (failed)`. */
export function waitingOn(dependencies: ReadonlyArray<{ name: string; state: string }>): string {
  return `waiting on ${dependencies.map((d) => `${d.name} (${d.state})`).join(', ')}`;
}

/** What a stack a destroy of ours did not finish can read: anything but ready (a destroy that never started changes nothing). */
const UNFINISHED: ReadonlySet<Status> = new Set(['interrupted', 'failed', 'cancelled', 'outputs-missing']);

/** The component's own status, ignoring its dependencies. */
export function ownStatus(component: Component, state: StackState): { status: Status; reason: string; missing: string[] } {
  const own = statusOfStack(component, state);
  // A destroy of ours that did not finish is what the stack is in the middle of, whatever else it shows.
  if (UNFINISHED.has(own.status) && state.destroyIntent === 'down') return { ...own, reason: `a down stopped part-way (${own.reason}): down again finishes it` };
  if (own.status === 'interrupted' && state.destroyIntent === 'force-recreate') return { ...own, reason: `a force recreate stopped part-way (${own.reason}): up recreates it` };
  if (own.status === 'absent' && state.destroyIntent === 'force-recreate' && state.exists) return { ...own, reason: `destroyed by a force recreate that did not create it again: up creates it` };
  return own;
}

function statusOfStack(component: Component, state: StackState): { status: Status; reason: string; missing: string[] } {
  if (state.unreadable) return { status: 'unknown', reason: state.unreadable, missing: [] };
  // A stack another environment's update recorded as its own is not this component's, whatever it holds.
  const foreign = foreignOwner(component, state);
  if (foreign) return { status: 'unknown', reason: foreign, missing: [] };
  if (state.lock && state.lock.ownerAlive !== false) return { status: 'busy', reason: describeLock(state), missing: [] };
  if (!state.exists) return { status: 'absent', reason: `stack ${state.stack} does not exist`, missing: [] };
  if (state.lastUpdate?.kind === 'destroy' && state.lastUpdate.result === 'succeeded' && state.resourceCount === 0 && !state.lock && state.pendingOperations.length === 0) {
    return { status: 'absent', reason: `stack ${state.stack} was destroyed`, missing: [] };
  }
  if (state.lock) return { status: 'interrupted', reason: describeLock(state), missing: [] };
  if (state.pendingOperations.length > 0) {
    const n = state.pendingOperations.length;
    return { status: 'interrupted', reason: `${n} pending operation${n === 1 ? '' : 's'} from an interrupted update`, missing: [] };
  }
  if (state.lastUpdate?.result === 'failed' && state.lastUpdate.cancelledAt) {
    return { status: 'cancelled', reason: `last ${state.lastUpdate.kind} was cancelled`, missing: missingRequired(component, state) };
  }
  if (state.lastUpdate?.result === 'failed') return { status: 'failed', reason: `last ${state.lastUpdate.kind} failed`, missing: missingRequired(component, state) };
  if (state.lastUpdate?.result === 'in-progress') return { status: 'interrupted', reason: 'last update never finished', missing: [] };
  // Pulumi records a destroy that a cancel stopped part-way as succeeded, and the stack keeps the
  // outputs of what it destroyed: resources left after a destroy are never a ready component.
  if (state.lastUpdate?.kind === 'destroy') {
    const n = state.resourceCount;
    return { status: 'interrupted', reason: `the last destroy stopped part-way: ${n} resource${n === 1 ? ' is' : 's are'} left, and the outputs are of what it destroyed`, missing: [] };
  }
  const missing = missingRequired(component, state);
  if (missing.length > 0) {
    const reason = state.resourceCount === 0 ? `no resources; missing: ${missing.join(', ')}` : `missing: ${missing.join(', ')}`;
    return { status: 'outputs-missing', reason, missing };
  }
  return { status: 'ready', reason: '', missing: [] };
}

/** When the stack entered its own status, as the backend recorded it (sinceOf adds what dependencies decide). */
function ownSince(status: Status, state: StackState): string | undefined {
  const last = state.lastUpdate;
  switch (status) {
    case 'busy':
      return state.lock?.timestamp;
    case 'interrupted':
      return state.lock?.timestamp ?? last?.endTime ?? last?.startTime;
    case 'cancelled':
      return last?.cancelledAt ?? last?.endTime;
    case 'absent':
      return state.exists ? last?.endTime : undefined;
    case 'unknown':
      return undefined;
    default:
      return last?.endTime ?? last?.startTime;
  }
}

/** The newest of some moments (ISO), if any. */
function newest(moments: ReadonlyArray<string | undefined>): string | undefined {
  return moments.filter((m): m is string => !!m && Number.isFinite(Date.parse(m))).sort((a, b) => Date.parse(a) - Date.parse(b)).pop();
}

function outputReports(component: Component, state: StackState): OutputReport[] {
  const required = new Map(component.requiredOutputs.map((o) => [o.name, o]));
  const names = [...required.keys(), ...Object.keys(state.outputs).filter((n) => !required.has(n) && !isFreshnessRecord(n)).sort()];
  return names.map((name) => {
    const o = state.outputs[name];
    const secret = (o?.secret ?? false) || (required.get(name)?.secret ?? false) || isSecretOutputName(name);
    return {
      name,
      secret,
      required: required.has(name),
      present: o !== undefined,
      empty: o?.empty ?? true,
      value: secret ? undefined : o?.value,
    };
  });
}

/**
 * Readiness of every component, in provisioning order; dependencies decide `blocked`.
 * `specHashes`: the spec hash azure.yaml gives each component now (no entry: `unknown`).
 */
export function computeReadiness(
  components: readonly Component[],
  graph: DependencyGraph,
  states: ReadonlyMap<string, StackState>,
  specHashes: ReadonlyMap<string, string> = new Map(),
): ComponentReadiness[] {
  const byName = new Map(components.map((c) => [c.name, c]));
  const result = new Map<string, ComponentReadiness>();
  for (const name of graph.topologicalOrder()) {
    const component = byName.get(name)!;
    const state = states.get(name) ?? { stack: component.stack, exists: false, pendingOperations: [], outputs: {}, resourceCount: 0, readAt: new Date().toISOString(), unreadable: 'not read' };
    const own = ownStatus(component, state);
    const dependsOn = [...graph.dependenciesOf(name)];
    let { status, reason } = own;
    let since = ownSince(status, state);
    if (status === 'ready') {
      // A stale dependency still has every output its dependents read: it does not block them.
      const notReady = dependsOn.filter((d) => result.get(d)?.status !== 'ready' && result.get(d)?.status !== 'stale');
      if (notReady.length > 0) {
        status = 'blocked';
        reason = waitingOn(notReady.map((d) => ({ name: d, state: result.get(d)?.status ?? 'unknown' })));
        // Blocked since the later of its own update and what it waits on went wrong.
        since = newest([since, ...notReady.map((d) => result.get(d)?.since)]);
      }
    }
    const stale = status === 'ready' ? staleUses(component, state, states) : [];
    if (stale.length) {
      status = 'stale';
      reason = describeStale(stale, states);
      // Stale since what it read changed: the newest update of what it reads from.
      since = newest(stale.map((u) => states.get(u.from)?.lastUpdate?.endTime));
    }
    result.set(name, {
      name,
      kind: component.kind,
      stack: component.stack,
      status,
      reason,
      missingOutputs: own.missing,
      dependsOn,
      outputs: foreignOwner(component, state) ? [] : outputReports(component, state),
      lastUpdate: state.lastUpdate,
      spec: specHashes.has(name) ? specState(specHashes.get(name)!, state.deployedSpecHash) : 'unknown',
      ...(isMadeElsewhere(state) && !foreignOwner(component, state) ? { madeElsewhere: true as const } : {}),
      ...(stale.length ? { staleUses: stale } : {}),
      ...(state.destroyIntent ? { destroyIntent: state.destroyIntent } : {}),
      ...(since ? { since } : {}),
      verifiedAt: state.readAt,
    });
  }
  return graph.topologicalOrder().map((n) => result.get(n)!);
}

/** The statuses whose words say since when (a blocked one's is its dependency's, which says it). */
const SAYS_SINCE: ReadonlySet<string> = new Set<Status>(['failed', 'cancelled', 'interrupted', 'busy', 'outputs-missing', 'stale', 'unknown']);

/** `since 10:42`, `for 3 d`: how long a status that needs attention has held; '' for the others. */
export function statusHeld(r: { status: string; since?: string }, now: number): string {
  return SAYS_SINCE.has(r.status) ? heldSince(r.since, now) : '';
}

/**
 * A status and its reason as every surface writes them: `outputs-missing — missing: kubeconfig`,
 * `ready`; given `now`, how long a status that needs attention has held (`failed since 10:42 — …`).
 */
export function describeReadiness(r: { status: string; reason: string; since?: string }, now?: number): string {
  const held = now !== undefined ? statusHeld(r, now) : '';
  const word = held ? `${r.status} ${held}` : r.status;
  return r.reason ? `${word} — ${r.reason}` : word;
}

export function summarize(readiness: readonly ComponentReadiness[]): { ready: number; total: number } {
  return { ready: readiness.filter((r) => r.status === 'ready').length, total: readiness.length };
}

/** How many components have a stack at all (0: nothing is provisioned yet). */
export function deployedCount(readiness: readonly Pick<ComponentReadiness, 'status'>[]): number {
  return readiness.filter((r) => r.status !== 'absent').length;
}
