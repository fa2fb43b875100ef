/**
 * `reconcile`: keeps an environment converged. Each pass reads status, checks drift and
 * health, probes pending creates, and asks the recovery ladder (src/core/heal.ts) what each
 * component needs; with `heal` it takes those steps, independent components at the same
 * time, and re-applies what depends on a healed component. Bounded: capped backoff with
 * jitter per component, a failure budget per spec, then stalled until azure.yaml changes or
 * a person repairs it. A component that is fine is never touched.
 */
import type { Component } from '../../core/components';
import { ConfigError } from '../../core/errors';
import type { HealthVerdict, OperationResult, PlannedStep } from '../../core/events';
import { conditionOf, planHeal, planPass, reportOnly, statefulChangeDecision, type HealDecision, type HealStep, type Probe } from '../../core/heal';
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
} from '../../core/reconcile';
import { sleep } from '../../core/retry';
import { runInDependencyOrder, type NodeResult } from '../../core/schedule';
import { operationLocks } from '../backends/access';
import { StackBusyError } from '../operationLock';
import type { Engine, OperationRun, Snapshot } from '../engine';
import type { Setup } from '../setup';
import { runStep } from '../stackRunner';
import { checkDrift } from './drift';
import { refuseInvalidConfig } from './guard';
import { healthResults } from './health';
import { previewOne } from './preview';
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

