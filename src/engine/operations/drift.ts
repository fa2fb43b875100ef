/**
 * `drift [COMPONENT...]`: a read-only refresh (`refresh --preview-only`) of each stack, several
 * at a time, that says which resources were changed or deleted outside Pulumi. It never
 * writes state and never takes a lock (Pulumi takes none for a preview-only refresh, and
 * neither do we), so it never blocks a teammate's update. Each check is recorded, keyed to
 * the deployment it was checked against, for `status` and the reconcile loop.
 */
import type { Component } from '../../core/components';
import { deploymentKey, describeDrift, type DriftCheck, type DriftChange, type DriftedResource } from '../../core/drift';
import type { OperationResult } from '../../core/events';
import { DEFAULT_CONCURRENCY } from '../../core/attempts';
import { runInDependencyOrder } from '../../core/schedule';
import type { StackState } from '../../core/state';
import { loadAutomation, loadPulumiSdk, workspaceFor } from '../automation';
import type { Engine, OperationRun, Snapshot } from '../engine';
import { keptNames } from '../keptNames';
import { programFor } from '../programs';
import { describePulumiError } from '../pulumiErrors';
import { resolveComponents } from '../setup';
import { refuseInvalidConfig } from './guard';

/** What a refresh found of a resource (its outputs event's op); undefined: as recorded. */
const CHANGE_OF: Record<string, DriftChange> = { delete: 'deleted', update: 'updated' };

const IGNORED_TYPES = /^pulumi:(pulumi:Stack|pulumi:StackReference|providers:)/;

async function checkOne(engine: Engine, run: OperationRun, component: Component, state: StackState): Promise<DriftCheck> {
  const checkedAt = new Date().toISOString();
  const base = { name: component.name, stack: component.stack, drifted: false, resources: [] as DriftedResource[], checkedAt };
  if (!state.exists) {
    run.skip(component, 'drift', 'no stack yet');
    return { ...base, note: `no stack yet: ${component.stack} does not exist` };
  }
  const started = Date.now();
  engine.emit({ type: 'step-start', component: component.name, stack: component.stack, action: 'drift', time: checkedAt });
  try {
    const auto = await loadAutomation();
    const ws = await workspaceFor(engine.setup.settings, engine.cliPath(), component, programFor(engine.setup, component, await loadPulumiSdk(), { protectData: true, kept: await keptNames(engine, component) }), 'read');
    const stack = await auto.Stack.select(component.stack, ws);
    const found = new Map<string, DriftedResource>();
    await stack.previewRefresh({
      color: 'never',
      signal: engine.signal,
      onEvent: (e) => {
        const m = e.resOutputsEvent?.metadata;
        if (!m || IGNORED_TYPES.test(m.type)) return;
        const change = CHANGE_OF[m.op];
        if (change) found.set(m.urn, { urn: m.urn, type: m.type, change });
      },
    });
    const resources = [...found.values()];
    const check: DriftCheck = { ...base, drifted: resources.length > 0, resources };
    // The check stands even when it cannot be remembered (a full disk): said, not turned into a failure.
    await engine.records.setDrift(component.stack, { drifted: check.drifted, resources, checkedAt, against: deploymentKey(state) }).catch((error: unknown) =>
      engine.emit({ type: 'log', level: 'warn', message: `${component.name}: this drift check was not recorded, so status and the tree will not show it: ${(error as Error).message}` }),
    );
    run.record('succeeded');
    engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: 'drift', result: 'succeeded', message: describeDrift(resources), durationMs: Date.now() - started });
    return check;
  } catch (error) {
    const cancelled = engine.cancelled;
    const message = cancelled ? 'cancelled' : describePulumiError(error, component.stack);
    run.record(cancelled ? 'cancelled' : 'failed');
    engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: 'drift', result: cancelled ? 'cancelled' : 'failed', message, durationMs: Date.now() - started });
    return { ...base, note: `drift check failed: ${message}` };
  }
}

/** Checks `components` (`concurrency` at once), emitting a `drift` event for each. */
export async function checkDrift(engine: Engine, run: OperationRun, components: readonly Component[], snapshot: Snapshot, concurrency = DEFAULT_CONCURRENCY): Promise<DriftCheck[]> {
  const checks = new Map<string, DriftCheck>();
  await runInDependencyOrder(
    components.map((c) => c.name),
    () => [],
    async (name) => {
      const check = await checkOne(engine, run, engine.component(name), snapshot.states.get(name)!);
      checks.set(name, check);
      return 'succeeded';
    },
    { concurrency, signal: engine.signal },
  );
  const ordered = components.flatMap((c) => (checks.has(c.name) ? [checks.get(c.name)!] : []));
  for (const check of ordered) engine.emit({ type: 'drift', ...check });
  return ordered;
}

export async function drift(engine: Engine, options: { components?: string[] } = {}): Promise<{ result: OperationResult; checks: DriftCheck[] }> {
  const run = engine.start('drift', options.components?.length ? options.components : engine.setup.graph.topologicalOrder());
  const invalid = refuseInvalidConfig(engine, run);
  if (invalid) return { result: invalid, checks: [] };
  const targets = options.components?.length ? resolveComponents(engine.setup, options.components) : engine.setup.components;
  run.plan(targets.map((c) => ({ component: c.name, stack: c.stack, action: 'drift', reason: 'read-only refresh: what changed outside Pulumi' })));
  const checks = await checkDrift(engine, run, targets, await engine.snapshot());
  await engine.publishReadiness();
  const drifted = checks.filter((c) => c.drifted);
  const failed = checks.filter((c) => c.note?.startsWith('drift check failed'));
  const summary = `${drifted.length} of ${checks.length} drifted${drifted.length ? `: ${drifted.map((c) => `${c.name} (${describeDrift(c.resources).replace('drifted: ', '')})`).join(', ')}` : ''}${failed.length ? `; ${failed.length} could not be checked` : ''}`;
  // Finding drift is what a check is for: the operation succeeded (the CLI still exits 1 on drift).
  const result: OperationResult = engine.cancelled ? 'cancelled' : failed.length ? 'failed' : 'succeeded';
  return { result: run.done(result, summary), checks };
}
