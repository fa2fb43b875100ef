/** Which quick fixes a problem code gets. Keyed by code, never by message. Pure. */
import type { ProblemCode } from '../../core/problemCodes';

export type QuickFixKind = 'repair' | 'up' | 'down' | 'refresh' | 'replace' | 'remove-fault';

export interface QuickFixPlan {
  kind: QuickFixKind;
  title: string;
  preferred?: boolean;
  /** For `replace`: the text that replaces the diagnostic's range. */
  replacement?: string;
}

/** Readiness problems a Repair (or an Up) can fix. */
const REPAIRABLE: ReadonlySet<ProblemCode> = new Set<ProblemCode>(['missing-output', 'missing-dependency-output', 'component-failed', 'component-cancelled', 'component-interrupted', 'component-stalled']);
/** Config codes whose message carries a machine-readable suggestion (`Did you mean \`x\`?`). */
const SUGGESTION_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>(['unknown-key', 'invalid-enum', 'invalid-provider', 'unknown-component', 'wrong-type']);

/** The `x` of "Did you mean `x`?" (the core's `didYouMean` wording). */
export function suggestionIn(message: string): string | undefined {
  return /Did you mean `([^`]+)`\?/.exec(message)?.[1];
}

export function quickFixesFor(problem: { code: ProblemCode; component?: string; message: string; fault?: string }): QuickFixPlan[] {
  // While a rehearsal fault causes it, a repair fails the same way: taking the fault out comes first.
  const removeFault: QuickFixPlan[] = problem.fault ? [{ kind: 'remove-fault', title: `Remove the fault on ${problem.fault}`, preferred: true }] : [];
  if (problem.code === 'fault-active') return removeFault;
  if (REPAIRABLE.has(problem.code) && problem.component) {
    return [
      ...removeFault,
      { kind: 'repair', title: `Repair ${problem.component}`, preferred: !problem.fault },
      { kind: 'up', title: 'Run Up' },
      { kind: 'refresh', title: 'Refresh' },
    ];
  }
  if (problem.code === 'down-interrupted' && problem.component) {
    return [
      { kind: 'down', title: `Down ${problem.component} (finish it)`, preferred: true },
      { kind: 'up', title: `Up ${problem.component} (bring it back)` },
    ];
  }
  if (problem.code === 'component-unknown') return [{ kind: 'refresh', title: 'Refresh', preferred: true }];
  if ((problem.code === 'spec-changed' || problem.code === 'component-stale' || problem.code === 'component-drifted') && problem.component) return [{ kind: 'up', title: `Up ${problem.component}`, preferred: true }];
  if (SUGGESTION_CODES.has(problem.code)) {
    const replacement = suggestionIn(problem.message);
    if (replacement) return [{ kind: 'replace', title: `Change to \`${replacement}\``, preferred: true, replacement }];
  }
  return [];
}
