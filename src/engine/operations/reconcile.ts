/**
 * `reconcile`: keeps an environment converged. Each pass reads status, checks drift and
 * health, probes pending creates, and asks the recovery ladder (src/core/heal.ts) what each
 * component needs; with `heal` it takes those steps, independent components at the same
 * time, and re-applies what depends on a healed component. Bounded: capped backoff with
 * jitter per component, a failure budget per spec, then stalled until azure.yaml changes or
 * a person repairs it. A component that is fine is never touched.
 */
import type { Component } from '../../core/components';
import { staleUses } from '../../core/freshness';
import type { StackState } from '../../core/state';
import { producerStates } from '../freshness';
import { ConfigError } from '../../core/errors';
import type { HealthVerdict, OperationResult, PlannedStep } from '../../core/events';
import { describeDrift } from '../../core/drift';
import { budgetSpent, conditionOf, planHeal, planPass, reportOnly, retryMessage, shellQuote, statefulChangeDecision, type HealDecision, type HealStep, type Probe } from '../../core/heal';
import { describeReadiness } from '../../core/readiness';
import {
  afterFailure,
  afterSuccess,
  attemptsOn,
  backoffFor,
  conditionReport,
  DEFAULT_CONCURRENCY,
  nextWakeMs,
  type AttemptRecord,
} from '../../core/attempts';
import { sleep } from '../../core/retry';
import { runInDependencyOrder, type NodeResult } from '../../core/schedule';
import { operationLocks } from '../backends/access';
import { ownershipConflicts } from './ownership';
import { StackBusyError } from '../operationLock';
import { writeMetricsFile } from '../metricsFile';
import { webhookNotifier } from '../notify';
import { whileHeld } from './wait';
import { transitionOf, type Transition } from '../../core/notifications';
import type { ConditionReport } from '../../core/conditions';
import type { Engine, OperationRun, Snapshot } from '../engine';
import type { Setup } from '../setup';
import { runStep } from '../stackRunner';
import { checkDrift } from './drift';
import { refuseInvalidConfig } from './guard';
import { healthResults } from './health';
import { previewOne } from './preview';
import { lookFirst } from '../../core/dataGuard';
import { probePendingCreates } from '../probes';
import { verifyDependency } from './verify';

export interface ReconcileOptions {
  /** One pass, then exit: 0 when everything is converged afterwards. */
  once?: boolean;
  /** Take the ladder's steps; without it the loop only reports. */
  heal?: boolean;
  intervalSeconds: number;
  maxAttempts: number;
  /** Reads azure.yaml again before each pass after the first (a changed spec lifts a stall). */
  reload?: () => Setup;
  random?: () => number;
  now?: () => number;
  /** After each pass, the environment's gauges are written here (engine/metricsFile.ts). */
  metricsFile?: string;
  /** Each transition (stalled, recovered, drift found) is posted here (engine/notify.ts). */
  notify?: string;
}

const WORST: HealthVerdict[] = ['unhealthy', 'unknown', 'healthy'];

/** The worst verdict of each component's health checks. */
function worstHealth(results: ReadonlyArray<{ component: string; verdict: HealthVerdict }>): Map<string, HealthVerdict> {
  const worst = new Map<string, HealthVerdict>();
  for (const r of results) {
    const before = worst.get(r.component);
    if (!before || WORST.indexOf(r.verdict) < WORST.indexOf(before)) worst.set(r.component, r.verdict);
  }
  return worst;
}

/** `--config FILE --env NAME`, shell-quoted: what a person adds to a command so it means the same environment. */
function cliContext(engine: Engine): string {
  return ` --config ${shellQuote(engine.setup.parsed.file)} --env ${shellQuote(engine.setup.env)}`;
}

/** Stalls that last until the spec changes or a person acts; every other condition speaks only until the next passes. */
const LASTING: ReadonlySet<string> = new Set(['FailureBudgetSpent', 'StatefulChange', 'Destroyed', 'PendingCreateUnprobed', 'StateCorrupt']);

