/**
 * `up`: runs the plan core makes (src/core/plan.ts): provision in dependency order,
 * skipping what is ready; independent components at the same time; dependents of a
 * failure are not started. With force-recreate, first destroy what the plan names
 * (the components asked for and their dependents, dependents first), after confirmation.
 */
import type { OperationResult, PlannedStep } from '../../core/events';
import { liveLockReason, lockRefusal, needsRecovery, operationResult, planForceRecreate, planUp, unconfirmedDestroys } from '../../core/plan';
import { describeReadiness, type ComponentReadiness } from '../../core/readiness';
import { runInDependencyOrder, type NodeOutcome, type NodeResult } from '../../core/schedule';
import { resolveComponents } from '../setup';
import { keepBundleEnv } from './bundleEnv';
import { mergeKubeContext } from './kubeContext';
import type { Engine, OperationRun, Snapshot } from '../engine';
import { guardedUp, lookBeforeUp } from './dataGuard';
import { guarded, refuseInvalidConfig } from './guard';
import { recover } from './recover';
import { settleAndDestroy } from './down';
import { readUpdates } from './history';
import { applySpec } from './rollback';
import { verifyDependency } from './verify';
import { recheckBefore, runPreflight } from './preflight';
import { preflightRefusal, type PreflightCheck } from '../../core/preflight';
import { faultCause } from '../../core/config/faults';
import { describeChanged, readsUnchanged, staleUses } from '../../core/freshness';
import type { StackState } from '../../core/state';
import { producerStates } from '../freshness';

export interface UpOptions {
  /** Only these components (and what they depend on); default all. */
  components?: string[];
  forceRecreate?: boolean;
  /** Confirms force-recreate's destruction. */
  yes?: boolean;
  /** Emit the plan and stop. */
  dryRun?: boolean;
  /** When a component fails, put back the specs of what this up already changed, newest first. */
  rollbackOnFailure?: boolean;
  /** Check the subscription before creating anything on Azure (default true). */
  preflight?: boolean;
  /** Consent to replacing or deleting what holds data (src/core/dataGuard.ts). */
  allowReplace?: boolean;
  /** Keep ~/.modelops/bundle-env/<env>.yaml current (default true; engine/operations/bundleEnv.ts). */
  bundleEnv?: boolean;
  /** Merge the cluster's context into the kubeconfig after a cluster up (default true; engine/operations/kubeContext.ts). */
  kubeContext?: boolean;
}

/**
 * Puts back, newest first, the spec each component this up changed had before it: the ones
 * whose up succeeded in this run and whose stack had recorded a different spec before.
 */
async function rollBackChanged(engine: Engine, run: OperationRun, succeeded: readonly string[], before: ReadonlyMap<string, string | undefined>): Promise<string[]> {
  const done: string[] = [];
  for (const name of [...succeeded].reverse()) {
    const component = engine.component(name);
    const previous = before.get(name);
    if (!previous || previous === engine.spec(component).hash) continue;
    const target = (await readUpdates(engine, component)).find((u) => u.kind === 'update' && u.result === 'succeeded' && u.specHash === previous && u.spec);
    if (!target) continue;
    const applied = await applySpec(engine, run, component, target.spec!);
    done.push(applied.ok ? `${name} (to version ${target.version})` : `${name} (FAILED: ${applied.reason})`);
  }
  return done;
}

/** One up's run: what provisionOne reads and what it reports back. */
interface UpRun {
  engine: Engine;
  run: OperationRun;
  snapshot: Snapshot;
  allowReplace: boolean;
  /** Components force recreate keeps and already looked at: not previewed a second time. */
  looked: ReadonlySet<string>;
  checks: readonly PreflightCheck[];
  steps: ReadonlyMap<string, PlannedStep>;
  /** What the data guard refused, by component, in the order it refused them. */
  refusals: Map<string, string>;
  /** Why a dependent was re-applied: what it reads that changed (`storage's connection_string changed`). */
  reapplied: Map<string, string>;
  /** Steps taken only because a dependency ran, whose reads did not change: not re-applied. */
  unchanged: Set<string>;
}

