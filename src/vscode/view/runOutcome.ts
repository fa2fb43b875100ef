/**
 * The one notification a run ends with: what it did to resources (Pulumi's own counts), how
 * long it took, "nothing to change" when it changed nothing, and after a cancel or a failure
 * what was left. Pure: the run's plan and step results in, words and a severity out.
 */
import type { ChangeCounts, OperationResult, PlannedStep, Refusal, StepAction, StepResult } from '../../core/events';
import { formatElapsed } from './format';
import { DEFAULT_WAIT } from '../../core/flags';
import { describeSpan, parseDuration } from '../../core/durations';

export interface FinishedStep {
  component: string;
  action: StepAction;
  result: StepResult;
  message: string;
  changes?: ChangeCounts;
}

export interface RunRecord {
  /** As the progress notification named the run: "Up", "Up cluster". */
  title: string;
  result: OperationResult;
  durationMs: number;
  /** The plan's steps, when the run planned any. */
  plan: readonly PlannedStep[];
  steps: readonly FinishedStep[];
  /** The CLI's one-line summary of the run. */
  summary: string;
  /** Components ready at its end that were not when it began. */
  becameReady?: readonly string[];
  /** Why the CLI refused it, when it did. */
  refusal?: Refusal;
  /** Its verb takes --wait and it did not wait already: behind a busy stack, the same run waiting is worth offering. */
  canWait?: boolean;
}

/** The button that runs a busy-refused run again with --wait. */
export const WAIT = 'Wait';

export interface RunOutcome {
  severity: 'info' | 'warning' | 'error';
  message: string;
  /** The obvious next step, as a button beside Show Log: a command and its title. */
  action?: { title: string; command: string };
  /** Refused behind another run that may be working: the same run again, waiting for it (`--wait`), is one click away. */
  offerWait?: boolean;
}

/** The notification after a drift check that found changes: Up puts them back, one click away. */
export function driftOutcome(drifted: readonly string[]): RunOutcome {
  return { severity: 'warning', message: `ModelOps: drift found: ${drifted.join(', ')}. Up puts it back (the tree shows what changed).`, action: { title: 'Up', command: 'modelopsInfra.up' } };
}

/** Steps that change what is deployed (a plan's verify and skip steps only look). */
const CHANGING: ReadonlySet<StepAction> = new Set(['up', 'destroy', 'refresh', 'clear-lock', 'resolve-pending', 'forget', 'import']);
/** Steps of a run that only reads (preview, drift): its summary says what it found. */
const READING: ReadonlySet<StepAction> = new Set(['preview', 'drift', 'probe']);

const WORDS: ReadonlyArray<[keyof ChangeCounts, string]> = [
  ['create', 'created'],
  ['update', 'updated'],
  ['replace', 'replaced'],
  ['delete', 'destroyed'],
];

/** `3 created, 1 updated` over every step; empty when Pulumi changed nothing (or never said). */
export function describeResourceChanges(steps: readonly FinishedStep[]): string {
  const total = new Map<keyof ChangeCounts, number>();
  for (const s of steps) for (const [kind] of WORDS) total.set(kind, (total.get(kind) ?? 0) + (s.changes?.[kind] ?? 0));
  return WORDS.filter(([kind]) => total.get(kind)).map(([kind, word]) => `${total.get(kind)} ${word}`).join(', ');
}

/** After a cancel or a failure: what stopped part-way and what never started. */
function leftOver(run: RunRecord): string {
  const planned = [...new Set(run.plan.filter((s) => CHANGING.has(s.action)).map((s) => s.component))];
  const last = new Map(run.steps.filter((s) => CHANGING.has(s.action)).map((s) => [s.component, s.result]));
  const stopped = planned.filter((c) => last.get(c) === 'cancelled');
  const failed = planned.filter((c) => last.get(c) === 'failed');
  const notStarted = planned.filter((c) => !last.has(c) || last.get(c) === 'skipped');
  const parts: string[] = [];
  if (failed.length) parts.push(`failed: ${failed.join(', ')}`);
  if (stopped.length) parts.push(`stopped part-way: ${stopped.join(', ')}`);
  if (notStarted.length) parts.push(`not started: ${notStarted.join(', ')}`);
  return parts.join('; ');
}

export function runOutcome(run: RunRecord): RunOutcome {
  const elapsed = formatElapsed(run.durationMs);
  const changed = describeResourceChanges(run.steps);
  const ranPulumi = run.steps.some((s) => CHANGING.has(s.action));
  const summary = run.summary.trim().replace(/\.$/, '');
  switch (run.result) {
    case 'succeeded': {
      const reads = run.plan.some((s) => READING.has(s.action));
      // No resource changed, yet rows turned ready (outputs exported again, a lock cleared): that is not "nothing".
      if (run.plan.length && !changed && !reads && run.becameReady?.length) {
        return { severity: 'info', message: `ModelOps: ${run.title} succeeded in ${elapsed}: ready now: ${run.becameReady.join(', ')}, with no resource changed.${summary ? ` ${summary}.` : ''}` };
      }
      if (run.plan.length && !changed && !reads) {
        const why = ranPulumi ? 'Pulumi found nothing to change' : 'every component was already up to date';
        return { severity: 'info', message: `ModelOps: ${run.title}: nothing to change — ${why} (${elapsed}).${summary ? ` ${summary}.` : ''}` };
      }
      return { severity: 'info', message: `ModelOps: ${run.title} succeeded in ${elapsed}${changed ? `: ${changed}` : ''}.${summary ? ` ${summary}.` : ''}` };
    }
    case 'cancelled': {
      const left = leftOver(run);
      const finish = left ? ' Up (or Repair) finishes it.' : '';
      return { severity: 'warning', message: `ModelOps: ${run.title} cancelled after ${elapsed}${changed ? ` (${changed} before the cancel)` : ''}.${left ? ` ${left[0].toUpperCase()}${left.slice(1)}.` : ''}${finish}` };
    }
    case 'failed': {
      const left = leftOver(run);
      return { severity: 'error', message: `ModelOps: ${run.title} failed after ${elapsed}: ${summary || 'see the log'}${left && !summary.includes('not ready') ? ` (${left})` : ''}` };
    }
    case 'refused':
      // Errors in the config: the Problems panel lists each, on its line.
      if (run.refusal === 'invalid-input') return { severity: 'warning', message: `ModelOps: ${run.title} was refused: ${summary}.`, action: { title: 'Show Problems', command: 'workbench.actions.view.problems' } };
      // Behind a run that may be working (not a lock that looks dead, which only a person clears): wait for it.
      if (run.refusal === 'busy' && run.canWait) return { severity: 'warning', message: `ModelOps: ${run.title} was refused: ${summary}. Wait runs it once that run is done (up to ${describeSpan(parseDuration(DEFAULT_WAIT)!)}).`, offerWait: true };
      return { severity: 'warning', message: `ModelOps: ${run.title} was refused: ${summary}.` };
  }
}