interface Facts {
  snapshot: Snapshot;
  drift: Map<string, 'in-sync' | 'drifted' | 'unchecked'>;
  health: Map<string, HealthVerdict>;
  probes: Map<string, Map<string, Probe>>;
}

async function gatherFacts(engine: Engine, run: OperationRun): Promise<Facts> {
  const snapshot = await engine.snapshot();
  const existing = engine.setup.components.filter((c) => snapshot.states.get(c.name)?.exists);
  const [checks, health, probes] = await Promise.all([
    checkDrift(engine, run, existing, snapshot),
    healthResults(engine, snapshot.states).catch((error: unknown) => {
      engine.emit({ type: 'log', level: 'warn', message: `health checks did not run: ${(error as Error).message}` });
      return [];
    }),
    Promise.all(
      existing.map(async (c) => {
        const creates = snapshot.states.get(c.name)!.pendingOperations.filter((p) => p.type === 'creating').map((p) => p.urn);
        return [c.name, creates.length ? await probeAndReport(engine, c, creates) : new Map<string, Probe>()] as const;
      }),
    ),
  ]);
  for (const r of health) engine.emit({ type: 'health', ...r });
  return {
    snapshot,
    drift: new Map(checks.map((c) => [c.name, c.note ? 'unchecked' : c.drifted ? 'drifted' : 'in-sync'])),
    health: worstHealth(health),
    probes: new Map(probes),
  };
}

async function probeAndReport(engine: Engine, component: Component, creates: string[]): Promise<Map<string, Probe>> {
  const started = Date.now();
  engine.emit({ type: 'step-start', component: component.name, stack: component.stack, action: 'probe', time: new Date().toISOString() });
  const probes = await probePendingCreates(engine, component, creates);
  const words = [...probes].map(([urn, p]) => `${urn.slice(urn.lastIndexOf('::') + 2)}: ${'unknown' in p ? `cannot tell (${p.unknown})` : p.exists ? `exists (${p.id})` : 'gone'}`);
  engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: 'probe', result: 'succeeded', message: words.join('; '), durationMs: Date.now() - started });
  return probes;
}

function decide(engine: Engine, facts: Facts, records: Map<string, AttemptRecord>, options: ReconcileOptions, now: number): Map<string, HealDecision> {
  const decisions = new Map<string, HealDecision>();
  const byName = new Map(facts.snapshot.readiness.map((r) => [r.name, r]));
  for (const name of engine.setup.graph.topologicalOrder()) {
    const component = engine.component(name);
    const record = records.get(name)!;
    const input = {
      component,
      state: facts.snapshot.states.get(name)!,
      readiness: byName.get(name)!,
      waitingOn: engine.setup.graph.dependenciesOf(name).filter((d) => decisions.get(d)?.kind !== 'converged'),
      drift: facts.drift.get(name) ?? 'unchecked',
      health: facts.health.get(name),
      probes: facts.probes.get(name) ?? new Map(),
      failures: record.failures,
      ...(record.firstFailure ? { firstFailure: record.firstFailure } : {}),
      ...(record.lastFailure ? { lastFailure: record.lastFailure } : {}),
      maxAttempts: options.maxAttempts,
      nextAttemptAt: record.nextAttemptAt,
      now,
      cliContext: cliContext(engine),
    };
    const decision = planHeal(input);
    decisions.set(name, options.heal ? decision : reportOnly(decision, input));
  }
  return decisions;
}