/**
 * Whether to re-apply `name` for what it reads: records why when an output it read changed;
 * false when the step is only for a dependency that ran and provably nothing it reads changed.
 */
async function mustApply(u: UpRun, name: string, state: StackState): Promise<boolean> {
  const component = u.engine.component(name);
  const step = u.steps.get(name);
  // A dependency it reads nothing from (depends_on alone) gives no record to judge by: re-applied, as before records.
  if (step?.ifReadsChanged?.some((d) => !component.uses.some((u) => u.from === d))) return true;
  if (!component.uses.length) return !step?.ifReadsChanged;
  const now = await producerStates(u.engine, component);
  const changed = staleUses(component, state, now);
  if (changed.length) u.reapplied.set(name, describeChanged(changed));
  return !step?.ifReadsChanged || changed.length > 0 || !readsUnchanged(component, state, now);
}

async function provisionOne(u: UpRun, name: string): Promise<NodeResult> {
  const { engine, run, snapshot } = u;
  const component = engine.component(name);
  for (const dep of engine.setup.graph.dependenciesOf(name)) {
    const verified = await verifyDependency(engine, component, engine.component(dep));
    if (!verified.ok) return run.skip(component, 'up', `not started: ${verified.reason}`);
  }
  const state = snapshot.states.get(name)!;
  if (!(await mustApply(u, name, state))) {
    u.unchanged.add(name);
    run.skip(component, 'up', `ready: what it reads from ${u.steps.get(name)!.ifReadsChanged!.join(', ')} is unchanged; not re-applied`);
    return 'succeeded';
  }
  const refusal = await recheckBefore(engine, name, u.checks);
  if (refusal) return run.skip(component, 'up', `not started: ${refusal}. Nothing of it was created; --skip-preflight goes ahead anyway.`, 'failed');
  const live = liveLockReason(component, state);
  if (live) return run.skip(component, 'up', live, 'failed');
  if (needsRecovery(state)) {
    const recovered = await recover(engine, run, component, state, false);
    if (recovered.result !== 'succeeded') return recovered.result === 'cancelled' ? 'cancelled' : 'failed';
  }
  // What drifted is refreshed first, so what was deleted outside Pulumi is created again.
  const drifted = snapshot.readiness.find((r) => r.name === name)?.drift?.state === 'drifted';
  const outcome = await guardedUp(engine, run, component, state, { refresh: drifted, allowReplace: u.allowReplace, looked: u.looked.has(name) });
  if (outcome.refused) u.refusals.set(name, outcome.refused);
  return outcome.result;
}

/** Runs steps in dependency order (`waitsFor`), skipping what waits on a step that did not succeed. */
function runSteps(engine: Engine, run: OperationRun, steps: readonly PlannedStep[], waitsFor: (n: string) => readonly string[], body: (n: string) => Promise<NodeResult>): Promise<Map<string, NodeOutcome>> {
  const action = new Map(steps.map((s) => [s.component, s.action]));
  return runInDependencyOrder(steps.map((s) => s.component), waitsFor, body, {
    signal: engine.signal,
    onSkip: (n, reason) => void run.skip(engine.component(n), action.get(n)!, reason),
  });
}

