/**
 * Drift: what a read-only refresh found changed or gone outside Pulumi. A check is
 * recorded per component, keyed to the deployment it was checked against (its last update
 * or destroy and the spec that update recorded): once the stack is deployed again, the old
 * finding says nothing and the component reads `unchecked` until the next check.
 */
import type { StackState } from './state';

export type DriftChange = 'deleted' | 'updated';
export type DriftState = 'in-sync' | 'drifted' | 'unchecked';

export interface DriftedResource {
  urn: string;
  type: string;
  change: DriftChange;
}

/** One component's check, as `drift --json` prints it. */
export interface DriftCheck {
  name: string;
  stack: string;
  drifted: boolean;
  resources: DriftedResource[];
  checkedAt: string;
  /** Why the stack could not be checked (no stack yet, the check failed); `drifted` is then false. */
  note?: string;
}

/** What is kept of a check between runs. */
export interface DriftRecord {
  drifted: boolean;
  resources: DriftedResource[];
  checkedAt: string;
  /** deploymentKey() of the stack when it was checked. */
  against: string;
}

/** `status --json`'s `drift` of a component. */
export interface DriftStatus {
  state: DriftState;
  checkedAt?: string;
  resources: DriftedResource[];
}

/** What identifies one deployment of a stack: its last update or destroy, and the spec that recorded. */
export function deploymentKey(state: Pick<StackState, 'lastUpdate' | 'deployedSpecHash'>): string {
  const u = state.lastUpdate;
  return [u?.kind ?? '-', u?.result ?? '-', u?.endTime ?? u?.startTime ?? '-', state.deployedSpecHash ?? '-'].join('|');
}

/** The last check of a stack as it reads now: stale once the stack was deployed again. */
export function driftStatus(record: DriftRecord | undefined, state: Pick<StackState, 'exists' | 'lastUpdate' | 'deployedSpecHash'>): DriftStatus {
  if (!record || !state.exists || record.against !== deploymentKey(state)) return { state: 'unchecked', resources: [] };
  return { state: record.drifted ? 'drifted' : 'in-sync', checkedAt: record.checkedAt, resources: record.resources };
}

/** `drifted: 1 deleted, 2 updated`. */
export function describeDrift(resources: readonly DriftedResource[]): string {
  const count = (c: DriftChange) => resources.filter((r) => r.change === c).length;
  const parts = (['deleted', 'updated'] as const).filter((c) => count(c) > 0).map((c) => `${count(c)} ${c}`);
  return parts.length ? `drifted: ${parts.join(', ')}` : 'in sync';
}
