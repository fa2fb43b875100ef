/**
 * Brings a stack back to a state Pulumi can update: a lock left by a dead process is cleared;
 * pending creates are probed (what exists is adopted, the rest dropped) and other pending
 * operations cleared, by a refresh.
 */
import type { Component } from '../../core/components';
import type { StackState } from '../../core/state';
import type { Engine, OperationRun } from '../engine';
import { runStep, type StepOutcome } from '../stackRunner';
import { probePendingCreates } from '../probes';

/** `forceUnlock`: a person said the lock's owner on another host is dead, so that lock is cleared too. */
export async function recover(engine: Engine, run: OperationRun, component: Component, state: StackState, alwaysRefresh: boolean, forceUnlock = false): Promise<StepOutcome> {
  if (state.lock?.ownerAlive === false || (forceUnlock && state.lock?.ownerAlive === 'unknown')) {
    const cleared = await runStep(engine, run, component, 'clear-lock');
    if (cleared.result !== 'succeeded') return cleared;
  }
  const creates = state.pendingOperations.filter((o) => o.type === 'creating').map((o) => o.urn);
  if (state.exists && creates.length) return settleCreates(engine, run, component, creates);
  if (state.exists && (alwaysRefresh || state.pendingOperations.length > 0)) return runStep(engine, run, component, 'refresh');
  return { result: 'succeeded', message: 'nothing to recover' };
}

/**
 * Pending creates are probed: what exists is completed in the state with the id found (so the up
 * after it updates it instead of making a second one), what is gone is dropped. One that cannot be
 * told is dropped too, as a refresh does, after saying so: the up after it meets what is there.
 */
async function settleCreates(engine: Engine, run: OperationRun, component: Component, creates: readonly string[]): Promise<StepOutcome> {
  const probes = await probePendingCreates(engine, component, creates);
  const imports = [...probes].flatMap(([urn, p]) => ('exists' in p && p.exists ? [{ urn, id: p.id }] : []));
  for (const [urn, p] of probes) {
    if ('unknown' in p) engine.emit({ type: 'log', level: 'warn', message: `${component.name}: cannot tell whether ${urn.slice(urn.lastIndexOf('::') + 2)} was created (${p.unknown}); its pending create is cleared` });
  }
  return runStep(engine, run, component, 'resolve-pending', { imports });
}