function summarizeUp(u: UpRun, steps: PlannedStep[], outcomes: Map<string, NodeOutcome>, readiness: ComponentReadiness[]): string {
  const ran = steps.filter((s) => s.action === 'up' && !u.unchanged.has(s.component));
  const count = (r: string): number => ran.filter((s) => outcomes.get(s.component)?.result === r).length;
  const notReady = readiness.filter((r) => r.status !== 'ready');
  const parts = [`${count('succeeded')} provisioned`, `${steps.length - ran.length} already ready`];
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (count('skipped')) parts.push(`${count('skipped')} not started`);
  if (count('cancelled')) parts.push(`${count('cancelled')} cancelled`);
  const because = (r: ComponentReadiness) => {
    const cause = faultCause(u.engine.setup.parsed, r.name, r);
    return cause ? ` — ${cause}` : '';
  };
  // A step that failed before it changed anything leaves stacks ready from before: "all ready" beside "1 failed" reads as a contradiction.
  const unfinished = count('failed') + count('skipped') + count('cancelled');
  const allReady = unfinished ? '; every component still reads ready, from before this run' : '; all ready';
  const tail = notReady.length ? `; not ready: ${notReady.map((r) => `${r.name} (${describeReadiness(r)}${because(r)})`).join(', ')}` : allReady;
  const reapplied = [...u.reapplied].filter(([name]) => outcomes.get(name)?.result === 'succeeded').map(([name, why]) => `re-applied ${name}: ${why}`);
  return [parts.join(', ') + tail, ...reapplied].join('; ');
}

function plansFor(engine: Engine, snapshot: Snapshot, names: string[], forceRecreate: boolean): { destroy: PlannedStep[]; up: PlannedStep[] } {
  const input = engine.planInput(snapshot);
  return forceRecreate ? planForceRecreate(input, names) : { destroy: [], up: planUp(input, names) };
}

