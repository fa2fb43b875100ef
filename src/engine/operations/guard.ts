/** What every operation that changes stacks checks first: a usable config and stacks nobody else holds. */
import type { OperationResult } from '../../core/events';
import type { Engine, OperationRun, Snapshot } from '../engine';
import { operationLocks } from '../backends/access';
import { ownershipConflicts } from './ownership';
import { takeOrWait } from './wait';

/** Refuses (exit 2) while azure.yaml has errors: nothing runs on a config that is not what the user meant. */
export function refuseInvalidConfig(engine: Engine, run: OperationRun): OperationResult | undefined {
  const errors = engine.setup.configErrors;
  if (!errors.length) return undefined;
  for (const problem of errors) engine.emit({ type: 'problem', problem });
  return run.done('refused', `${engine.setup.parsed.file} has ${errors.length} error(s); fix them first (see validate).`, 'invalid-input');
}

/**
 * Runs `body` holding the operation locks of `stacks` (none when empty); refused while another
 * process holds one (with --wait, once it has waited for it: wait.ts), and (exit 3, before
 * anything changes) when a stack is another environment's.
 * `seen`: the snapshot the caller read before the locks, if it read one (else one is read here).
 */
export async function guarded(engine: Engine, run: OperationRun, stacks: readonly string[], body: () => Promise<OperationResult>, seen?: Snapshot): Promise<OperationResult> {
  const conflicts = await ownershipConflicts(engine, engine.setup.components.filter((c) => stacks.includes(c.stack)), seen);
  if (conflicts.length) return run.done('refused', conflicts.map((c) => `${c.component.name}: ${c.reason}`).join(' '), 'unsafe');
  const locks = await operationLocks(engine.setup.settings);
  const lost = (stack: string) => engine.emit({ type: 'log', level: 'error', message: `the operation lock of ${stack} was taken away while this ${run.operation} ran (repair --force-unlock on another machine?): nothing else is protected from running at the same time` });
  const release = await takeOrWait(engine, run, locks, stacks, async (): Promise<() => Promise<void>> => (stacks.length ? locks.acquire(stacks, run.operation, lost) : async () => undefined));
  if (typeof release === 'string') return release;
  try {
    return await body();
  } finally {
    await release();
  }
}
