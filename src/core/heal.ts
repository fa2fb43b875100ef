/**
 * The recovery ladder: from what is known of one component (its readiness, spec, drift,
 * health, pending creates and their probes, and the attempts already spent on it) to what
 * to do next and why. Pure; the engine gathers the facts and runs the steps.
 *
 * Safe to automate: clearing a lock this host's dead process left, a refresh that clears
 * pending updates and deletes, resolving a pending create whose resource was probed, and a
 * bounded number of `up`s. Everything else needs a person, and says which command to run.
 */
import type { Component } from './components';
import type { DriftState } from './drift';
import { describeChange, unsafeChanges } from './dataGuard';
import type { GuardReason, HealthVerdict, ResourceChange } from './events';
import type { ComponentReadiness } from './readiness';
import type { Condition } from './conditions';
import type { StackState } from './state';

/** What probing a pending create's resource found. */
export type Probe = { exists: true; id: string } | { exists: false } | { unknown: string };

export type HealReason =
  | 'NotCreated'
  | 'UpdateFailed'
  | 'OutputsMissing'
  | 'Interrupted'
  | 'SpecChanged'
  | 'Stale'
  | 'Drifted'
  | 'HealthCheckFailed';

export type WaitReason = 'DependencyNotReady' | 'Busy' | 'StateUnreadable' | 'RetryingAfterFailure';

export type StallReason = 'LockedElsewhere' | 'PendingCreateUnprobed' | 'StatefulChange' | 'FailureBudgetSpent' | 'Destroyed' | 'HealOff' | 'StateCorrupt' | HealReason;

export type HealStep =
  | { action: 'clear-lock' }
  /** One refresh: pending creates imported (exists) or cleared (gone), other pending operations cleared. */
  | { action: 'resolve-pending'; imports: Array<{ urn: string; id: string }>; clears: string[] }
  | { action: 'up'; refresh: boolean };

export type HealDecision =
  | { kind: 'converged' }
  /**
   * `waitingOn`: the dependencies it waits for (DependencyNotReady); `then`: the steps it takes
   * once they are converged (a pass that heals them runs these right after).
   */
  | { kind: 'wait'; reason: WaitReason; message: string; waitingOn?: readonly string[]; then?: HealStep[] }
  | { kind: 'heal'; reason: HealReason; message: string; steps: HealStep[] }
  /** `command`: what a person runs, ready to paste; advice that is not a command goes in `message`. */
  | { kind: 'needs-person'; reason: StallReason; message: string; command: string };

export interface HealInput {
  component: Component;
  state: StackState;
  readiness: ComponentReadiness;
  /** Dependencies that are not converged (readiness or condition), by name. */
  waitingOn: readonly string[];
  drift: DriftState;
  /** The worst verdict of the component's last health checks, if any ran. */
  health?: HealthVerdict;
  /** Probes of the stack's pending creates, by URN. */
  probes: ReadonlyMap<string, Probe>;
  /** Failed attempts on the spec azure.yaml gives now, and how many are allowed. */
  failures: number;
  /** Why the first attempt that failed on it failed: what a stall for the spent budget names. */
  firstFailure?: string;
  /** Why the last attempt failed: what the wait before the next one names. */
  lastFailure?: string;
  maxAttempts: number;
  /** When the next attempt may start (ISO), after a failure; undefined: now. */
  nextAttemptAt?: string;
  now: number;
  /** The `mops-infra` arguments that pick this config and environment (shell-quoted), for the commands a person runs. */
  cliContext: string;
}

/** A word for a POSIX shell, quoted only when it needs to be. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const mops = (input: Pick<HealInput, 'component' | 'cliContext'>, verb: string, ...flags: string[]) => [`mops-infra ${verb} ${input.component.name}${input.cliContext}`, ...flags].join(' ');

/**
 * Stalled because the attempts on this spec are spent: until what azure.yaml gives the component
 * changes (its section, or a rehearsal fault on it) or a person repairs it. `cause`: what the
 * first failed attempt met, which later passes must not write over.
 */
export function budgetSpent(input: Pick<HealInput, 'component' | 'cliContext'>, failures: number, cause: string): HealDecision {
  return {
    kind: 'needs-person',
    reason: 'FailureBudgetSpent',
    message: `${failures} attempt${failures === 1 ? '' : 's'} failed on this spec (first: ${cause}); not retrying until ${input.component.name}'s section of azure.yaml (or a fault on it) changes, or a person repairs it`,
    command: mops(input, 'repair'),
  };
}

/** State that is there but cannot be parsed: nothing retries that away, a person puts it right. */
function corruptDecision(input: HealInput): HealDecision | undefined {
  if (!input.state.corrupt) return undefined;
  return {
    kind: 'needs-person',
    reason: 'StateCorrupt',
    message: input.readiness.reason,
    // The message says what to put right first (copy the .bak back, or delete the lock file); then a repair refreshes.
    command: mops(input, 'repair'),
  };
}

