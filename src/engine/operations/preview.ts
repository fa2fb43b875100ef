/**
 * `preview [COMPONENT...]`: a real `pulumi preview` of each component an up would touch,
 * all at once, with the spec azure.yaml gives now. Read-only: it takes no lock, records no
 * spec and never creates a stack. A component whose stack does not exist yet, or whose
 * dependencies do not have the outputs it reads, is not previewed and says why.
 */
import type { Component } from '../../core/components';
import type { ComponentPreview, OperationResult } from '../../core/events';
import { changeCounts, describeChanges, noChanges, resourceName, upScope } from '../../core/plan';
import { ownStatus } from '../../core/readiness';
import { loadAutomation, loadPulumiSdk, workspaceFor } from '../automation';
import { resolveComponents } from '../setup';
import type { Engine, OperationRun, Snapshot } from '../engine';
import { keptNames } from '../keptNames';
import { programFor } from '../programs';
import { plannedChanges } from '../plannedChanges';
import { describePulumiError } from '../pulumiErrors';
import { refuseInvalidConfig } from './guard';
import { outputChanges, outputsReadByOthers, reachOf } from '../../core/freshness';
import type { StackState } from '../../core/state';
import { digestKeyFor } from '../freshness';

/** What keeps a component from being previewed, if anything. */
function blockedBy(engine: Engine, component: Component, snapshot: Snapshot): string | undefined {
  const state = snapshot.states.get(component.name)!;
  if (state.unreadable) return `cannot be previewed: ${state.unreadable}`;
  if (!state.exists) return `no stack yet: up creates ${component.stack}`;
  for (const use of component.uses) {
    const dep = engine.component(use.from);
    const depState = snapshot.states.get(dep.name)!;
    if (ownStatus(dep, depState).status !== 'ready' || use.outputs.some((o) => !depState.outputs[o] || depState.outputs[o].empty)) return `would run after ${dep.name}`;
  }
  return undefined;
}

/**
 * A real preview of one component (with `refresh`: of what an `up --refresh` would do). `states`:
 * its own, and (for the reach of the change) its dependents'.
 */
export async function previewOne(engine: Engine, run: OperationRun, component: Component, states: ReadonlyMap<string, StackState>, options: { refresh?: boolean } = {}): Promise<ComponentPreview> {
  const started = Date.now();
  engine.emit({ type: 'step-start', component: component.name, stack: component.stack, action: 'preview', time: new Date().toISOString() });
  const planned = plannedChanges(component.kind);
  let result: ComponentPreview;
  try {
    const auto = await loadAutomation();
    // Protection ignored, so a replacement or delete of what holds data shows as one instead of failing the preview.
    const key = await digestKeyFor(engine, component);
    const observed = new Map<string, string>();
    const freshness = key ? { freshness: { key, consumed: {}, observe: (output: string, digest: string) => void observed.set(output, digest) } } : {};
    const program = programFor(engine.setup, component, await loadPulumiSdk(), { protectData: false, kept: await keptNames(engine, component), ...freshness });
    const ws = await workspaceFor(engine.setup.settings, engine.cliPath(), component, program, 'read', true);
    const stack = await auto.Stack.select(component.stack, ws);
    const preview = await stack.preview({
      color: 'never',
      ...(options.refresh ? { refresh: true } : {}),
      signal: engine.signal,
      onEvent: planned.onEvent,
    });
    const reaches = key ? reachOf(engine.setup.components, component.name, outputChanges(states.get(component.name), outputsReadByOthers(engine.setup.components, component.name), observed), states) : [];
    result = { name: component.name, stack: component.stack, changes: changeCounts(preview.changeSummary), resources: planned.changes, ...(reaches.length ? { reaches } : {}) };
    run.record('succeeded');
    engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: 'preview', result: 'succeeded', message: describeChanges(result.changes), durationMs: Date.now() - started });
  } catch (error) {
    const message = engine.cancelled ? 'cancelled' : describePulumiError(error, component.stack);
    // What it planned before it failed stays: a provider's dry run can fail on the very replacement
    // the data guard must see (Kubernetes rejects creating an immutable PVC's replacement).
    result = { name: component.name, stack: component.stack, changes: noChanges(), resources: planned.changes, note: `preview failed: ${message}` };
    run.record(engine.cancelled ? 'cancelled' : 'failed');
    engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: 'preview', result: engine.cancelled ? 'cancelled' : 'failed', message, durationMs: Date.now() - started });
  }
  return result;
}

/** Previews `components` at the same time (with `engine`'s config), emitting a `preview` event for each. */
export async function previewWith(engine: Engine, run: OperationRun, components: readonly Component[]): Promise<ComponentPreview[]> {
  const snapshot = await engine.snapshot();
  const previews = await Promise.all(
    components.map(async (c) => {
      const blocked = blockedBy(engine, c, snapshot);
      if (!blocked) return previewOne(engine, run, c, snapshot.states);
      run.skip(c, 'preview', blocked);
      const state = snapshot.states.get(c.name)!;
      const creates = !state.exists && !state.unreadable;
      return { name: c.name, stack: c.stack, changes: noChanges(), resources: [], note: blocked, ...(creates ? { creates: true as const } : {}) };
    }),
  );
  for (const p of previews) engine.emit({ type: 'preview', ...p });
  return previews;
}

export async function preview(engine: Engine, options: { components?: string[] } = {}): Promise<{ result: OperationResult; previews: ComponentPreview[] }> {
  const run = engine.start('preview', options.components?.length ? options.components : engine.setup.graph.topologicalOrder());
  const invalid = refuseInvalidConfig(engine, run);
  if (invalid) return { result: invalid, previews: [] };
  const names = resolveComponents(engine.setup, options.components ?? []).map((c) => c.name);
  const scope = upScope(engine.setup.graph, names).map((n) => engine.component(n));
  run.plan(scope.map((c) => ({ component: c.name, stack: c.stack, action: 'preview', reason: 'what an up would change' })));
  const previews = await previewWith(engine, run, scope);
  const changed = previews.filter((p) => p.note === undefined && p.changes.create + p.changes.update + p.changes.replace + p.changes.delete > 0);
  const stateful = previews.flatMap((p) => p.resources.filter((r) => r.stateful).map((r) => `${p.name}: ${r.op} ${resourceName(r.urn)}`));
  const failed = run.results.some((r) => r === 'failed' || r === 'cancelled');
  // A stack that does not exist yet is not previewed, yet an up changes it most of all: it creates it.
  const created = previews.filter((p) => p.creates).length;
  const reached = previews.flatMap((p) => (p.reaches ?? []).map((r) => `${r.component} (${r.outputs.join(', ')} from ${p.name}${r.certain ? '' : ', if it changes'})`));
  const summary = `${changed.length + created} of ${previews.length} would change${created ? ` (${created} created: no stack yet)` : ''}${reached.length ? `; reaches: ${reached.join(', ')}` : ''}${stateful.length ? `; REPLACES OR DELETES what holds data: ${stateful.join(', ')}` : ''}`;
  return { result: run.done(engine.cancelled ? 'cancelled' : failed ? 'failed' : 'succeeded', summary), previews };
}