/** Reports the component's condition and keeps it (a converged component starts its budget again). */
async function emitCondition(engine: Engine, name: string, decision: HealDecision, before: AttemptRecord, options: ReconcileOptions, now: number): Promise<AttemptRecord> {
  const record = decision.kind === 'converged' ? afterSuccess(before) : before;
  const report = conditionReport(decision, record, options.maxAttempts, now);
  engine.emit({ type: 'condition', component: name, condition: report.condition, reason: report.reason, message: report.message, attempt: report.attempt, maxAttempts: report.maxAttempts, ...(report.command ? { command: report.command } : {}), ...(report.since ? { since: report.since } : {}) });
  // What passes (waiting on a busy stack, "healing is off") is not news a day later.
  const lasting = report.condition === 'stalled' && LASTING.has(report.reason);
  const until = lasting ? undefined : new Date(now + 2 * options.intervalSeconds * 1000 + 60_000).toISOString();
  const kept = { ...record, condition: { ...report, ...(until ? { until } : {}) } };
  await engine.records.setAttempts(engine.component(name).stack, kept);
  return kept;
}

/**
 * Runs one component's heal steps in order; the first that does not succeed ends the attempt.
 * `onlyIfChanged`: a dependent that is fine itself is updated only when its preview shows a change.
 */
async function runHeal(engine: Engine, run: OperationRun, name: string, steps: readonly HealStep[], snapshot: Snapshot, onlyIfChanged: boolean): Promise<{ result: NodeResult; why?: string; stall?: HealDecision }> {
  const component = engine.component(name);
  for (const dep of engine.setup.graph.dependenciesOf(name)) {
    const verified = await verifyDependency(engine, component, engine.component(dep));
    // Its dependency is not there: no attempt of its own was made.
    if (!verified.ok) return { result: 'skipped', why: verified.reason };
  }
  for (const step of steps) {
    if (step.action === 'up' && snapshot.states.get(name)?.exists) {
      const preview = await previewOne(engine, run, component, snapshot.states, { refresh: step.refresh });
      const stall = statefulChangeDecision({ component, cliContext: cliContext(engine) }, preview.resources, lookFirst(component, snapshot.states.get(name)!, false) ?? 'holds-data');
      if (stall) return { result: 'skipped', stall };
      if (preview.note) return { result: 'failed', why: preview.note };
      const { create, update, replace, delete: deletes } = preview.changes;
      // No resource changes, yet an output it reads changed (used only in its outputs, say): the up records what it read, or it reads stale.
      if (onlyIfChanged && create + update + replace + deletes === 0 && !(await readsChanged(engine, component, snapshot.states.get(name)!))) return { result: 'succeeded' };
    }
    const outcome =
      step.action === 'clear-lock'
        ? await runStep(engine, run, component, 'clear-lock')
        : step.action === 'resolve-pending'
          ? await runStep(engine, run, component, 'resolve-pending', { imports: step.imports })
          : await runStep(engine, run, component, 'up', { refresh: step.refresh });
    if (outcome.result !== 'succeeded') return { result: outcome.result, why: outcome.message };
  }
  return { result: 'succeeded' };
}

/** Whether an output `component` read at its last up holds another value now (its producers read again: this pass may have changed them). */
async function readsChanged(engine: Engine, component: Component, own: StackState): Promise<boolean> {
  return component.uses.length > 0 && staleUses(component, own, await producerStates(engine, component)).length > 0;
}

/** Whether what a heal was for (drift, a failed health check) is gone once it succeeded. */
async function causeGone(engine: Engine, run: OperationRun, name: string, reason: string, after: Snapshot): Promise<string | undefined> {
  if (reason === 'Drifted') {
    const [check] = await checkDrift(engine, run, [engine.component(name)], after);
    return check?.drifted ? `still drifted after up: ${describeDrift(check.resources)}` : undefined;
  }
  if (reason === 'HealthCheckFailed') {
    const bad = (await healthResults(engine, after.states)).filter((r) => r.component === name && r.verdict === 'unhealthy');
    return bad.length ? `still unhealthy after up: ${bad.map((r) => r.reason).join('; ')}` : undefined;
  }
  return undefined;
}

type Outcome = Awaited<ReturnType<typeof runHeal>>;

