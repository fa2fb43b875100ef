/**
 * `migrate`: takes over an environment whose stacks the original modelops made. Each stack
 * is previewed with our program; what the preview would delete of the original's is forgotten
 * (removed from the state, left running), the node pools AKS already runs are imported and what
 * the original read with `.get()` is adopted (core/migration.ts). Nothing in Azure or Kubernetes is changed; a stack whose preview
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

interface StackPlan {
  component: Component;
  stack: automation.Stack;
  actions: MigrationAction[];
  /** Refusals that may be knock-on effects of an adoption (a read cluster's identity is unknown until it is managed): looked at again after it. */
  recheck: string[];
}

const isAdoption = (a: MigrationAction): boolean => a.action === 'import' && a.adopt === true;

/** Previews the stack and plans it from the preview and its state. */
async function planStack(engine: Engine, component: Component, stack: automation.Stack) {
  const state = ((await stack.exportStack()).deployment?.resources ?? []) as StateResource[];
  return migrationPlan(component.stack, await previewSteps(engine, stack), component.kind === 'cluster' ? clusterFactsOf(state) : undefined, state);
}

/** Runs one action as a step of the operation; the error message when it failed. */
async function step(engine: Engine, component: Component, stack: automation.Stack, action: MigrationAction): Promise<string | undefined> {
  const run = engine.current!;
  engine.emit({ type: 'step-start', component: component.name, stack: component.stack, action: action.action, time: new Date().toISOString() });
  const started = Date.now();
  try {
    await apply(engine, stack, action);
    run.record('succeeded');
    engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: action.action, result: 'succeeded', message: `${action.action === 'forget' ? 'forgot' : isAdoption(action) ? 'adopted' : 'imported'} ${resourceName(action.urn)}`, durationMs: Date.now() - started });
    return undefined;
  } catch (error) {
    run.record('failed');
    const message = describePulumiError(error, component.stack);
    engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action: action.action, result: 'failed', message, durationMs: Date.now() - started });
    return `migrate stopped at ${resourceName(action.urn)} of ${component.stack}: ${message}`;
  }
}

/**
 * Adoptions first; a stack with refusals left to look at is previewed again once its reads are
 * managed, and planned anew. The summary of why it stopped, or undefined.
 */
async function migrateStack(engine: Engine, plan: StackPlan): Promise<{ stopped?: string; refused?: string; done: number }> {
  let done = 0;
  for (const action of plan.actions.filter(isAdoption)) {
    const failed = await step(engine, plan.component, plan.stack, action);
    if (failed) return { stopped: failed, done };
    done++;
  }
  let rest = plan.actions.filter((a) => !isAdoption(a));
  if (plan.recheck.length) {
    const again = await planStack(engine, plan.component, plan.stack);
    if (again.refusals.length) return { refused: `migrate adopted what the original read in ${plan.component.stack}, then stops: ${again.refusals.join('; ')}`, done };
    rest = again.actions.filter((a) => !isAdoption(a));
  }
  for (const action of rest) {
    const failed = await step(engine, plan.component, plan.stack, action);
    if (failed) return { stopped: failed, done };
    done++;
  }
  return { done };
}

export async function migrate(engine: Engine, options: MigrateOptions = {}): Promise<OperationResult> {
  const run = engine.start('migrate', [], { dryRun: !!options.dryRun });
  const invalid = refuseInvalidConfig(engine, run);
  if (invalid) return invalid;
  const snapshot = await engine.snapshot();
  const components = engine.setup.graph.topologicalOrder().map((n) => engine.component(n)).filter((c) => snapshot.states.get(c.name)?.exists);
  if (!components.length) return run.done('succeeded', 'no stack of this environment exists: nothing to migrate');
  return guarded(engine, run, options.dryRun ? [] : components.map((c) => c.stack), async () => {
    const plans: StackPlan[] = [];
    const refusals: string[] = [];
    for (const component of components) {
      try {
        const stack = await stackFor(engine, component, false, options.dryRun ? 'read' : 'write');
        const plan = await planStack(engine, component, stack);
        const adopts = plan.actions.some(isAdoption);
        if (!adopts) refusals.push(...plan.refusals);
        plans.push({ component, stack, actions: plan.actions, recheck: adopts ? plan.refusals : [] });
      } catch (error) {
        return run.done(engine.cancelled ? 'cancelled' : 'failed', `cannot migrate ${component.stack}: its preview failed: ${describePulumiError(error, component.stack)}`);
      }
    }
    run.plan(plans.flatMap((p) => p.actions.map((a) => planned(p.component, a))));
    if (refusals.length) return run.done('refused', `migrate stops: ${refusals.join('; ')}. An up would replace these; see docs/azure.md (Coming from the original modelops).`, 'unsafe');
    const count = plans.reduce((n, p) => n + p.actions.length, 0);
    if (!count) return run.done('succeeded', `nothing to migrate: a preview of ${components.length} stack(s) shows no resource of the original to forget, import or adopt`);
    const rechecked = plans.flatMap((p) => p.recheck);
    const later = rechecked.length ? `; once adopted, its stack is previewed again for what now reads as replaced (${rechecked.join('; ')})` : '';
    if (options.dryRun) return run.done('succeeded', `dry run: would forget, import or adopt ${count} resource(s)${later}`);
    if (!options.yes) return run.done('refused', `migrate changes the state of ${plans.filter((p) => p.actions.length).map((p) => p.component.stack).join(', ')} (${count} resource(s); nothing in Azure or Kubernetes)${later}. Re-run with --yes to confirm.`, 'needs-confirmation');
    let done = 0;
    for (const plan of plans) {
      const outcome = await migrateStack(engine, plan);
      done += outcome.done;
      if (outcome.refused) return run.done('refused', `${outcome.refused}. An up would replace these; see docs/azure.md (Coming from the original modelops).`, 'unsafe');
      if (outcome.stopped) return run.done('failed', outcome.stopped);
    }
    return run.done('succeeded', `migrated ${done} resource(s) of the original's state; preview shows what the next up changes`);
  }, snapshot);
}
