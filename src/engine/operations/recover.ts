/**
 * Brings a stack back to a state Pulumi can update: a lock left by a dead
 * process is cleared, then pending operations of an interrupted update are
 * cleared by a refresh.
 */
import type { Component } from '../../core/components';
import type { StackState } from '../../core/state';
import type { Engine, OperationRun } from '../engine';
import { runStep, type StepOutcome } from '../stackRunner';

/** `forceUnlock`: a person said the lock's owner on another host is dead, so that lock is cleared too. */
export async function recover(engine: Engine, run: OperationRun, component: Component, state: StackState, alwaysRefresh: boolean, forceUnlock = false): Promise<StepOutcome> {
  if (state.lock?.ownerAlive === false || (forceUnlock && state.lock?.ownerAlive === 'unknown')) {
    const cleared = await runStep(engine, run, component, 'clear-lock');
    if (cleared.result !== 'succeeded') return cleared;
  }
  if (state.exists && (alwaysRefresh || state.pendingOperations.length > 0)) return runStep(engine, run, component, 'refresh');
  return { result: 'succeeded', message: 'nothing to recover' };
}