/**
 * Judges each component this pass worked on, from a snapshot read while its locks are still
 * held, and records the attempt: success forgets the failures; a failure backs off, or stalls
 * once the budget is spent. A component that never got to try (its dependency was not there)
 * is not charged.
 */
async function judge(engine: Engine, run: OperationRun, todo: readonly string[], outcomes: ReadonlyMap<string, Outcome>, decisions: ReadonlyMap<string, HealDecision>, records: Map<string, AttemptRecord>, options: ReconcileOptions): Promise<Map<string, HealDecision>> {
  const now = options.now ?? Date.now;
  const after = await engine.snapshot();
  const judged = new Map<string, HealDecision>();
  for (const n of todo) {
    const r = after.readiness.find((x) => x.name === n)!;
    const outcome = outcomes.get(n) ?? { result: 'skipped' as const, why: 'not started' };
    if (outcome.stall) {
      judged.set(n, outcome.stall);
      continue;
    }
    if (engine.cancelled || outcome.result === 'skipped') continue;
    const decided = decisions.get(n)!;
    const ok = outcome.result === 'succeeded' && r.status === 'ready' && r.spec !== 'changed';
    const lingering = ok && decided.kind === 'heal' ? await causeGone(engine, run, n, decided.reason, after) : undefined;
    let record = records.get(n)!;
    if (ok && !lingering) {
      judged.set(n, { kind: 'converged' });
      continue;
    }
    const why = lingering ?? outcome.why ?? describeReadiness(r);
    record = afterFailure(record, why, now(), backoffFor(options.intervalSeconds * 1000), options.random ?? Math.random);
    records.set(n, record);
    judged.set(n, record.failures >= options.maxAttempts ? budgetSpent({ component: engine.component(n), cliContext: cliContext(engine) }, record.failures, record.firstFailure ?? why) : { kind: 'wait', reason: 'RetryingAfterFailure', message: retryMessage(record.failures, options.maxAttempts, why, `at ${record.nextAttemptAt}`) });
  }
  return judged;
}

/** What to heal and re-apply this pass, with the steps each one takes. */
function planned(engine: Engine, decisions: ReadonlyMap<string, HealDecision>): Map<string, HealStep[]> {
  const plan = planPass(engine.setup.graph.topologicalOrder(), (n) => engine.setup.graph.dependentsOf(n), decisions);
  return new Map(
    [...plan.heal, ...plan.reapply].map((n) => {
      const d = decisions.get(n)!;
      return [n, d.kind === 'heal' ? d.steps : d.kind === 'wait' && d.then ? d.then : [{ action: 'up', refresh: false }]];
    }),
  );
}

/** The same decision, as far as taking it goes (the messages may differ). */
const sameDecision = (a: HealDecision | undefined, b: HealDecision | undefined) => !!a && !!b && a.kind === b.kind && (a as { reason?: string }).reason === (b as { reason?: string }).reason;

