/**
 * Typed events of an operation. The CLI's `--events` mode prints one per line as
 * JSON; the extension reads that stream from its child process. Secret values
 * never appear in any event.
 */
import type { Problem } from './config/types';
import type { DriftCheck } from './drift';
import type { ConditionReport } from './conditions';
import type { PreflightReport } from './preflight';
import type { ComponentReadiness } from './readiness';
import type { Verb } from './verbs';

export type StepAction = 'up' | 'preview' | 'destroy' | 'refresh' | 'clear-lock' | 'verify' | 'skip' | 'drift' | 'probe' | 'resolve-pending' | 'forget' | 'import';
export type StepResult = 'succeeded' | 'failed' | 'cancelled' | 'skipped';
export type OperationResult = 'succeeded' | 'failed' | 'cancelled' | 'refused';
/** The config file a run read, and a digest of its text (sha256, 12 hex). */
export interface ConfigRead {
  file: string;
  digest: string;
}

/**
 * Why an operation was refused: azure.yaml or the arguments cannot be used, a stack is busy
 * (another run may be working on it: `--wait` waits for it), a stack is held by a run that looks
 * dead (waiting cannot help; a person decides: `repair --force-unlock`), destruction was not
 * confirmed, it would lose data, or a dependency must be repaired first.
 */
export type Refusal = 'invalid-input' | 'busy' | 'looks-dead' | 'needs-confirmation' | 'unsafe' | 'blocked' | 'preflight-failed';

import type { RefusedChanges, ResourceChange } from './dataGuard';
import type { Reach } from './freshness';

export type { GuardReason, RefusedChanges, ResourceChange, ResourceOp } from './dataGuard';

export interface ChangeCounts {
  create: number;
  update: number;
  replace: number;
  delete: number;
  same: number;
}

/** One component's preview: what an up would change, or why it cannot be previewed yet. */
export interface ComponentPreview {
  name: string;
  stack: string;
  changes: ChangeCounts;
  /** What it plans for each resource; when the preview failed, what it had planned by then. */
  resources: ResourceChange[];
  /** Not previewed (the stack does not exist yet, or what it reads is not there yet), or why the preview failed. */
  note?: string;
  /** The stack does not exist yet: an up creates it (and everything in it). */
  creates?: true;
  /** The dependents that read an output this update changes or makes unknown (src/core/freshness.ts). */
  reaches?: Reach[];
}
export type HealthVerdict = 'healthy' | 'unhealthy' | 'unknown';

/** One health check of one component: what `health` reports, in its event and its document. */
export interface HealthResult {
  component: string;
  check: string;
  verdict: HealthVerdict;
  reason: string;
}

export interface PlannedStep {
  component: string;
  stack: string;
  action: StepAction;
  reason: string;
  /** Destroy steps of stacks that hold data: what is lost. */
  holdsData?: string;
  /**
   * An up step taken only because these components are provisioned again: it is re-applied only
   * if an output it reads from them changes (src/core/freshness.ts), decided once they have run.
   */
  ifReadsChanged?: string[];
}

export type OperationEvent =
  /** `config`: the file the run read and a digest of its text (sha256, 12 hex). */
  | { type: 'operation-start'; operation: Verb; env: string; components: string[]; time: string; config?: ConfigRead; options?: Record<string, unknown> }
  | { type: 'plan'; operation: Verb; steps: PlannedStep[] }
  | { type: 'step-start'; component: string; stack: string; action: StepAction; time: string }
  /** One line of Pulumi's output for a step. */
  | { type: 'step-output'; component: string; action: StepAction; line: string }
  | { type: 'retry'; component: string; waitingFor: string; attempt: number; delayMs: number; reason: string }
  /** `changes`: what Pulumi says the step did to resources, when it finished and said so (up, destroy, refresh). */
  | { type: 'step-done'; component: string; stack: string; action: StepAction; result: StepResult; message: string; durationMs: number; changes?: ChangeCounts }
  /** Readiness of every component; `partial` while the operation still runs (re-read after each step). */
  | { type: 'readiness'; components: ComponentReadiness[]; partial?: true }
  | { type: 'problem'; problem: Problem }
  | ({ type: 'health' } & HealthResult)
  | ({ type: 'preflight' } & PreflightReport)
  | ({ type: 'preview' } & ComponentPreview)
  /** The data guard refused a component's update; --allow-replace consents. */
  | ({ type: 'refused-changes' } & RefusedChanges)
  /** One component's drift check. */
  | ({ type: 'drift' } & DriftCheck)
  /** The reconcile loop's condition of a component, at least once per pass. */
  | ({ type: 'condition'; component: string } & Pick<ConditionReport, 'condition' | 'reason' | 'message' | 'attempt' | 'maxAttempts' | 'command' | 'since'>)
  /** A reconcile pass begins (`pass` counts from 1) or ends, and when the next one starts. */
  | { type: 'pass'; pass: number; phase: 'start' | 'end'; converged?: boolean; nextPassAt?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /**
   * With --wait: a stack it needs is held by another run that may be working (`holder`, e.g.
   * `alice@host-b (pid 42)`, running `operation` since `since`); it waits until `until`, then refuses.
   */
  | { type: 'waiting'; component: string; stack: string; holder: string; operation: string; since?: string; until: string; message: string }
  | { type: 'operation-done'; operation: Verb; result: OperationResult; summary: string; durationMs: number; refusal?: Refusal };

export type EventSink = (event: OperationEvent) => void;
