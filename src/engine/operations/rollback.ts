/**
 * `rollback COMPONENT [--to VERSION]`: re-run the component's program with the spec of its
 * last successful update before the current one (or of VERSION) — never by importing an old
 * checkpoint: data never rolls back, and the program reconciles what exists. It previews
 * first and refuses what would replace or delete a stateful resource (unless allowed), then
 * re-verifies what depends on it. azure.yaml still holds the newer spec afterwards, so status
 * shows `spec: changed`, and the summary says which lines of azure.yaml to revert.
 */
import type { Component } from '../../core/components';
import type { OperationResult } from '../../core/events';
import { operationResult, planRollback, resourceName } from '../../core/plan';
import { describeReadiness } from '../../core/readiness';
import { configForSpec, specDifferences, specHash, type Spec } from '../../core/spec';
import { resolveComponents } from '../setup';
import type { Engine, OperationRun } from '../engine';
import { runStep } from '../stackRunner';
import { guarded, refuseInvalidConfig } from './guard';
import { readUpdates } from './history';
import { previewWith } from './preview';

export interface RollbackOptions {
  to?: number;
  dryRun?: boolean;
  yes?: boolean;
  allowReplace?: boolean;
}

/** Where in azure.yaml each changed spec path is (e.g. `workspace.spec.workers.replicas` → line 12). */
function linesToRevert(engine: Engine, paths: readonly string[]): string[] {
  const yamlKey: Record<string, string> = { resourceGroup: 'resource_group', subscriptionId: 'subscription_id', localRoot: 'local' };
  return paths.map((path) => {
    const parts = path.split('.').map((p) => yamlKey[p] ?? p);
    for (let n = parts.length; n > 0; n--) {
      const range = engine.setup.parsed.locate(parts.slice(0, n));
      if (range) return `${path} (${engine.setup.parsed.file}:${range.start.line})`;
    }
    return path;
  });
}

/** The component's readiness after the rollback, and its dependents that are not ready, and those stale on what it changed. */
async function verifyDependents(engine: Engine, component: Component): Promise<{ mine: string; notReady: string[]; stale: string[] }> {
  const readiness = await engine.publishReadiness();
  const dependents = engine.setup.graph.transitiveDependentsOf(component.name).map((d) => readiness.find((x) => x.name === d)!);
  for (const r of dependents) engine.current?.verified(r);
  return {
    mine: describeReadiness(readiness.find((r) => r.name === component.name)!),
    notReady: dependents.filter((r) => r.status !== 'ready' && r.status !== 'stale').map((r) => `${r.name} ${r.status}`),
    stale: dependents.filter((r) => r.status === 'stale').map((r) => r.name),
  };
}

/**
 * Runs the component's program with `spec` (an earlier one of its own); the spec is recorded as
 * it deploys. What holds data stays protected unless `allowReplace` (the user consented).
 */
export async function applySpec(engine: Engine, run: OperationRun, component: Component, spec: Spec, allowReplace = false): Promise<{ ok: true } | { ok: false; reason: string }> {
  const restored = configForSpec(engine.setup.config, component, engine.setup.env, spec);
  if ('refused' in restored) return { ok: false, reason: restored.refused };
  const outcome = await runStep(engine.withConfig(restored.config), run, component, 'up', { allowReplace });
  return outcome.result === 'succeeded' ? { ok: true } : { ok: false, reason: outcome.message };
}

export async function rollback(engine: Engine, name: string, options: RollbackOptions = {}): Promise<OperationResult> {
  const run = engine.start('rollback', [name], { to: options.to, dryRun: !!options.dryRun });
  const invalid = refuseInvalidConfig(engine, run);
  if (invalid) return invalid;
  const [component] = resolveComponents(engine.setup, [name]);
  return guarded(engine, run, options.dryRun ? [] : [component.stack], async () => {
    const target = planRollback(await readUpdates(engine, component), options.to);
    if (typeof target === 'string') return run.done('refused', `cannot roll back ${component.name}: ${target}`, 'unsafe');
    const spec = target.spec!;
    const restored = configForSpec(engine.setup.config, component, engine.setup.env, spec);
    if ('refused' in restored) return run.done('refused', `cannot roll back ${component.name}: ${restored.refused}`, 'unsafe');
    const changes = specDifferences(spec, engine.spec(component).spec);
    run.plan([{ component: component.name, stack: component.stack, action: 'up', reason: `rollback to version ${target.version} (spec ${specHash(spec)}): ${changes.length ? `undoes ${changes.join(', ')}` : 'same spec as azure.yaml'}` }]);
    const [preview] = await previewWith(engine.withConfig(restored.config), run, [component]);
    if (preview.note) return run.done('failed', `cannot roll back ${component.name}: ${preview.note}`);
    const unsafe = preview.resources.filter((r) => r.stateful);
    if (unsafe.length && !options.allowReplace) {
      return run.done('refused', `rolling back ${component.name} would ${unsafe.map((r) => `${r.op} ${resourceName(r.urn)}`).join(', ')}, which holds data. Re-run with --allow-replace to do it anyway.`, 'unsafe');
    }
    if (options.dryRun) return run.done('succeeded', `dry run: would roll back ${component.name} to version ${target.version}`);
    if (!options.yes) return run.done('refused', `rollback re-runs ${component.stack} with the spec of version ${target.version}. Re-run with --yes to confirm.`, 'needs-confirmation');
    const applied = await applySpec(engine, run, component, spec, !!options.allowReplace);
    const after = await verifyDependents(engine, component);
    // A dependent stale on what the rollback changed is what rolling back means; the next up re-applies it.
    const result = operationResult({ cancelled: engine.cancelled, steps: run.results, ready: after.mine === 'ready' && !after.notReady.length });
    const revert = changes.length ? `; azure.yaml still holds the newer spec: revert ${linesToRevert(engine, changes).join(', ')}, or the next up applies it again` : '';
    const stale = after.stale.length ? `; stale: ${after.stale.join(', ')} (read what ${component.name} held before; \`up\` re-applies them)` : '';
    const state = `${component.name}: ${after.mine}${after.notReady.length ? `; dependents not ready: ${after.notReady.join(', ')}` : ''}${stale}`;
    return run.done(result, applied.ok ? `rolled back ${component.name} to version ${target.version}; ${state}${revert}` : `rollback of ${component.name} failed: ${applied.reason}; ${state}`);
  });
}
