/**
 * The wire contract of `mops-infra`, declared once: its verbs, the JSON documents it
 * prints, its exit codes and the secret mask. The CLI writes these shapes and the
 * extension reads them; neither declares its own.
 */
import type { Problem } from './config/types';
import type { DriftCheck } from './drift';
import type { ComponentPreview, ConfigRead, HealthResult, OperationEvent, OperationResult, PlannedStep, RefusedChanges, Refusal } from './events';
import type { ComponentReadiness } from './readiness';
import type { PreflightReport } from './preflight';
import { EXIT, type ExitCode } from './exitCodes';
import type { Verb } from './verbs';

/** What every surface shows instead of a secret value. */
export const SECRET_MASK = '[secret]';

/** `status --json`. */
export interface StatusReport {
  env: string;
  configFile: string;
  components: ComponentReadiness[];
  problems: Problem[];
}

/** `outputs COMPONENT --json`. */
export interface OutputsReport {
  component: string;
  stack: string;
  outputs: Record<string, { value: unknown; secret: boolean }>;
}

/** `outputs --json` (no component, as the original's `mops infra outputs`): every component that has a stack, in provisioning order. */
export interface AllOutputsReport {
  components: OutputsReport[];
}

/** `environments --json`: each environment with stacks in the backend, and how ready it is. */
export interface EnvironmentsReport {
  configFile: string;
  environments: Array<{
    name: string;
    /** The environment this run works on (--env, the file's, or dev). */
    current: boolean;
    ready: number;
    total: number;
    /** Components whose stack exists. */
    deployed: number;
  }>;
}

/** `state COMPONENT --json`: what the stack's state holds, every secret masked. */
export interface StateReport {
  component: string;
  stack: string;
  outputs: Record<string, unknown>;
  resources: Array<{ urn: string; type: string; id?: string; parent?: string; outputs: Record<string, unknown> }>;
  pendingOperations: Array<{ type: string; urn: string }>;
}

type StepDone = Extract<OperationEvent, { type: 'step-done' }>;

/** `up|repair|validate|health --json`: the operation's events folded into one document. */
export interface OperationDocument {
  operation?: Verb;
  env?: string;
  /** The file the run read and a digest of its text. */
  config?: ConfigRead;
  result?: OperationResult;
  refusal?: Refusal;
  summary?: string;
  plan: PlannedStep[];
  steps: StepDone[];
  health: HealthResult[];
  /** The Azure preflight's checks (validate, up), when it ran. */
  preflight: PreflightReport[];
  /** What previews the operation ran said (rollback, and the data guard before up and repair, preview first). */
  previews: ComponentPreview[];
  /** What the data guard refused, per component (nothing of those was changed; --allow-replace consents). */
  refusedChanges: RefusedChanges[];
  components: ComponentReadiness[];
  problems: Problem[];
}

/** `preview --json`. */
export interface PreviewDocument {
  env: string;
  components: ComponentPreview[];
}

/** `drift [COMPONENT...] --json`. */
export interface DriftDocument {
  env: string;
  components: DriftCheck[];
}

/** `reconcile --json`: one per pass (one line each without --once). */
export interface ReconcileDocument {
  pass: number;
  converged: boolean;
  conditions: Array<Extract<OperationEvent, { type: 'condition' }>>;
  drift: DriftCheck[];
  steps: StepDone[];
  result?: OperationResult;
  summary?: string;
}

/** Folds one reconcile pass's events (from its `pass` start on) into its document. */
export function reconcileDocument(events: readonly OperationEvent[]): ReconcileDocument {
  let first = 0;
  events.forEach((e, i) => void (e.type === 'pass' && e.phase === 'start' && (first = i)));
  const from = events.slice(first);
  const end = events.filter((e): e is Extract<OperationEvent, { type: 'pass' }> => e.type === 'pass').pop();
  const done = events.filter((e): e is Extract<OperationEvent, { type: 'operation-done' }> => e.type === 'operation-done').pop();
  const conditions = new Map<string, Extract<OperationEvent, { type: 'condition' }>>();
  for (const e of from) if (e.type === 'condition') conditions.set(e.component, e);
  return {
    pass: end?.pass ?? 0,
    converged: end?.converged ?? false,
    conditions: [...conditions.values()],
    drift: from.flatMap((e) => (e.type === 'drift' ? [{ name: e.name, stack: e.stack, drifted: e.drifted, resources: e.resources, checkedAt: e.checkedAt, ...(e.note ? { note: e.note } : {}) }] : [])),
    steps: from.filter((e): e is StepDone => e.type === 'step-done'),
    ...(done ? { result: done.result, summary: done.summary } : {}),
  };
}