/** One pass; true when every component is converged at its end. */
async function pass(engine: Engine, run: OperationRun, options: ReconcileOptions, number: number, driftFound: Set<string>): Promise<boolean> {
  const now = options.now ?? Date.now;
  engine.emit({ type: 'pass', pass: number, phase: 'start' });
  const facts = await gatherFacts(engine, run);
  const specs = new Map(engine.setup.components.map((c) => [c.name, engine.attemptsKey(c)]));
  const store = engine.records;
  const records = new Map(await Promise.all(engine.setup.components.map(async (c) => [c.name, attemptsOn(await store.attempts(c.stack), specs.get(c.name)!)] as const)));
  const decisions = decide(engine, facts, records, options, now());
  for (const [name, decision] of decisions) {
    if ('reason' in decision && decision.reason === 'Drifted') driftFound.add(name);
    records.set(name, await emitCondition(engine, name, decision, records.get(name)!, options, now()));
  }
  const final = new Map([...decisions].map(([n, d]) => [n, conditionOf(d)]));

  let todo = planned(engine, decisions);
  // A stack another environment made is never healed here (src/core/ownership.ts).
  for (const { component, reason } of await ownershipConflicts(engine, [...todo.keys()].map((n) => engine.component(n)), facts.snapshot)) {
    engine.emit({ type: 'log', level: 'error', message: `${component.name} is not healed: ${reason}` });
    todo.delete(component.name);
  }
  if (!todo.size || engine.cancelled) return [...final.values()].every((c) => c === 'ready');
  let release: (() => Promise<void>) | undefined;
  try {
    release = await (await operationLocks(engine.setup.settings)).acquire([...todo.keys()].map((n) => engine.component(n).stack), 'reconcile');
  } catch (error) {
    if (!(error instanceof StackBusyError)) throw error;
    engine.emit({ type: 'log', level: 'warn', message: `${error.message} Healing waits for the next pass.` });
    return false;
  }
  try {
    // Decide again under the locks: what someone else did meanwhile (a down, a repair) counts.
    const fresh = decide(engine, { ...facts, snapshot: await engine.snapshot() }, records, options, now());
    const changed = [...todo.keys()].filter((n) => !sameDecision(decisions.get(n), fresh.get(n)));
    if (changed.length) {
      engine.emit({ type: 'log', level: 'info', message: `${changed.join(', ')} changed since this pass looked: left for the next pass` });
      todo = planned(engine, new Map([...decisions].map(([n, d]) => [n, changed.includes(n) ? ({ kind: 'wait', reason: 'Busy', message: 'changed meanwhile' } as HealDecision) : d])));
    }
    run.plan([...todo.keys()].map((n): PlannedStep => {
      const d = decisions.get(n)!;
      return { component: n, stack: engine.component(n).stack, action: 'up', reason: d.kind === 'heal' ? `${d.reason}: ${d.message}` : 'depends on what this pass heals' };
    }));
    const outcomes = new Map<string, Outcome>();
    await runInDependencyOrder(
      [...todo.keys()],
      (n) => engine.setup.graph.dependenciesOf(n),
      async (n) => {
        const outcome = await runHeal(engine, run, n, todo.get(n)!, facts.snapshot, decisions.get(n)!.kind === 'converged');
        outcomes.set(n, outcome);
        return outcome.result;
      },
      { signal: engine.signal, concurrency: DEFAULT_CONCURRENCY, onSkip: (n, reason) => outcomes.set(n, { result: 'skipped', why: reason }) },
    );
    // Judged and recorded while the locks are held: nobody else's change is taken for ours.
    for (const [n, decision] of await judge(engine, run, [...todo.keys()], outcomes, decisions, records, options)) {
      records.set(n, await emitCondition(engine, n, decision, records.get(n)!, options, now()));
      final.set(n, conditionOf(decision));
    }
  } finally {
    await release();
  }
  await engine.publishProgress();
  return [...final.values()].every((c) => c === 'ready');
}

/** Each component's reconcile condition as the backend records hold it now. */
async function conditions(engine: Engine): Promise<Map<string, ConditionReport | undefined>> {
  return new Map(await Promise.all(engine.setup.components.map(async (c) => [c.name, (await engine.records.attempts(c.stack))?.condition] as const)));
}

/** What changed over a pass that a team wants to hear of (core/notifications.ts). */
function transitions(engine: Engine, before: ReadonlyMap<string, ConditionReport | undefined>, after: ReadonlyMap<string, ConditionReport | undefined>, driftFound: ReadonlySet<string>): Transition[] {
  return engine.setup.components.flatMap((c) => {
    const end = after.get(c.name);
    const kind = end && transitionOf(before.get(c.name), end, driftFound.has(c.name));
    return kind ? [{ kind, env: engine.setup.env, component: c.name, stack: c.stack, condition: end }] : [];
  });
}

