/**
 * A component's update behind the data guard (src/core/dataGuard.ts): where it could lose data,
 * or the stack was made elsewhere, a preview comes first and a replace or delete it may not make
 * refuses the update before anything changes. Where the state already protects everything of
 * the stack that holds data, that preview is the one `pulumi up` runs itself (one Pulumi run,
 * not two); elsewhere it is a preview of its own. The programs' `protect` is also the backstop
 * for a path that forgets to look.
 */
import type { Component } from '../../core/components';
import { guardRefusal, lookFirst, protectionSuffices, unsafeChanges, type GuardReason } from '../../core/dataGuard';
import type { ResourceChange } from '../../core/events';
import type { StackState } from '../../core/state';
import type { Engine, OperationRun } from '../engine';
import { runStep, type StepOutcome } from '../stackRunner';
import { previewOne } from './preview';

export interface GuardedUpOptions {
  /** Refresh first (what drifted). */
  refresh?: boolean;
  /** The user consented to replacing or deleting what holds data. */
  allowReplace?: boolean;
  /** This run already looked (lookBeforeUp with `ahead`) and may go ahead: no second preview. */
  looked?: boolean;
  /**
   * The look comes before other steps (force recreate's destroys) that must not run if this
   * update is refused: a preview of its own, even where `pulumi up`'s own would stop the update.
   */
  ahead?: boolean;
}

const CONSENT = 're-run with --allow-replace to go ahead anyway';

/**
 * Whether the guard leaves this update to the engine's own protection (core protectionSuffices):
 * then no separate preview runs, and `pulumi up` previews before it changes anything instead.
 */
function leftToTheEngine(component: Component, state: StackState, why: GuardReason | undefined): boolean {
  return why === 'holds-data' && protectionSuffices(component.kind, state);
}

/** The refusal of `changes` (a preview's), announced as a `refused-changes` event; undefined when none may be refused. */
function refusal(engine: Engine, component: Component, changes: readonly ResourceChange[], why: GuardReason): string | undefined {
  const unsafe = unsafeChanges(changes, why);
  if (!unsafe.length) return undefined;
  engine.emit({ type: 'refused-changes', component: component.name, stack: component.stack, why, changes: unsafe, ...(component.holdsData ? { holdsData: component.holdsData } : {}) });
  return guardRefusal(component, unsafe, why, CONSENT);
}

/**
 * The guard's look at one component's update: undefined when it may run, else why not (a
 * refusal, or a preview that failed or was cancelled, since an update does not run on a guess).
 */
export async function lookBeforeUp(engine: Engine, run: OperationRun, component: Component, state: StackState, options: GuardedUpOptions = {}): Promise<StepOutcome | undefined> {
  const why = lookFirst(component, state, !!options.allowReplace);
  if (!why || (!options.ahead && leftToTheEngine(component, state, why))) return undefined;
  const preview = await previewOne(engine, run, component, new Map([[component.name, state]]), { refresh: options.refresh });
  engine.emit({ type: 'preview', ...preview });
  const refused = refusal(engine, component, preview.resources, why);
  if (refused) {
    run.skip(component, 'up', refused);
    return { result: 'skipped', message: refused, refused };
  }
  if (preview.note) return { result: engine.cancelled ? 'cancelled' : 'failed', message: `${component.name} was not updated: ${preview.note}` };
  return undefined;
}

export async function guardedUp(engine: Engine, run: OperationRun, component: Component, state: StackState, options: GuardedUpOptions = {}): Promise<StepOutcome> {
  const looked = options.looked ? undefined : await lookBeforeUp(engine, run, component, state, options);
  if (looked) return looked;
  const why = lookFirst(component, state, !!options.allowReplace);
  const refuse = why && !options.looked && leftToTheEngine(component, state, why) ? (planned: ResourceChange[]) => refusal(engine, component, planned, why) : undefined;
  return runStep(engine, run, component, 'up', { refresh: options.refresh, allowReplace: options.allowReplace, ...(refuse ? { refuse } : {}) });
}