/** `history COMPONENT --json`. */
export interface HistoryDocument {
  component: string;
  stack: string;
  updates: HistoryUpdate[];
}

export interface HistoryUpdate {
  version: number;
  kind: string;
  result: string;
  startTime?: string;
  endTime?: string;
  resourceChanges?: Record<string, number>;
  /** The spec hash the update recorded (src/core/spec.ts), when it did. */
  specHash?: string;
  /** Paths of the spec that differ from the previous recorded one (never values). */
  specChanges?: string[];
}

/** `--json` when the command stopped on an error: `error` is its code (`config` when azure.yaml cannot be used, `usage`, …). */
export interface ErrorDocument {
  error: string;
  message: string;
  problems: Problem[];
}

/** The exit code of an operation's result. */
export function exitCodeOf(result: OperationResult, refusal?: Refusal): ExitCode {
  switch (result) {
    case 'succeeded':
      return EXIT.ok;
    case 'failed':
      return EXIT.failed;
    case 'cancelled':
      return EXIT.cancelled;
    case 'refused':
      return refusal === 'invalid-input' ? EXIT.invalidInput : EXIT.refused;
  }
}

/** The inverse, for a run that ended without an `operation-done` (a crash, a kill). */
export function resultOfExit(code: number | null): { result: OperationResult; refusal?: Refusal } {
  if (code === EXIT.ok) return { result: 'succeeded' };
  if (code === EXIT.invalidInput) return { result: 'refused', refusal: 'invalid-input' };
  if (code === EXIT.refused) return { result: 'refused' };
  if (code === EXIT.cancelled) return { result: 'cancelled' };
  return { result: 'failed' };
}

/** Folds an operation's events into its `--json` document. */
export function operationDocument(events: readonly OperationEvent[]): OperationDocument {
  const last = <T extends OperationEvent['type']>(type: T) => events.filter((e) => e.type === type).pop() as Extract<OperationEvent, { type: T }> | undefined;
  const done = last('operation-done');
  return {
    operation: done?.operation ?? last('operation-start')?.operation,
    env: last('operation-start')?.env,
    ...(last('operation-start')?.config ? { config: last('operation-start')!.config } : {}),
    result: done?.result,
    ...(done?.refusal ? { refusal: done.refusal } : {}),
    summary: done?.summary,
    plan: last('plan')?.steps ?? [],
    steps: events.filter((e): e is StepDone => e.type === 'step-done'),
    health: events.flatMap((e) => (e.type === 'health' ? [{ component: e.component, check: e.check, verdict: e.verdict, reason: e.reason }] : [])),
    preflight: events.flatMap((e) => (e.type === 'preflight' ? [{ check: e.check, verdict: e.verdict, reason: e.reason, ...(e.fix ? { fix: e.fix } : {}) }] : [])),
    previews: events.flatMap((e) => (e.type === 'preview' ? [{ name: e.name, stack: e.stack, changes: e.changes, resources: e.resources, ...(e.note ? { note: e.note } : {}) }] : [])),
    refusedChanges: events.flatMap((e) => (e.type === 'refused-changes' ? [{ component: e.component, stack: e.stack, why: e.why, changes: e.changes, ...(e.holdsData ? { holdsData: e.holdsData } : {}) }] : [])),
    components: last('readiness')?.components ?? [],
    problems: events.flatMap((e) => (e.type === 'problem' ? [e.problem] : [])),
  };
}
