/**
 * Plans: what each operation will do to which stack, in which order, and why. Pure
 * functions of the graph, the stack states and the options; the engine only executes
 * them, and the CLI, the editor and the confirmation prompts all show these same steps.
 */
import type { Component } from './components';
import { DATA_HELD_BY } from './components';
import type { PlannedStep, StepAction, StepResult } from './events';
import type { DependencyGraph } from './graph';
import { describeReadiness, ownStatus } from './readiness';
import type { StackState } from './state';

export interface PlanInput {
  graph: DependencyGraph;
  components: ReadonlyMap<string, Component>;
  states: ReadonlyMap<string, StackState>;
}

function step(input: PlanInput, name: string, action: StepAction, reason: string): PlannedStep {
  const component = input.components.get(name)!;
  const held = action === 'destroy' ? DATA_HELD_BY[component.kind] : undefined;
  return { component: name, stack: component.stack, action, reason, ...(held ? { holdsData: held } : {}) };
}

/** The named components and everything they depend on, in provisioning order; every component when none is named. */
export function upScope(graph: DependencyGraph, named: readonly string[]): string[] {
  if (!named.length) return graph.topologicalOrder();
  return graph.restrictTo(named.flatMap((n) => [n, ...graph.transitiveDependenciesOf(n)]));
}

/**
 * The components a force recreate of `named` destroys and provisions again: the named
 * ones and everything that depends on them, never what they depend on; every component
 * when none is named. Provisioning order.
 */
export function recreateSet(graph: DependencyGraph, named: readonly string[]): string[] {
  if (!named.length) return graph.topologicalOrder();
  return graph.restrictTo(named.flatMap((n) => [n, ...graph.transitiveDependentsOf(n)]));
}

/**
 * Up steps over `scope` (provisioning order): a component runs when it is not ready, when
 * it is in `recreate`, or when something it depends on runs; otherwise it is skipped.
 */
function upSteps(input: PlanInput, scope: readonly string[], recreate: ReadonlySet<string>): PlannedStep[] {
  const runs = new Set<string>();
  return scope.map((name) => {
    const own = ownStatus(input.components.get(name)!, input.states.get(name)!);
    const rerunDep = input.graph.dependenciesOf(name).find((d) => runs.has(d));
    const reason = recreate.has(name)
      ? 'recreate'
      : own.status !== 'ready'
        ? describeReadiness(own)
        : rerunDep
          ? `${rerunDep} is provisioned again`
          : '';
    if (reason) runs.add(name);
    return step(input, name, reason ? 'up' : 'skip', reason || 'ready');
  });
}

/** `up [COMPONENT...]`: the named components and what they need, skipping what is ready. */
export function planUp(input: PlanInput, named: readonly string[]): PlannedStep[] {
  return upSteps(input, upScope(input.graph, named), new Set());
}

export interface ForceRecreatePlan {
  /** What is destroyed and provisioned again (provisioning order). */
  recreate: string[];
  /** Destroys, dependents first; only stacks that exist. Each needs confirmation. */
  destroy: PlannedStep[];
  /** Then provisioning: what the recreated components depend on (when not ready), and the recreated ones. */
  up: PlannedStep[];
}

/** `up --force-recreate [COMPONENT...]`. */
export function planForceRecreate(input: PlanInput, named: readonly string[]): ForceRecreatePlan {
  const recreate = recreateSet(input.graph, named);
  const inRecreate = new Set(recreate);
  const destroy = input.graph
    .teardownOrder()
    .filter((n) => inRecreate.has(n) && input.states.get(n)?.exists)
    .map((n) => step(input, n, 'destroy', named.length ? `force-recreate${named.includes(n) ? '' : `: depends on ${named.join(', ')}`}` : 'force-recreate'));
  const scope = upScope(input.graph, recreate);
  return { recreate, destroy, up: upSteps(input, scope, inRecreate) };
}

export type RepairPlan = { refused: string } | { steps: PlannedStep[]; dependents: string[] };

/** A lock whose owner may still be running: clearing it would corrupt the stack. */
export function liveLockReason(component: Component, state: StackState): string | undefined {
  const lock = state.lock;
  if (!lock || lock.ownerAlive === false) return undefined;
  const where = lock.hostname ? ` on ${lock.hostname}` : '';
  return lock.ownerAlive === 'unknown'
    ? `${component.stack} is locked by pid ${lock.pid ?? '?'}${where}, which this machine cannot check. If that process is gone, run \`pulumi cancel --stack ${component.stack}\` there.`
    : `${component.stack} is busy: pid ${lock.pid}${where} holds its lock.`;
}

/** Before an update can run: a lock left by a dead process, or pending operations of an interrupted one. */
export function needsRecovery(state: StackState): boolean {
  return state.lock?.ownerAlive === false || state.pendingOperations.length > 0;
}

/** `repair COMPONENT`: clear a dead lock, refresh, provision, then verify what depends on it. */
export function planRepair(input: PlanInput, name: string): RepairPlan {
  const component = input.components.get(name)!;
  const state = input.states.get(name)!;
  const live = liveLockReason(component, state);
  if (live) return { refused: live };
  const dependents = input.graph.transitiveDependentsOf(name);
  return {
    dependents,
    steps: [
      ...(state.lock ? [step(input, name, 'clear-lock', 'lock left by a dead process')] : []),
      ...(state.exists ? [step(input, name, 'refresh', 'sync state, clear pending operations')] : []),
      step(input, name, 'up', 'provision'),
      ...dependents.map((d) => step(input, d, 'verify', `depends on ${name}`)),
    ],
  };
}

/**
 * An operation's result: cancelled when cancelled; otherwise the worst of its steps'
 * results and of its final readiness, so a failed step is never hidden by a ready read.
 */
export function operationResult(options: { cancelled: boolean; steps: readonly StepResult[]; ready: boolean }): 'succeeded' | 'failed' | 'cancelled' {
  if (options.cancelled) return 'cancelled';
  if (options.steps.some((r) => r === 'failed' || r === 'cancelled')) return 'failed';
  return options.ready ? 'succeeded' : 'failed';
}
