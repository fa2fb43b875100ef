/**
 * `migrate`: takes over an environment whose stacks the original modelops made. Each stack
 * is previewed with our program; what the preview would delete of the original's is forgotten
 * (removed from the state, left running) and the node pools AKS already runs are imported
 * (core/migration.ts). Nothing in Azure or Kubernetes is changed; a stack whose preview
 * replaces anything stops the migration. Asks first (--yes), like every state change.
 */
import { join } from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import type { Component } from '../../core/components';
import type { OperationResult, PlannedStep } from '../../core/events';
import { clusterFactsOf, migrationPlan, withImported, type MigrationAction, type PreviewStep, type StateResource } from '../../core/migration';
import { resourceName } from '../../core/plan';
import type { Engine } from '../engine';
import { describePulumiError } from '../pulumiErrors';
import { editStackState } from '../pendingCreates';
import { stackFor } from '../stackRunner';
import { guarded, refuseInvalidConfig } from './guard';

export interface MigrateOptions {
  dryRun?: boolean;
  yes?: boolean;
}

type Runner = { runPulumiCmd(args: string[]): Promise<{ stdout: string }> };

/** Every step a preview of the stack shows, in Pulumi's order, with the inputs of what it creates. */
async function previewSteps(engine: Engine, stack: automation.Stack): Promise<PreviewStep[]> {
  const steps: PreviewStep[] = [];
  await stack.preview({
    color: 'never',
    signal: engine.signal,
    onEvent: (e) => {
      const m = e.resourcePreEvent?.metadata;
      if (!m || m.type === 'pulumi:pulumi:Stack' || m.op === 'same') return;
      steps.push({ urn: m.urn, type: m.type, op: m.op, ...(m.new?.inputs ? { inputs: m.new.inputs } : {}), ...(m.new?.parent ? { parent: m.new.parent } : {}) });
    },
  });
  return steps;
}

/**
 * Forget: `pulumi state delete`. Import: recorded in the state, then read from Azure by a refresh of
 * it alone (`pulumi import` would need the project's language plugin, which an inline program has not).
 */
async function apply(engine: Engine, stack: automation.Stack, action: MigrationAction): Promise<void> {
  if (action.action === 'forget') {
    await (stack.workspace as unknown as Runner).runPulumiCmd(['state', 'delete', action.urn, '--yes', '--stack', stack.name]);
    return;
  }
  const scratch = join(engine.setup.settings.modelopsHome, 'cli', 'scratch');
  await editStackState(stack, (deployment) => ({ ...deployment, resources: withImported((deployment.resources ?? []) as StateResource[], action) }), scratch);
  await stack.refresh({ color: 'never', target: [action.urn], signal: engine.signal });
}

const planned = (component: Component, action: MigrationAction): PlannedStep => ({
  component: component.name,
  stack: component.stack,
  action: action.action,
  reason: action.reason,
});

export async function migrate(engine: Engine, options: MigrateOptions = {}): Promise<OperationResult> {
  const run = engine.start('migrate', [], { dryRun: !!options.dryRun });
  const invalid = refuseInvalidConfig(engine, run);
  if (invalid) return invalid;
  const snapshot = await engine.snapshot();
  const components = engine.setup.graph.topologicalOrder().map((n) => engine.component(n)).filter((c) => snapshot.states.get(c.name)?.exists);
  if (!components.length) return run.done('succeeded', 'no stack of this environment exists: nothing to migrate');
  return guarded(engine, run, options.dryRun ? [] : components.map((c) => c.stack), async () => {
    const plans: Array<{ component: Component; stack: automation.Stack; actions: MigrationAction[] }> = [];
    const refusals: string[] = [];
    for (const component of components) {
      try {
        const stack = await stackFor(engine, component, false, options.dryRun ? 'read' : 'write');
        const state = component.kind === 'cluster' ? ((await stack.exportStack()).deployment?.resources ?? []) : [];
        const plan = migrationPlan(component.stack, await previewSteps(engine, stack), clusterFactsOf(state));
        refusals.push(...plan.refusals);
        plans.push({ component, stack, actions: plan.actions });
      } catch (error) {
        return run.done(engine.cancelled ? 'cancelled' : 'failed', `cannot migrate ${component.stack}: its preview failed: ${describePulumiError(error, component.stack)}`);
      }
    }
    run.plan(plans.flatMap((p) => p.actions.map((a) => planned(p.component, a))));
    if (refusals.length) return run.done('refused', `migrate stops: ${refusals.join('; ')}. An up would replace these; see docs/azure.md (Coming from the original modelops).`, 'unsafe');
    const count = plans.reduce((n, p) => n + p.actions.length, 0);
    if (!count) return run.done('succeeded', `nothing to migrate: a preview of ${components.length} stack(s) shows no resource of the original to forget or import`);
    if (options.dryRun) return run.done('succeeded', `dry run: would forget or import ${count} resource(s)`);
    if (!options.yes) return run.done('refused', `migrate changes the state of ${plans.filter((p) => p.actions.length).map((p) => p.component.stack).join(', ')} (${count} resource(s); nothing in Azure or Kubernetes). Re-run with --yes to confirm.`, 'needs-confirmation');
    for (const { component, stack, actions } of plans) {
      for (const action of actions) {
        engine.emit({ type: 'step-start', component: component.name, stack: component.stack, action: action.action, time: new Date().toISOString() });
        const started = Date.now();
        try {
          await apply(engine, stack, action);
          run.record('succeeded');
          engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: action.action, result: 'succeeded', message: `${action.action === 'forget' ? 'forgot' : 'imported'} ${resourceName(action.urn)}`, durationMs: Date.now() - started });
        } catch (error) {
          run.record('failed');
          const message = describePulumiError(error, component.stack);
          engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: action.action, result: 'failed', message, durationMs: Date.now() - started });
          return run.done('failed', `migrate stopped at ${resourceName(action.urn)} of ${component.stack}: ${message}`);
        }
      }
    }
    return run.done('succeeded', `migrated ${count} resource(s) of the original's state; preview shows what the next up changes`);
  }, snapshot);
}
