/**
 * `repair <component>`: clear a stale lock whose owner is dead, refresh with
 * pending creates cleared, provision, then re-verify its dependents.
 */
import type { OperationResult } from '../../core/events';
import { resolveComponents } from '../context';
import type { Engine } from '../engine';
import { runStep } from '../stackRunner';
import { guarded } from './guard';
import { liveLockReason, recover } from './recover';
import { verifyDependency } from './verify';

export async function repair(engine: Engine, name: string): Promise<OperationResult> {
  const [component] = resolveComponents(engine.ctx, [name]);
  const started = engine.start('repair', [component.name]);
  return guarded(engine, 'repair', started, [component.stack], async () => {
    const { states } = await engine.snapshot();
    const state = states.get(component.name)!;
    const live = liveLockReason(component, state);
    if (live) return engine.done('repair', started, 'refused', live);
    const dependents = engine.ctx.graph.transitiveDependentsOf(component.name);
    engine.plan('repair', [
      ...(state.lock ? [{ component: component.name, stack: component.stack, action: 'clear-lock' as const, reason: 'lock left by a dead process' }] : []),
      ...(state.exists ? [{ component: component.name, stack: component.stack, action: 'refresh' as const, reason: 'sync state, clear pending operations' }] : []),
      { component: component.name, stack: component.stack, action: 'up', reason: 'provision' },
      ...dependents.map((d) => ({ component: d, stack: engine.component(d).stack, action: 'verify' as const, reason: `depends on ${component.name}` })),
    ]);
    for (const dep of engine.ctx.graph.dependenciesOf(component.name)) {
      const verified = await verifyDependency(engine, component, engine.component(dep));
      if (!verified.ok) return engine.done('repair', started, 'refused', `cannot repair ${component.name}: ${verified.reason}. Repair ${dep} first.`);
    }
    const recovered = await recover(engine, component, state, true);
    const provisioned = recovered.result === 'succeeded' ? await runStep(engine, component, 'up') : recovered;
    const readiness = await engine.publishReadiness();
    for (const d of dependents) {
      const r = readiness.find((x) => x.name === d)!;
      engine.emit({ type: 'step-done', component: d, stack: r.stack, action: 'verify', result: r.status === 'ready' ? 'succeeded' : 'failed', message: r.status === 'ready' ? 'ready' : `${r.status}: ${r.reason}`, durationMs: 0 });
    }
    const mine = readiness.find((r) => r.name === component.name)!;
    const result: OperationResult = engine.signal?.aborted ? 'cancelled' : mine.status === 'ready' ? 'succeeded' : 'failed';
    const notReadyDependents = readiness.filter((r) => dependents.includes(r.name) && r.status !== 'ready');
    const summary =
      `${component.name} is ${mine.status}${mine.reason ? ` (${mine.reason})` : ''}` +
      (provisioned.result !== 'succeeded' ? `; ${provisioned.message}` : '') +
      (dependents.length ? `; dependents: ${notReadyDependents.length ? notReadyDependents.map((r) => `${r.name} ${r.status}`).join(', ') : 'all ready'}` : '');
    return engine.done('repair', started, result, summary);
  });
}
