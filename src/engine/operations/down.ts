/**
 * `down [COMPONENT...]`: the plan core makes (src/core/plan.ts planDown) — destroy in
 * reverse dependency order, independent stacks at the same time, nothing that is depended
 * on by what stays — after confirmation. The stacks and their history stay: destroyed
 * stacks read `absent`.
 */
import type { OperationResult } from '../../core/events';
import type { Component } from '../../core/components';
import { needsRecovery, operationResult, planDown, unconfirmedDestroys, type DownOptions } from '../../core/plan';
import type { StackState } from '../../core/state';
import { runInDependencyOrder } from '../../core/schedule';
import { resolveComponents } from '../setup';
import { keepBundleEnv } from './bundleEnv';
import { clusterContextBeforeDown, pruneKubeContext } from './kubeContext';
import type { Engine, OperationRun, Snapshot } from '../engine';
import { runStep, type StepOutcome } from '../stackRunner';
import { recover } from './recover';
import { guarded, refuseInvalidConfig } from './guard';

export interface DownRunOptions extends DownOptions {
  components?: string[];
  yes?: boolean;
  dryRun?: boolean;
  /** Keep ~/.modelops/bundle-env/<env>.yaml current (default true; engine/operations/bundleEnv.ts). */
  bundleEnv?: boolean;
  /** Remove the cluster's context from the kubeconfig after a cluster down (default true; engine/operations/kubeContext.ts). */
  kubeContext?: boolean;
}

/**
 * Destroys a stack, first settling what an interrupted run left on it (a lock of a dead process,
 * pending operations), so a down killed part-way is finished by the next one, never undone.
 */
export async function settleAndDestroy(engine: Engine, run: OperationRun, component: Component, state: StackState): Promise<StepOutcome> {
  if (needsRecovery(state)) {
    const settled = await recover(engine, run, component, state, false);
    if (settled.result !== 'succeeded') return settled;
  }
  return runStep(engine, run, component, 'destroy');
}

async function forgetRecreates(engine: Engine, names: readonly string[], snapshot: Snapshot, destroying: ReadonlySet<string>): Promise<void> {
  const asked = names.length ? names : engine.setup.graph.topologicalOrder();
  const owed = asked.filter((n) => !destroying.has(n) && snapshot.states.get(n)?.destroyIntent === 'force-recreate');
  await Promise.all(owed.map((n) => engine.records.clearDestroyIntent(engine.component(n).stack)));
}

export async function down(engine: Engine, options: DownRunOptions = {}): Promise<OperationResult> {
  const run = engine.start('down', options.components?.length ? options.components : engine.setup.graph.topologicalOrder(), { all: !!options.all, withDependents: !!options.withDependents, dryRun: !!options.dryRun });
  const invalid = refuseInvalidConfig(engine, run);
  if (invalid) return invalid;
  const names = resolveComponents(engine.setup, options.components ?? []).map((c) => c.name);
  const seen = await engine.snapshot();
  const planned = planDown(engine.planInput(seen), names, options);
  if ('refused' in planned) return run.done('refused', planned.refused, 'unsafe');
  return guarded(engine, run, options.dryRun ? [] : planned.destroy.map((s) => s.stack), async () => {
    const snapshot = options.dryRun ? seen : await engine.snapshot();
    const plan = options.dryRun ? planned : planDown(engine.planInput(snapshot), names, options);
    if ('refused' in plan) return run.done('refused', plan.refused, 'unsafe');
    run.plan(plan.destroy);
    const keptNote = plan.kept.length ? `; kept (they hold data; name them or use --all): ${plan.kept.join(', ')}` : '';
    // Asked down and already gone: a force recreate that destroyed it is no longer owed its up.
    if (!options.dryRun) await forgetRecreates(engine, names, snapshot, new Set(plan.destroy.map((s) => s.component)));
    if (!plan.destroy.length) return run.done('succeeded', `nothing to destroy${keptNote}`);
    if (options.dryRun) return run.done('succeeded', `dry run: would destroy ${plan.destroy.map((s) => s.stack).join(', ')}${keptNote}`);
    const unconfirmed = unconfirmedDestroys(plan.destroy, !!options.yes, 'down');
    if (unconfirmed) return run.done('refused', unconfirmed, 'needs-confirmation');
    const order = plan.destroy.map((s) => s.component);
    const context = options.kubeContext === false ? undefined : await clusterContextBeforeDown(engine, order);
    const outcomes = await runInDependencyOrder(order, (n) => engine.setup.graph.dependentsOf(n), async (n) => (await settleAndDestroy(engine, run, engine.component(n), snapshot.states.get(n)!)).result, {
      signal: engine.signal,
      onSkip: (n, reason) => void run.skip(engine.component(n), 'destroy', reason),
    });
    const readiness = await engine.publishReadiness();
    const gone = readiness.filter((r) => order.includes(r.name) && r.status === 'absent').map((r) => r.name);
    const result = operationResult({ cancelled: engine.cancelled, steps: run.results, ready: gone.length === order.length });
    const failed = [...outcomes].filter(([, o]) => o.result !== 'succeeded').map(([n, o]) => `${n} (${o.result})`);
    const destroyed = [...outcomes].filter(([, o]) => o.result === 'succeeded').map(([n]) => n);
    const bundleNote = options.bundleEnv === false ? undefined : await keepBundleEnv(engine, destroyed);
    const kubeNote = pruneKubeContext(context, destroyed);
    return run.done(result, `${gone.length} destroyed${failed.length ? `, not destroyed: ${failed.join(', ')}` : ''}${keptNote}${[bundleNote, kubeNote].map((n) => (n ? `; ${n}` : '')).join('')}`);
  }, seen);
}