/** What the lock on the stack means for healing, if there is one. */
function lockDecision(input: HealInput): HealDecision | HealStep | undefined {
  const lock = input.state.lock;
  if (!lock) return undefined;
  if (lock.ownerAlive === false) return { action: 'clear-lock' };
  const who = `${lock.username ? `${lock.username}@` : ''}${lock.hostname ?? 'another host'}${lock.pid ? ` (pid ${lock.pid})` : ''}`;
  if (lock.ownerAlive === true) return { kind: 'wait', reason: 'Busy', message: `an operation by ${who} holds the lock` };
  return {
    kind: 'needs-person',
    reason: 'LockedElsewhere',
    message: `locked by ${who}${lock.timestamp ? ` since ${lock.timestamp}` : ''}, which this machine cannot check${lock.stale ? ` (${lock.stale})` : ''}; run the command only once you know that run is dead`,
    command: mops(input, 'repair', '--force-unlock'),
  };
}

/** Pending operations: a refresh clears updates and deletes; creates need their probe. */
function pendingDecision(input: HealInput): HealDecision | HealStep | undefined {
  const pending = input.state.pendingOperations;
  if (!pending.length) return undefined;
  const imports: Array<{ urn: string; id: string }> = [];
  const clears: string[] = [];
  for (const op of pending.filter((p) => p.type === 'creating')) {
    const probe = input.probes.get(op.urn) ?? { unknown: 'not probed' };
    if ('unknown' in probe) {
      return {
        kind: 'needs-person',
        reason: 'PendingCreateUnprobed',
        message:
          `an interrupted create of ${op.urn} may have made a resource, and it cannot be probed (${probe.unknown}). ` +
          `If the resource does not exist, the command below clears the create; if it does, import it instead: ` +
          `pulumi refresh --stack ${shellQuote(input.state.stack)} --import-pending-creates ${shellQuote(op.urn)} ID`,
        command: mops(input, 'repair'),
      };
    }
    if (probe.exists) imports.push({ urn: op.urn, id: probe.id });
    else clears.push(op.urn);
  }
  return { action: 'resolve-pending', imports, clears };
}

/** Why the component needs an `up`, if it does (after any lock and pending operations are dealt with). */
function upReason(input: HealInput): { reason: HealReason; message: string; refresh: boolean } | HealDecision | undefined {
  const { readiness: r, state } = input;
  const recovering = !!state.lock || state.pendingOperations.length > 0;
  // A down that failed before it touched anything leaves the stack ready: nothing to finish there.
  if (state.destroyIntent === 'down' && r.status !== 'absent' && r.status !== 'ready') {
    return { kind: 'needs-person', reason: 'Destroyed', message: `${state.stack}: ${r.reason}; reconcile neither finishes nor undoes a down`, command: mops(input, 'down', '--yes') };
  }
  if (state.destroyIntent === 'force-recreate') return { reason: 'Interrupted', message: r.reason || 'a force recreate stopped part-way', refresh: false };
  if (!state.exists || r.status === 'absent') {
    if (state.lastUpdate?.kind === 'destroy') {
      return { kind: 'needs-person', reason: 'Destroyed', message: `${state.stack} was destroyed (down); reconcile does not bring back what was taken down on purpose`, command: mops(input, 'up') };
    }
    return { reason: 'NotCreated', message: `${state.stack} does not exist yet`, refresh: false };
  }
  if (state.lastUpdate?.kind === 'destroy' && r.status === 'interrupted' && !recovering) {
    return { kind: 'needs-person', reason: 'Destroyed', message: `${state.stack}: ${r.reason}; reconcile neither finishes nor undoes a destroy`, command: mops(input, 'up') };
  }
  if (r.status === 'failed' || r.status === 'cancelled') return { reason: 'UpdateFailed', message: r.reason, refresh: false };
  if (r.status === 'outputs-missing') return { reason: 'OutputsMissing', message: r.reason, refresh: false };
  if (r.status === 'interrupted' || recovering) return { reason: 'Interrupted', message: r.reason || 'an interrupted update', refresh: false };
  if (r.spec === 'changed') return { reason: 'SpecChanged', message: 'azure.yaml changed since the last up', refresh: false };
  if (r.status === 'stale') return { reason: 'Stale', message: r.reason, refresh: false };
  if (input.drift === 'drifted') return { reason: 'Drifted', message: 'resources changed or deleted outside Pulumi', refresh: true };
  if (input.health === 'unhealthy') return { reason: 'HealthCheckFailed', message: 'a health check failed', refresh: true };
  return undefined;
}

function isDecision(x: HealDecision | HealStep | { reason: HealReason } | undefined): x is HealDecision {
  return !!x && 'kind' in x;
}

/** `attempt 1 of 3 failed (UpdateFailed: …); the next in 5 s`: the same words after the failure and while waiting. */
export function retryMessage(failures: number, maxAttempts: number, why: string, next: string): string {
  return `attempt ${failures} of ${maxAttempts} failed (${why}); the next ${next}`;
}

/**
 * The next thing to do for one component. `heal` lists its steps in order; a failed step
 * ends the attempt. The failure budget and backoff apply to attempts, never to waiting.
 */
