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
}

/** A step outcome; `refused` when the guard stopped it (nothing of the component changed). */
export type GuardedOutcome = StepOutcome & { refused?: string };

export const CONSENT = 're-run with --allow-replace to go ahead anyway';

export async function guardedUp(engine: Engine, run: OperationRun, component: Component, state: StackState, options: GuardedUpOptions = {}): Promise<GuardedOutcome> {
  const why = lookFirst(component, state, !!options.allowReplace);
  if (why) {
    const preview = await previewOne(engine, run, component, { refresh: options.refresh });
    engine.emit({ type: 'preview', ...preview });
    // What the update would do is not known: it does not run on a guess.
    if (preview.note) return { result: engine.cancelled ? 'cancelled' : 'failed', message: `${component.name} was not updated: ${preview.note}` };
    const unsafe = unsafeChanges(preview.resources, why);
    if (unsafe.length) {
      const refused = guardRefusal(component, unsafe, why, CONSENT);
      engine.emit({ type: 'refused-changes', component: component.name, stack: component.stack, why, changes: unsafe, ...(component.holdsData ? { holdsData: component.holdsData } : {}) });
      run.skip(component, 'up', refused);
      return { result: 'skipped', message: refused, refused };
    }
  }
  return runStep(engine, run, component, 'up', { refresh: options.refresh, allowReplace: options.allowReplace });
}
