/**
 * A component's update behind the data guard (src/core/dataGuard.ts): where it could lose data,
 * or the stack was made elsewhere, a preview comes first and a replace or delete it may not make
 * refuses the update before Pulumi starts it. The programs' `protect` is the backstop for a
 * path that forgets to look.
 */
import type { Component } from '../../core/components';
import { guardRefusal, lookFirst, unsafeChanges } from '../../core/dataGuard';
import type { StackState } from '../../core/state';
import type { Engine, OperationRun } from '../engine';
import { runStep, type StepOutcome } from '../stackRunner';
import { previewOne } from './preview';

export interface GuardedUpOptions {
  /** Refresh first (what drifted). */
  refresh?: boolean;
  /** The user consented to replacing or deleting what holds data. */
  allowReplace?: boolean;
  /** This run already looked (lookBeforeUp) and may go ahead: no second preview. */
  looked?: boolean;
}

/** A step outcome; `refused` when the guard stopped it (nothing of the component changed). */
export type GuardedOutcome = StepOutcome & { refused?: string };

const CONSENT = 're-run with --allow-replace to go ahead anyway';

/**
 * The guard's look at one component's update: undefined when it may run, else why not (a
 * refusal, or a preview that failed or was cancelled, since an update does not run on a guess).
 */
export async function lookBeforeUp(engine: Engine, run: OperationRun, component: Component, state: StackState, options: GuardedUpOptions = {}): Promise<GuardedOutcome | undefined> {
  const why = lookFirst(component, state, !!options.allowReplace);
  if (!why) return undefined;
  const preview = await previewOne(engine, run, component, { refresh: options.refresh });
  engine.emit({ type: 'preview', ...preview });
  const unsafe = unsafeChanges(preview.resources, why);
  if (unsafe.length) {
    const refused = guardRefusal(component, unsafe, why, CONSENT);
    engine.emit({ type: 'refused-changes', component: component.name, stack: component.stack, why, changes: unsafe, ...(component.holdsData ? { holdsData: component.holdsData } : {}) });
    run.skip(component, 'up', refused);
    return { result: 'skipped', message: refused, refused };
  }
  if (preview.note) return { result: engine.cancelled ? 'cancelled' : 'failed', message: `${component.name} was not updated: ${preview.note}` };
  return undefined;
}

export async function guardedUp(engine: Engine, run: OperationRun, component: Component, state: StackState, options: GuardedUpOptions = {}): Promise<GuardedOutcome> {
  return (options.looked ? undefined : await lookBeforeUp(engine, run, component, state, options)) ?? runStep(engine, run, component, 'up', { refresh: options.refresh, allowReplace: options.allowReplace });
}
