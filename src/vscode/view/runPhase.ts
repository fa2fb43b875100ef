/** Where a component is in a run of this window, and how its row says so. Pure. */
import type { StepResult } from '../../core/events';
import { formatElapsed } from './format';

/** What a run holds: every component, or these (none for checks such as validate). */
export type RunTargets = 'all' | readonly string[];

export function targetsConflict(a: RunTargets, b: RunTargets): boolean {
  if (a === 'all') return b === 'all' || b.length > 0;
  if (b === 'all') return a.length > 0;
  return a.some((x) => b.includes(x));
}

export function describeTargets(t: RunTargets): string {
  return t === 'all' ? 'all components' : t.join(', ');
}

export interface ComponentPhase {
  kind: 'queued' | 'running' | 'done';
  /** The step running now (`up`, `destroy`, …) while `running`. */
  action?: string;
  stepsLeft: number;
  stepsDone: number;
  /** When this phase began (ms). */
  since: number;
  /** The results of its steps so far in this run, each with its action. */
  results?: ReadonlyArray<{ action: string; result: StepResult }>;
}

/**
 * What a finished row adds to its status: only its own steps' results say "done". A failed or
 * cancelled step says so, a row none of whose steps started says nothing, and one whose later
 * step never started is "not finished".
 */
export function doneSuffix(results: ComponentPhase['results'] = []): string | undefined {
  const failed = results.find((r) => r.result === 'failed');
  if (failed) return `${failed.action} failed`;
  if (results.some((r) => r.result === 'cancelled')) return 'cancelled';
  if (results.length && results.every((r) => r.result === 'skipped')) return undefined;
  return results.some((r) => r.result === 'skipped') ? 'not finished' : 'done';
}

const RUNNING_WORD: Record<string, string> = {
  up: 'up',
  destroy: 'destroying',
  refresh: 'refreshing',
  'clear-lock': 'clearing lock',
  verify: 'verifying',
  forget: 'forgetting',
  import: 'importing',
};

/**
 * The progress notification's line for a step: the notification's title already names the
 * run and, for a run of one component, the component (`ModelOps: Up cluster` · `provisioning…`).
 */
export function stepMessage(targets: RunTargets, component: string, action: string): string {
  const word = STEP_WORD[action] ?? action;
  return targets !== 'all' && targets.length === 1 && targets[0] === component ? `${word}…` : `${component}: ${word}…`;
}

/** A row keeps its words short (`up… 0:42`); the notification's line may say more. */
const STEP_WORD: Record<string, string> = {
  ...RUNNING_WORD,
  up: 'provisioning',
  preview: 'previewing',
  drift: 'checking for drift',
  probe: 'probing',
  'resolve-pending': 'resolving pending operations',
};

/**
 * What a dependency in this window's run is, as a blocked row names it: `queued`, `up…`,
 * `destroying…` — never "busy", which is what our own run's lock reads as to a status read.
 */
export function phaseWord(phase: ComponentPhase | undefined): string | undefined {
  if (!phase || phase.kind === 'done') return undefined;
  return phase.kind === 'queued' ? 'queued' : `${RUNNING_WORD[phase.action ?? ''] ?? phase.action ?? 'running'}…`;
}

/** The row's description while its run goes on: `queued`, `destroying… 0:12`, `up… 0:42`, `ready · done`. */
export function describePhase(phase: ComponentPhase, status: string, now = Date.now()): string {
  switch (phase.kind) {
    case 'queued':
      return 'queued';
    case 'running':
      return `${RUNNING_WORD[phase.action ?? ''] ?? phase.action ?? 'running'}… ${formatElapsed(now - phase.since)}`;
    case 'done': {
      const suffix = doneSuffix(phase.results);
      return suffix ? `${status} · ${suffix}` : status;
    }
  }
}
