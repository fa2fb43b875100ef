/**
 * Brings a stack back to a state Pulumi can update: a lock left by a dead
 * process is cleared, then pending operations of an interrupted update are
 * cleared by a refresh.
 */
import type { Component } from '../../core/components';
import type { StackState } from '../../core/state';
import type { Engine } from '../engine';
import { runStep, type StepOutcome } from '../stackRunner';

export function needsRecovery(state: StackState): boolean {
  return state.lock?.ownerAlive === false || state.pendingOperations.length > 0;
}

/** Refuses a lock whose owner may still be running: clearing it would corrupt the stack. */
export function liveLockReason(component: Component, state: StackState): string | undefined {
  const lock = state.lock;
  if (!lock || lock.ownerAlive === false) return undefined;
  const where = lock.hostname ? ` on ${lock.hostname}` : '';
  return lock.ownerAlive === 'unknown'
    ? `${component.stack} is locked by pid ${lock.pid ?? '?'}${where}, which this machine cannot check. If that process is gone, run \`pulumi cancel --stack ${component.stack}\` there.`
    : `${component.stack} is busy: pid ${lock.pid}${where} holds its lock.`;
}

export async function recover(engine: Engine, component: Component, state: StackState, alwaysRefresh: boolean): Promise<StepOutcome> {
  if (state.lock?.ownerAlive === false) {
    const cleared = await runStep(engine, component, 'clear-lock');
    if (cleared.result !== 'succeeded') return cleared;
  }
  if (state.exists && (alwaysRefresh || state.pendingOperations.length > 0)) return runStep(engine, component, 'refresh');
  return { result: 'succeeded', message: 'nothing to recover' };
}