export async function up(engine: Engine, options: UpOptions = {}): Promise<OperationResult> {
  const run = engine.start('up', options.components?.length ? options.components : engine.setup.graph.topologicalOrder(), { forceRecreate: !!options.forceRecreate, dryRun: !!options.dryRun });
  const invalid = refuseInvalidConfig(engine, run);
  if (invalid) return invalid;
  const names = resolveComponents(engine.setup, options.components ?? []).map((c) => c.name);
  const first = await engine.snapshot();
  const planned = plansFor(engine, first, names, !!options.forceRecreate);
  const stacks = options.dryRun ? [] : planned.up.map((s) => s.stack);
  return guarded(engine, run, stacks, async () => {
    // Plan again under the locks: what another process did meanwhile counts.
    let snapshot = options.dryRun ? first : await engine.snapshot();
    const { destroy, up: ups } = options.dryRun ? planned : plansFor(engine, snapshot, names, !!options.forceRecreate);
    run.plan([...destroy, ...ups]);
    if (options.dryRun) return run.done('succeeded', 'dry run: nothing was changed');
    // A stack that another live process holds is not ours to touch: refused, as repair and down are.
    const held = [...destroy, ...ups].filter((s) => s.action !== 'skip').flatMap((s) => {
      const state = snapshot.states.get(s.component)!;
      const reason = liveLockReason(engine.component(s.component), state);
      return reason ? [{ reason, refusal: lockRefusal(state) }] : [];
    });
    if (held.length) return run.done('refused', held.map((h) => h.reason).join(' '), held.some((h) => h.refusal === 'looks-dead') ? 'looks-dead' : 'busy');
    const unconfirmed = unconfirmedDestroys(destroy, !!options.yes, 'force-recreate');
    if (unconfirmed) return run.done('refused', unconfirmed, 'needs-confirmation');
    // Before anything is created on Azure: what the subscription would refuse is said now, not ten minutes in.
    const creating = new Set(ups.filter((s) => s.action === 'up' && (destroy.some((d) => d.component === s.component) || !snapshot.states.get(s.component)?.exists)).map((s) => s.component));
    const checks = creating.size && options.preflight !== false ? await runPreflight(engine, snapshot, creating) : [];
    const refusal = preflightRefusal(checks);
    if (refusal) return run.done('refused', `${refusal}. Nothing was changed; --skip-preflight goes ahead anyway.`, 'preflight-failed');
    // Components force recreate keeps and already looked at: not previewed a second time.
    const looked = new Set<string>();
    if (destroy.length) {
      // What is kept and updated again is looked at before anything is destroyed: a refusal there must not leave the recreated ones gone.
      const recreated = new Set(destroy.map((s) => s.component));
      const kept = ups.filter((s) => s.action === 'up' && !recreated.has(s.component));
      const looks = await Promise.all(kept.map((s) => lookBeforeUp(engine, run, engine.component(s.component), snapshot.states.get(s.component)!, { allowReplace: !!options.allowReplace, ahead: true })));
      const stopped = looks.flatMap((l) => (l ? [l.refused ?? l.message] : []));
      const onlyRefused = looks.every((l) => !l || l.refused);
      if (stopped.length) return run.done(onlyRefused ? 'refused' : 'failed', `${stopped.join(' ')} Nothing was destroyed.`, onlyRefused ? 'unsafe' : undefined);
      for (const s of kept) looked.add(s.component);
      // Reverse edges: a component is destroyed after everything that depends on it.
      const destroyed = await runSteps(engine, run, destroy, (n) => engine.setup.graph.dependentsOf(n), async (n) => (await settleAndDestroy(engine, run, engine.component(n), snapshot.states.get(n)!)).result);
      if ([...destroyed.values()].some((o) => o.result !== 'succeeded')) {
        const readiness = await engine.publishReadiness();
        return run.done(engine.cancelled ? 'cancelled' : 'failed', `destroy did not complete; nothing was provisioned. ${readiness.filter((r) => r.status !== 'absent').map((r) => `${r.name}: ${r.status}`).join(', ')}`);
      }
      snapshot = await engine.snapshot();
    }
    const toRun = ups.filter((s) => s.action === 'up');
    const specsBefore = new Map(toRun.map((s) => [s.component, snapshot.states.get(s.component)?.deployedSpecHash]));
    const u: UpRun = { engine, run, snapshot, allowReplace: !!options.allowReplace, looked, checks, steps: new Map(toRun.map((s) => [s.component, s])), refusals: new Map(), reapplied: new Map(), unchanged: new Set() };
    const outcomes = await runSteps(engine, run, toRun, (n) => engine.setup.graph.dependenciesOf(n), (n) => provisionOne(u, n));
    const refusals = u.refusals;
    const provisioned = [...outcomes].filter(([name, o]) => o.result === 'succeeded' && !u.unchanged.has(name));
    // What a person brought up is no longer the reconcile loop's to retry or hold stalled.
    await Promise.all(provisioned.map(([name]) => engine.records.clearAttempts(engine.component(name).stack)));
    const failedAny = [...outcomes.values()].some((o) => o.result === 'failed');
    const rolledBack = options.rollbackOnFailure && failedAny && !engine.cancelled
      ? await rollBackChanged(engine, run, provisioned.map(([name]) => name), specsBefore)
      : [];
    const readiness = await engine.publishReadiness();
    const targets = new Set(ups.map((s) => s.component));
    const targetReadiness = readiness.filter((r) => targets.has(r.name));
    const result = operationResult({ cancelled: engine.cancelled, steps: run.results, ready: targetReadiness.every((r) => r.status === 'ready') });
    const rollbackNote = options.rollbackOnFailure && failedAny ? `; rolled back: ${rolledBack.length ? rolledBack.join(', ') : 'nothing this up had changed'}` : '';
    const changed = provisioned.map(([name]) => name);
    const bundleNote = options.bundleEnv === false ? undefined : await keepBundleEnv(engine, changed);
    const kubeNote = options.kubeContext === false ? undefined : await mergeKubeContext(engine, changed);
    const summary = summarizeUp(u, ups, outcomes, targetReadiness) + rollbackNote + [bundleNote, kubeNote].map((n) => (n ? `; ${n}` : '')).join('');
    // Refused, not failed, when refusing is all that kept it from converging.
    const refused = [...refusals.values()].join(' ');
    if (refusals.size && result !== 'cancelled' && !failedAny) return run.done('refused', `${refused} — ${summary}`, 'unsafe');
    return run.done(result, refusals.size ? `${summary}; refused: ${refused}` : summary);
  }, first);
}
