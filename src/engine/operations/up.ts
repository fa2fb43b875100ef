/**
 * `up`: provision in dependency order, skipping what is already ready;
 * independent components run at the same time; dependents of a failure are not
 * started. With force-recreate, destroy in reverse dependency order first
 * (only after confirmation).
 */
import type { Component } from '../../core/components';
import type { OperationResult, PlannedStep } from '../../core/events';
import type { ComponentReadiness } from '../../core/readiness';
import { ownStatus } from '../../core/readiness';
import { runInDependencyOrder, type NodeOutcome, type NodeResult } from '../../core/schedule';
import { resolveComponents } from '../context';
import type { Engine, Snapshot } from '../engine';
import { runStep } from '../stackRunner';
import { guarded } from './guard';
import { liveLockReason, needsRecovery, recover } from './recover';
import { verifyDependency } from './verify';

export interface UpOptions {
  /** Only these components (and what they depend on); default all. */
  components?: string[];
  forceRecreate?: boolean;
  /** Confirms force-recreate's destruction. */
  yes?: boolean;
  /** Emit the plan and stop. */
  dryRun?: boolean;
}

function targetsOf(engine: Engine, names?: string[]): Component[] {
  if (!names?.length) return engine.ctx.components;
  const wanted = new Set(resolveComponents(engine.ctx, names).flatMap((c) => [c.name, ...engine.ctx.graph.transitiveDependenciesOf(c.name)]));
  return engine.ctx.graph.restrictTo(wanted).map((n) => engine.component(n));
}

/** A component runs when it is not ready itself or when something it depends on runs. */
export function upSteps(engine: Engine, targets: readonly Component[], snapshot: Snapshot, forceRecreate: boolean): PlannedStep[] {
  const runs = new Set<string>();
  return targets.map((c) => {
    const own = ownStatus(c, snapshot.states.get(c.name)!);
    const rerunDep = engine.ctx.graph.dependenciesOf(c.name).find((d) => runs.has(d));
    const reason = forceRecreate ? 'recreate' : own.status !== 'ready' ? `${own.status}${own.reason ? `: ${own.reason}` : ''}` : rerunDep ? `${rerunDep} is provisioned again` : '';
    if (reason) runs.add(c.name);
    return { component: c.name, stack: c.stack, action: reason ? 'up' : 'skip', reason: reason || 'ready' };
  });
}

export function destroySteps(engine: Engine, targets: readonly Component[], snapshot: Snapshot): PlannedStep[] {
  const inTargets = new Set(targets.map((c) => c.name));
  return engine.ctx.graph
    .teardownOrder()
    .filter((n) => inTargets.has(n) && snapshot.states.get(n)?.exists)
    .map((n) => ({ component: n, stack: engine.component(n).stack, action: 'destroy' as const, reason: 'force-recreate' }));
}

async function provisionOne(engine: Engine, component: Component, snapshot: Snapshot): Promise<NodeResult> {
  for (const dep of engine.ctx.graph.dependenciesOf(component.name)) {
    const verified = await verifyDependency(engine, component, engine.component(dep));
    if (!verified.ok) {
      engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: 'up', result: 'skipped', message: `not started: ${verified.reason}`, durationMs: 0 });
      return 'skipped';
    }
  }
  const state = snapshot.states.get(component.name)!;
  const live = liveLockReason(component, state);
  if (live) {
    engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: 'up', result: 'failed', message: live, durationMs: 0 });
    return 'failed';
  }
  if (needsRecovery(state)) {
    const recovered = await recover(engine, component, state, false);
    if (recovered.result !== 'succeeded') return recovered.result === 'cancelled' ? 'cancelled' : 'failed';
  }
  return (await runStep(engine, component, 'up')).result;
}

async function destroyAll(engine: Engine, steps: PlannedStep[]): Promise<boolean> {
  const names = steps.map((s) => s.component);
  // Reverse edges: a component is destroyed after everything that depends on it.
  const outcomes = await runInDependencyOrder(names, (n) => engine.ctx.graph.dependentsOf(n), async (n) => (await runStep(engine, engine.component(n), 'destroy')).result, {
    signal: engine.signal,
    onSkip: (n, reason) => engine.emit({ type: 'step-done', component: n, stack: engine.component(n).stack, action: 'destroy', result: 'skipped', message: reason, durationMs: 0 }),
  });
  return [...outcomes.values()].every((o) => o.result === 'succeeded');
}

function summarizeUp(steps: PlannedStep[], outcomes: Map<string, NodeOutcome>, readiness: ComponentReadiness[]): string {
  const ran = steps.filter((s) => s.action === 'up');
  const count = (r: string): number => ran.filter((s) => outcomes.get(s.component)?.result === r).length;
  const notReady = readiness.filter((r) => r.status !== 'ready');
  const parts = [`${count('succeeded')} provisioned`, `${steps.length - ran.length} already ready`];
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (count('skipped')) parts.push(`${count('skipped')} not started`);
  if (count('cancelled')) parts.push(`${count('cancelled')} cancelled`);
  const tail = notReady.length ? `; not ready: ${notReady.map((r) => `${r.name} (${r.status}${r.reason ? `: ${r.reason}` : ''})`).join(', ')}` : '; all ready';
  return parts.join(', ') + tail;
}

export async function up(engine: Engine, options: UpOptions = {}): Promise<OperationResult> {
  const targets = targetsOf(engine, options.components);
  const started = engine.start('up', targets.map((c) => c.name), { forceRecreate: !!options.forceRecreate, dryRun: !!options.dryRun });
  return guarded(engine, 'up', started, options.dryRun ? [] : targets.map((c) => c.stack), async () => {
    let snapshot = await engine.snapshot();
    const destroys = options.forceRecreate ? destroySteps(engine, targets, snapshot) : [];
    const ups = upSteps(engine, targets, snapshot, !!options.forceRecreate);
    engine.plan('up', [...destroys, ...ups]);
    if (options.dryRun) return engine.done('up', started, 'succeeded', 'dry run: nothing was changed');
    if (destroys.length && !options.yes) {
      return engine.done('up', started, 'refused', `force-recreate destroys ${destroys.map((s) => s.stack).join(', ')} (in this order). Re-run with --yes to confirm.`);
    }
    if (destroys.length && !(await destroyAll(engine, destroys))) {
      const readiness = await engine.publishReadiness();
      const result = engine.signal?.aborted ? 'cancelled' : 'failed';
      return engine.done('up', started, result, `destroy did not complete; nothing was provisioned. ${readiness.filter((r) => r.status !== 'absent').map((r) => `${r.name}: ${r.status}`).join(', ')}`);
    }
    if (destroys.length) snapshot = await engine.snapshot();
    const toRun = ups.filter((s) => s.action === 'up').map((s) => s.component);
    const outcomes = await runInDependencyOrder(toRun, (n) => engine.ctx.graph.dependenciesOf(n), (n) => provisionOne(engine, engine.component(n), snapshot), {
      signal: engine.signal,
      onSkip: (n, reason) => engine.emit({ type: 'step-done', component: n, stack: engine.component(n).stack, action: 'up', result: 'skipped', message: reason, durationMs: 0 }),
    });
    const readiness = await engine.publishReadiness();
    const targetReadiness = readiness.filter((r) => targets.some((t) => t.name === r.name));
    const result: OperationResult = engine.signal?.aborted ? 'cancelled' : targetReadiness.every((r) => r.status === 'ready') ? 'succeeded' : 'failed';
    return engine.done('up', started, result, summarizeUp(ups, outcomes, targetReadiness));
  });
}