/** Re-reads azure.yaml for the next pass; on an unusable file the loop keeps the last good one and says so. */
function reloaded(engine: Engine, options: ReconcileOptions): Engine {
  if (!options.reload) return engine;
  try {
    const next = options.reload();
    if (next.configErrors.length) {
      // Saved half-edited, say: nothing is healed with a config that is not what its author meant.
      for (const problem of next.configErrors) engine.emit({ type: 'problem', problem });
      engine.emit({ type: 'log', level: 'error', message: `${next.parsed.file} has ${next.configErrors.length} error(s); this pass uses the last good version` });
      return engine;
    }
    return engine.withSetup(next);
  } catch (error) {
    if (error instanceof ConfigError) for (const problem of error.problems) engine.emit({ type: 'problem', problem });
    engine.emit({ type: 'log', level: 'error', message: `azure.yaml cannot be used (${(error as Error).message.split('\n')[0]}); this pass uses the last good one` });
    return engine;
  }
}

export async function reconcile(root: Engine, options: ReconcileOptions): Promise<OperationResult> {
  const run = root.start('reconcile', root.setup.graph.topologicalOrder(), { once: !!options.once, heal: !!options.heal, intervalSeconds: options.intervalSeconds, maxAttempts: options.maxAttempts });
  const invalid = refuseInvalidConfig(root, run);
  if (invalid) return invalid;
  let engine = root;
  let converged = false;
  const notifier = options.notify ? webhookNotifier(options.notify, (message) => root.emit({ type: 'log', level: 'warn', message })) : undefined;
  // --wait with --once: one pass, taken once what another run holds is free (else it reports them busy, as without it).
  if (options.once && root.waitMs !== undefined) await whileHeld(root, await operationLocks(root.setup.settings), root.setup.components.map((c) => c.stack), Date.now() + root.waitMs);
  for (let n = 1; ; n++) {
    if (n > 1) engine = reloaded(engine, options);
    const before = notifier && (await conditions(engine));
    const driftFound = new Set<string>();
    converged = await pass(engine, run, options, n, driftFound);
    if (notifier) notifier.send(transitions(engine, before!, await conditions(engine), driftFound));
    if (options.metricsFile) writeMetricsFile(engine, options.metricsFile, (await engine.snapshot()).readiness);
    if (options.once || root.cancelled) {
      root.emit({ type: 'pass', pass: n, phase: 'end', converged });
      break;
    }
    const records = (await Promise.all(engine.setup.components.map((c) => engine.records.attempts(c.stack)))).filter((r): r is AttemptRecord => !!r);
    const wake = Math.max(1000, nextWakeMs(options.intervalSeconds * 1000, records, (options.now ?? Date.now)()));
    root.emit({ type: 'pass', pass: n, phase: 'end', converged, nextPassAt: new Date(Date.now() + wake).toISOString() });
    try {
      await sleep(wake, root.signal);
    } catch {
      break; // cancelled while idle
    }
  }
  await engine.publishReadiness();
  // A notification still being posted gets a while to arrive: a CronJob's pod ends with its pass.
  await notifier?.settle(15_000);
  if (root.cancelled) return run.done('cancelled', 'reconcile stopped');
  const readiness = (await engine.snapshot()).readiness;
  const notConverged = readiness.filter((r) => r.reconcile && r.reconcile.condition !== 'ready');
  const summary = converged ? 'converged' : `not converged: ${notConverged.map((r) => `${r.name} ${r.reconcile!.condition} (${r.reconcile!.reason})`).join(', ') || 'see the conditions above'}`;
  // Refused, not failed, when the data guard is all that kept it from converging (as up says).
  const onlyRefused = !converged && notConverged.length > 0 && notConverged.every((r) => r.reconcile!.reason === 'StatefulChange');
  if (onlyRefused) return run.done('refused', `${summary}: nothing that holds data was replaced; up --allow-replace consents`, 'unsafe');
  return run.done(converged ? 'succeeded' : 'failed', summary);
}
