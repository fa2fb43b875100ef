/**
 * `repair <component>`: the plan core makes — clear a stale lock whose owner is dead,
 * refresh with pending creates cleared, provision — then re-verify its dependents. The
 * result is the worst of its steps and its final readiness.
 */
import type { OperationResult } from '../../core/events';
import { operationResult, planRepair } from '../../core/plan';
import { describeReadiness } from '../../core/readiness';
import { faultCause } from '../../core/config/faults';
import { resolveComponents } from '../setup';
import type { Engine, OperationRun } from '../engine';
import { guardedUp } from './dataGuard';
import type { StepOutcome } from '../stackRunner';
import { guarded, refuseInvalidConfig } from './guard';
import { recover } from './recover';
import { verifyDependency } from './verify';
import { CANCELLED_WAITING, waitedSince, whileHeld } from './wait';
import { describeHolder } from '../../core/errors';
import { operationLocks } from '../backends/access';
import { OperationLocks, type OperationLockInfo } from '../operationLock';

export interface RepairOptions {
  /** A person knows the run that holds the lock on another machine is dead: clear its locks. */
  forceUnlock?: boolean;
  /** Consent to replacing or deleting what holds data (src/core/dataGuard.ts). */
  allowReplace?: boolean;
}

/**
 * Clears the operation locks of the stack whose holders look dead, saying whose; undefined when
 * done, else the refusal: a holder whose heartbeat is fresh is working, and is never cut off
 * (with --wait, it is waited for first, and lets go by itself).
 */
async function forceUnlock(engine: Engine, run: OperationRun, stack: string): Promise<OperationResult | undefined> {
  const locks = await operationLocks(engine.setup.settings);
  const startedAt = Date.now();
  if (engine.waitMs !== undefined) await whileHeld(engine, locks, [stack], startedAt + engine.waitMs);
  if (engine.cancelled) return run.done('cancelled', CANCELLED_WAITING);
  const outcome = await locks.forceUnlock(stack);
  if ('live' in outcome) return run.done('refused', outcome.live.map((h) => liveHolderRefusal(stack, h)).join(' ') + (engine.waitMs !== undefined ? waitedSince(startedAt) : ''), 'busy');
  for (const holder of outcome.cleared) {
    engine.emit({ type: 'log', level: 'warn', message: `cleared the operation lock of ${holder.operation} by ${describeHolder(holder)} since ${holder.startedAt} on ${stack} (--force-unlock)` });
  }
  return undefined;
}

/** `--force-unlock refused: up by alice@host-b (pid 42) holds …, its heartbeat 12 s old; …`. */
function liveHolderRefusal(stack: string, h: OperationLockInfo): string {
  const beat = Date.parse(h.heartbeatAt ?? h.startedAt);
  const age = Number.isFinite(beat) ? `its last heartbeat ${Math.max(0, Math.round((Date.now() - beat) / 1000))} s ago` : 'its heartbeat unknown';
  const deadAt = OperationLocks.looksDeadAt(h);
  const when = deadAt ? `; it looks dead if none comes by ${deadAt.toISOString()} (MODELOPS_LOCK_STALE_SECONDS)` : '';
  return `--force-unlock refused: ${h.operation} by ${describeHolder(h)} holds ${stack} since ${h.startedAt} and is still working (${age}${when}). Nothing was cleared; wait for it to finish, or cancel it where it runs.`;
}

export async function repair(engine: Engine, name: string, options: RepairOptions = {}): Promise<OperationResult> {
  const run = engine.start('repair', [name], options.forceUnlock ? { forceUnlock: true } : undefined);
  const invalid = refuseInvalidConfig(engine, run);
  if (invalid) return invalid;
  const [component] = resolveComponents(engine.setup, [name]);
  const unlockRefused = options.forceUnlock ? await forceUnlock(engine, run, component.stack) : undefined;
  if (unlockRefused) return unlockRefused;
  return guarded(engine, run, [component.stack], async () => {
    // A person is repairing it: the reconcile loop's failure budget starts again.
    await engine.records.clearAttempts(component.stack);
    const snapshot = await engine.snapshot();
    const plan = planRepair(engine.planInput(snapshot), component.name, options.forceUnlock);
    if ('refused' in plan) return run.done('refused', plan.refused, plan.refusal);
    run.plan(plan.steps);
    for (const dep of engine.setup.graph.dependenciesOf(component.name)) {
      const verified = await verifyDependency(engine, component, engine.component(dep));
      if (!verified.ok) return run.done('refused', `cannot repair ${component.name}: ${verified.reason}. Repair ${dep} first.`, 'blocked');
    }
    const recovered = await recover(engine, run, component, snapshot.states.get(component.name)!, true, options.forceUnlock);
    const provisioned: StepOutcome = recovered.result === 'succeeded' ? await guardedUp(engine, run, component, snapshot.states.get(component.name)!, { allowReplace: options.allowReplace }) : recovered;
    if (provisioned.refused) {
      await engine.publishReadiness();
      return run.done('refused', provisioned.refused, 'unsafe');
    }
    const readiness = await engine.publishReadiness();
    for (const d of plan.dependents) {
      const r = readiness.find((x) => x.name === d)!;
      run.verified(r);
    }
    const mine = readiness.find((r) => r.name === component.name)!;
    const result = operationResult({ cancelled: engine.cancelled, steps: run.results, ready: mine.status === 'ready' });
    const notReadyDependents = readiness.filter((r) => plan.dependents.includes(r.name) && r.status !== 'ready');
    const cause = mine.status === 'ready' ? undefined : faultCause(engine.setup.parsed, component.name, mine);
    const summary =
      `${component.name}: ${describeReadiness(mine)}` +
      (cause ? ` — ${cause}` : '') +
      (provisioned.result !== 'succeeded' ? `; ${provisioned.message}` : '') +
      (plan.dependents.length ? `; dependents: ${notReadyDependents.length ? notReadyDependents.map((r) => `${r.name} ${r.status}`).join(', ') : 'all ready'}` : '');
    return run.done(result, summary);
  });
}
