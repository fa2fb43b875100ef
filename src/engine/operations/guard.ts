/** What every operation that changes stacks checks first: a usable config and stacks nobody else holds. */
import type { OperationName, OperationResult } from '../../core/events';
import type { Engine } from '../engine';
import { acquireOperationLocks, StackBusyError } from '../operationLock';

/**
 * Runs `body` holding the operation locks of `stacks` (none when empty); refused while
 * azure.yaml has errors or another process holds one of the stacks.
 */
export async function guarded(engine: Engine, operation: OperationName, started: number, stacks: readonly string[], body: () => Promise<OperationResult>): Promise<OperationResult> {
  const configErrors = engine.ctx.problems.filter((p) => p.severity === 'error');
  if (configErrors.length) {
    for (const problem of configErrors) engine.emit({ type: 'problem', problem });
    return engine.done(operation, started, 'refused', `${engine.ctx.parsed.file} has ${configErrors.length} error(s); fix them first (see validate).`);
  }
  let release: () => void;
  try {
    release = stacks.length ? acquireOperationLocks(engine.ctx.settings.modelopsHome, stacks, operation) : () => undefined;
  } catch (error) {
    if (error instanceof StackBusyError) return engine.done(operation, started, 'refused', error.message);
    throw error;
  }
  try {
    return await body();
  } finally {
    release();
  }
}