/** `--config FILE --env NAME`: what a person adds to a command so it means the same environment. */
function cliContext(engine: Engine): string {
  return ` --config ${engine.setup.parsed.file} --env ${engine.setup.env}`;
}

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
function emitCondition(engine: Engine, name: string, decision: HealDecision, before: AttemptRecord, options: ReconcileOptions, now: number): AttemptRecord {
  const record = decision.kind === 'converged' ? afterSuccess(before) : before;
  const report = conditionReport(decision, record, options.maxAttempts, now);
  engine.emit({ type: 'condition', component: name, condition: report.condition, reason: report.reason, message: report.message, attempt: report.attempt, maxAttempts: report.maxAttempts, ...(report.command ? { command: report.command } : {}) });
  const kept = { ...record, condition: report };
  engine.records.setAttempts(engine.component(name).stack, kept);
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
    if (!verified.ok) return { result: 'failed', why: verified.reason };
  }
  for (const step of steps) {
    if (step.action === 'up' && snapshot.states.get(name)?.exists) {
      const preview = await previewOne(engine, run, component, { refresh: step.refresh });
      const stall = statefulChangeDecision({ component, cliContext: cliContext(engine) }, preview.resources);
      if (stall) return { result: 'skipped', stall };
      if (preview.note) return { result: 'failed', why: preview.note };
      const { create, update, replace, delete: deletes } = preview.changes;
      if (onlyIfChanged && create + update + replace + deletes === 0) return { result: 'succeeded' };
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

/** One pass; true when every component is converged at its end. */
async function pass(engine: Engine, run: OperationRun, options: ReconcileOptions, number: number): Promise<boolean> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  engine.emit({ type: 'pass', pass: number, phase: 'start' });
  const facts = await gatherFacts(engine, run);
  const specs = new Map(engine.setup.components.map((c) => [c.name, engine.spec(c).hash]));
  const store = engine.records;
  const records = new Map(engine.setup.components.map((c) => [c.name, attemptsOn(store.attempts(c.stack), specs.get(c.name)!)]));
  const decisions = decide(engine, facts, records, options, now());
  for (const [name, decision] of decisions) records.set(name, emitCondition(engine, name, decision, records.get(name)!, options, now()));

  const plan = planPass(engine.setup.graph.topologicalOrder(), (n) => engine.setup.graph.dependentsOf(n), decisions);
  const todo = [...plan.heal, ...plan.reapply];
  const final = new Map([...decisions].map(([n, d]) => [n, conditionOf(d)]));
  if (todo.length && !engine.cancelled) {
    const steps = new Map<string, HealStep[]>(todo.map((n) => {
      const d = decisions.get(n)!;
      return [n, d.kind === 'heal' ? d.steps : d.kind === 'wait' && d.then ? d.then : [{ action: 'up', refresh: false }]];
    }));
    run.plan(todo.map((n): PlannedStep => ({ component: n, stack: engine.component(n).stack, action: 'up', reason: plan.heal.includes(n) ? `${(decisions.get(n) as { reason: string }).reason}: ${(decisions.get(n) as { message: string }).message}` : 'depends on what this pass heals' })));
    let release: (() => Promise<void>) | undefined;
    try {
      release = await operationLocks(engine.setup.settings).acquire(todo.map((n) => engine.component(n).stack), 'reconcile');
    } catch (error) {
      if (!(error instanceof StackBusyError)) throw error;
      engine.emit({ type: 'log', level: 'warn', message: `${error.message} Healing waits for the next pass.` });
    }
    if (release) {
      const outcomes = new Map<string, Awaited<ReturnType<typeof runHeal>>>();
      try {
        await runInDependencyOrder(
          todo,
          (n) => engine.setup.graph.dependenciesOf(n),
          async (n) => {
            const outcome = await runHeal(engine, run, n, steps.get(n)!, facts.snapshot, decisions.get(n)!.kind === 'converged');
            outcomes.set(n, outcome);
            return outcome.result;
          },
          { signal: engine.signal, concurrency: DEFAULT_CONCURRENCY, onSkip: (n, reason) => outcomes.set(n, { result: 'skipped', why: reason }) },
        );
      } finally {
        await release();
      }
      const after = await engine.snapshot();
      for (const n of todo) {
        const r = after.readiness.find((x) => x.name === n)!;
        const outcome = outcomes.get(n) ?? { result: 'skipped' as const, why: 'not started' };
        let record = records.get(n)!;
        let decision: HealDecision;
        if (outcome.stall) {
          decision = outcome.stall;
        } else if (outcome.result === 'succeeded' && r.status === 'ready' && r.spec !== 'changed') {
          record = afterSuccess(record);
          decision = { kind: 'converged' };
        } else if (engine.cancelled || (outcome.result === 'skipped' && !plan.heal.includes(n))) {
          continue;
        } else {
          const why = outcome.why ?? describeReadiness(r);
          record = afterFailure(record, why, now(), backoffFor(options.intervalSeconds * 1000), random);
          decision = record.failures >= options.maxAttempts
            ? { kind: 'needs-person', reason: 'FailureBudgetSpent', message: `${record.failures} attempt${record.failures === 1 ? '' : 's'} failed on this spec (last: ${why}); not retrying until azure.yaml changes or a person repairs it`, command: `mops-infra repair ${n}${cliContext(engine)}` }
            : { kind: 'wait', reason: 'RetryingAfterFailure', message: `attempt ${record.failures} of ${options.maxAttempts} failed: ${why}; next at ${record.nextAttemptAt}` };
        }
        records.set(n, emitCondition(engine, n, decision, record, options, now()));
        final.set(n, conditionOf(decision));
      }
      await engine.publishProgress();
    }
  }
  const converged = [...final.values()].every((c) => c === 'ready');
  return converged;
}

/** Re-reads azure.yaml for the next pass; on an unusable file the loop keeps the last good one and says so. */
function reloaded(engine: Engine, options: ReconcileOptions): Engine {
  if (!options.reload) return engine;
  try {
    return engine.withSetup(options.reload());
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
  for (let n = 1; ; n++) {
    if (n > 1) engine = reloaded(engine, options);
    converged = await pass(engine, run, options, n);
    if (options.once || root.cancelled) {
      root.emit({ type: 'pass', pass: n, phase: 'end', converged });
      break;
    }
    const records = engine.setup.components.map((c) => engine.records.attempts(c.stack)).filter((r): r is AttemptRecord => !!r);
    const wake = Math.max(1000, nextWakeMs(options.intervalSeconds * 1000, records, (options.now ?? Date.now)()));
    root.emit({ type: 'pass', pass: n, phase: 'end', converged, nextPassAt: new Date(Date.now() + wake).toISOString() });
    try {
      await sleep(wake, root.signal);
    } catch {
      break; // cancelled while idle
    }
  }
  await engine.publishReadiness();
  if (root.cancelled) return run.done('cancelled', 'reconcile stopped');
  const readiness = (await engine.snapshot()).readiness;
  const notConverged = readiness.filter((r) => r.reconcile && r.reconcile.condition !== 'ready');
  const summary = converged ? 'converged' : `not converged: ${notConverged.map((r) => `${r.name} ${r.reconcile!.condition} (${r.reconcile!.reason})`).join(', ') || 'see the conditions above'}`;
  return run.done(converged ? 'succeeded' : 'failed', summary);
}