export function planHeal(input: HealInput): HealDecision {
  if (input.readiness.status === 'unknown') return corruptDecision(input) ?? { kind: 'wait', reason: 'StateUnreadable', message: input.readiness.reason };
  const lock = lockDecision(input);
  if (isDecision(lock)) return lock;
  const pending = pendingDecision(input);
  if (isDecision(pending)) return pending;
  const up = upReason(input);
  if (isDecision(up)) return up;
  const steps: HealStep[] = [...(lock ? [lock] : []), ...(pending ? [pending] : [])];
  if (!up && !steps.length) {
    if (input.readiness.status === 'ready') return { kind: 'converged' };
    return { kind: 'wait', reason: 'DependencyNotReady', message: input.readiness.reason || `waiting on ${input.waitingOn.join(', ')}`, waitingOn: input.waitingOn };
  }
  const reason: HealReason = up?.reason ?? 'Interrupted';
  const message = up?.message ?? 'an interrupted update';
  if (input.failures >= input.maxAttempts) return budgetSpent(input, input.failures, input.firstFailure ?? `${reason}: ${message}`);
  if (input.nextAttemptAt && Date.parse(input.nextAttemptAt) > input.now) {
    const seconds = Math.ceil((Date.parse(input.nextAttemptAt) - input.now) / 1000);
    return { kind: 'wait', reason: 'RetryingAfterFailure', message: retryMessage(input.failures, input.maxAttempts, input.lastFailure ?? `${reason}: ${message}`, `in ${seconds} s`) };
  }
  const all: HealStep[] = [...steps, { action: 'up', refresh: up?.refresh ?? false }];
  if (input.waitingOn.length) return { kind: 'wait', reason: 'DependencyNotReady', message: `${reason}: ${message}; waiting on ${input.waitingOn.join(', ')}`, waitingOn: input.waitingOn, then: all };
  return { kind: 'heal', reason, message, steps: all };
}

/**
 * What reconcile reports without `--heal` for a component that needs work: it stays as it is
 * until a person acts, so it is stalled, with the command that would heal it.
 */
export function reportOnly(decision: HealDecision, input: Pick<HealInput, 'component' | 'cliContext'>): HealDecision {
  if (decision.kind !== 'heal') return decision;
  return { kind: 'needs-person', reason: decision.reason, message: `${decision.message} (healing is off)`, command: mops(input, 'up') };
}

/** The condition a decision puts the component in. */
export function conditionOf(decision: HealDecision): Condition {
  switch (decision.kind) {
    case 'converged':
      return 'ready';
    case 'needs-person':
      return 'stalled';
    default:
      return 'reconciling';
  }
}

/**
 * A preview before a healing `up` that the data guard would refuse (src/core/dataGuard.ts: a
 * replace or delete of what holds data; on a stack made elsewhere, of anything) needs a person.
 */
export function statefulChangeDecision(input: Pick<HealInput, 'component' | 'cliContext'>, changes: readonly ResourceChange[], why: GuardReason = 'holds-data'): HealDecision | undefined {
  const risky = unsafeChanges(changes, why);
  if (!risky.length) return undefined;
  const what = why === 'made-elsewhere' ? 'on a stack made outside mops-infra' : 'which holds data';
  return {
    kind: 'needs-person',
    reason: 'StatefulChange',
    message: `healing would ${risky.map(describeChange).join('; ')}, ${what}; see it with the command below, then run up --allow-replace if that is meant`,
    command: mops(input, 'preview'),
  };
}

/** What one reconcile pass runs, in dependency order. */
export interface PassPlan {
  /** Components healed by their own decision. */
  heal: string[];
  /**
   * Dependents of what is healed, applied again once it succeeded: they read its outputs
   * (a storage account made again has new keys), and what was waiting on it can start.
   */
  reapply: string[];
}

/**
 * The pass's plan from every component's decision (`order`: provisioning order). A dependent
 * is re-applied when it is converged, or waits only on what this pass heals or re-applies; one
 * that needs a person, is busy, is being retried later, or waits on anything else is left alone.
 */
export function planPass(order: readonly string[], dependentsOf: (name: string) => readonly string[], decisions: ReadonlyMap<string, HealDecision>): PassPlan {
  const heal = order.filter((n) => decisions.get(n)?.kind === 'heal');
  const downstream = new Set<string>();
  const visit = (n: string): void => {
    for (const d of dependentsOf(n)) if (!downstream.has(d)) (downstream.add(d), visit(d));
  };
  heal.forEach(visit);
  const touched = new Set(heal);
  const reapply: string[] = [];
  for (const n of order) {
    if (!downstream.has(n) || touched.has(n)) continue;
    const d = decisions.get(n);
    // Waiting on something this pass does not touch (a stalled dependency, say): left for later.
    const ready = d?.kind === 'converged' || (d?.kind === 'wait' && d.reason === 'DependencyNotReady' && (d.waitingOn ?? []).every((w) => touched.has(w)));
    if (ready) (reapply.push(n), touched.add(n));
  }
  return { heal, reapply };
}
