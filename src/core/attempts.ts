/**
 * The reconcile loop's memory of each component: how many attempts failed on the spec
 * azure.yaml gives now, when the next one may start, and the condition it last reported.
 * Bounded like the best reconcilers: capped exponential backoff with jitter, a failure
 * budget per spec, then stalled until the spec changes or a person repairs it. Pure;
 * randomness and time are passed in.
 */
import { heldSince } from './durations';
import type { ConditionReport } from './conditions';
import type { HealDecision } from './heal';
import { createHash } from 'node:crypto';
import { canonicalJson } from './spec';

export interface BackoffPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
  /** Each delay is multiplied by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

export const DEFAULT_INTERVAL_SECONDS = 300;
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Most Pulumi runs (drift checks, heals) at the same time. */
export const DEFAULT_CONCURRENCY = 4;

/** Retries start at the loop's interval (at most 10 s) and triple, up to 10 minutes. */
export function backoffFor(intervalMs: number): BackoffPolicy {
  return { initialMs: Math.min(intervalMs, 10_000), factor: 3, maxMs: 600_000, jitter: 0.2 };
}

/** The delay after the `failures`-th failure. */
export function backoffDelay(policy: BackoffPolicy, failures: number, random: () => number): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, failures - 1));
  return Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random()));
}

export interface AttemptRecord {
  /** What the attempts were counted on (`attemptsKey`: the spec hash, and the fault on it): another starts from nothing. */
  specHash: string;
  failures: number;
  /** Why the first failed attempt on this spec failed: what a stall for the spent budget names. */
  firstFailure?: string;
  lastFailure?: string;
  nextAttemptAt?: string;
  condition?: ConditionReport;
}

/**
 * What a component's attempts are counted on: its spec, and the rehearsal fault azure.yaml puts on
 * it (not part of the spec, yet taking it out is a change a stall must not outlast).
 */
export function attemptsKey(specHash: string, fault: unknown): string {
  return fault === undefined ? specHash : `${specHash}+fault:${createHash('sha256').update(canonicalJson(fault)).digest('hex').slice(0, 12)}`;
}

/** The record that applies to the spec azure.yaml gives now. */
export function attemptsOn(record: AttemptRecord | undefined, specHash: string): AttemptRecord {
  return record && record.specHash === specHash ? record : { specHash, failures: 0 };
}

export function afterFailure(record: AttemptRecord, reason: string, now: number, policy: BackoffPolicy, random: () => number): AttemptRecord {
  const failures = record.failures + 1;
  return { ...record, failures, firstFailure: record.firstFailure ?? reason, lastFailure: reason, nextAttemptAt: new Date(now + backoffDelay(policy, failures, random)).toISOString() };
}

/** After a success nothing is remembered but the condition. */
export function afterSuccess(record: AttemptRecord): AttemptRecord {
  return { specHash: record.specHash, failures: 0, ...(record.condition ? { condition: record.condition } : {}) };
}

/** The condition report of a decision; `since` carries on from the record's condition while the condition holds. */
export function conditionReport(decision: HealDecision, record: AttemptRecord, maxAttempts: number, now: number): ConditionReport {
  const report = decisionReport(decision, record, maxAttempts, new Date(now).toISOString());
  const previous = record.condition;
  return { ...report, since: previous?.condition === report.condition ? (previous.since ?? previous.at) : report.at };
}

function decisionReport(decision: HealDecision, record: AttemptRecord, maxAttempts: number, at: string): ConditionReport {
  switch (decision.kind) {
    case 'converged':
      return { condition: 'ready', reason: 'Converged', message: 'ready, spec current, no drift found', attempt: record.failures, maxAttempts, at };
    case 'needs-person':
      return { condition: 'stalled', reason: decision.reason, message: decision.message, attempt: record.failures, maxAttempts, command: decision.command, at };
    case 'heal':
      return { condition: 'reconciling', reason: decision.reason, message: decision.message, attempt: record.failures + 1, maxAttempts, at };
    case 'wait':
      return { condition: 'reconciling', reason: decision.reason, message: decision.message, attempt: record.failures, maxAttempts, at };
  }
}

/** `reconciling (attempt 2 of 3)`, `stalled: FailureBudgetSpent`; given `now`, how long it has held too (`stalled for 3 d: …`). */
export function describeCondition(c: Pick<ConditionReport, 'condition' | 'reason' | 'attempt' | 'maxAttempts' | 'since'>, now?: number): string {
  const held = now !== undefined ? heldSince(c.since, now) : '';
  const word = held ? `${c.condition} ${held}` : c.condition;
  if (c.condition === 'reconciling') return c.attempt > 0 ? `${word} (attempt ${c.attempt} of ${c.maxAttempts})` : `${word}: ${c.reason}`;
  if (c.condition === 'stalled') return `${word}: ${c.reason}`;
  return word;
}

/** How long the loop may sleep: until the next pass, or sooner when a retry falls due. */
export function nextWakeMs(intervalMs: number, records: Iterable<AttemptRecord>, now: number): number {
  let wake = intervalMs;
  for (const r of records) {
    if (!r.nextAttemptAt || r.condition?.condition === 'stalled') continue;
    wake = Math.min(wake, Math.max(0, Date.parse(r.nextAttemptAt) - now));
  }
  return wake;
}
