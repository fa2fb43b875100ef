/**
 * Plans: what each operation will do to which stack, in which order, and why. Pure
 * functions of the graph, the stack states and the options; the engine only executes
 * them, and the CLI, the editor and the confirmation prompts all show these same steps.
 */
import { describeStale, staleUses } from './freshness';
import type { Component } from './components';
import type { ChangeCounts, PlannedStep, Refusal, ResourceOp, StepAction, StepResult } from './events';
import type { DependencyGraph } from './graph';
import { describeReadiness, ownStatus } from './readiness';
import type { SpecState } from './spec';
import type { StackState } from './state';

export interface PlanInput {
  graph: DependencyGraph;
  components: ReadonlyMap<string, Component>;
  states: ReadonlyMap<string, StackState>;
  /** Whether each stack was deployed with the spec azure.yaml gives now (none: treated as current). */
  specs?: ReadonlyMap<string, SpecState>;
  /** Components whose last drift check (of their current deployment) found changes outside Pulumi. */
  drifted?: ReadonlySet<string>;
}

const SPEC_REASON: Record<Exclude<SpecState, 'current'>, string> = {
  changed: 'azure.yaml changed since the last up',
  unknown: 'deployed before its spec was recorded, or by another tool',
};

/** Whether the component's stack holds something to destroy (it exists and was not destroyed; a lock alone is not a stack). */
function deployed(input: PlanInput, name: string): boolean {
  const state = input.states.get(name);
  return !!state && state.exists && ownStatus(input.components.get(name)!, state).status !== 'absent';
}

function step(input: PlanInput, name: string, action: StepAction, reason: string): PlannedStep {
  const component = input.components.get(name)!;
  const held = action === 'destroy' ? component.holdsData : undefined;
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
 * Up steps over `scope` (provisioning order): a component runs when it is not ready, when its
 * spec is not current, when it is in `recreate`, when it is stale, or when something it depends
 * on runs — then only if what it reads from that changes (`ifReadsChanged`, decided when that
 * has run; without a record of what it read, always); otherwise it is skipped.
 */
function upSteps(input: PlanInput, scope: readonly string[], recreate: ReadonlySet<string>): PlannedStep[] {
  const runs = new Set<string>();
  return scope.map((name) => {
    const component = input.components.get(name)!;
    const state = input.states.get(name)!;
    const own = ownStatus(component, state);
    const rerunDeps = input.graph.dependenciesOf(name).filter((d) => runs.has(d));
    const spec = input.specs?.get(name) ?? 'current';
    const stale = own.status === 'ready' ? staleUses(component, state, input.states) : [];
    const firm = recreate.has(name)
      ? 'recreate'
      : own.status !== 'ready'
        ? describeReadiness(own)
        : spec !== 'current'
          ? `spec ${spec}: ${SPEC_REASON[spec]}`
          : input.drifted?.has(name)
            ? 'drifted: changed outside Pulumi (refreshed, then put back)'
            : stale.length
              ? `stale: ${describeStale(stale, input.states)}`
              : '';
    const them = rerunDeps.length > 1 ? ['are', 'them'] : ['is', 'it'];
    const reason = firm || (rerunDeps.length ? `${rerunDeps.join(', ')} ${them[0]} provisioned again: re-applied if what it reads from ${them[1]} changes` : '');
    if (reason) runs.add(name);
    return { ...step(input, name, reason ? 'up' : 'skip', reason || 'ready'), ...(!firm && rerunDeps.length ? { ifReadsChanged: rerunDeps } : {}) };
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
    .filter((n) => inRecreate.has(n) && deployed(input, n))
    .map((n) => step(input, n, 'destroy', named.length ? `force-recreate${named.includes(n) ? '' : `: depends on ${named.join(', ')}`}` : 'force-recreate'));
  const scope = upScope(input.graph, recreate);
  return { recreate, destroy, up: upSteps(input, scope, inRecreate) };
}

/**
 * The gate every destroying plan passes: without a confirmation, the destroy steps it would
 * take (in order) and why it must stop; with one, or with nothing to destroy, undefined.
 */
export function unconfirmedDestroys(steps: readonly PlannedStep[], confirmed: boolean, verb: string): string | undefined {
  const destroys = steps.filter((s) => s.action === 'destroy');
  if (confirmed || !destroys.length) return undefined;
  return `${verb} destroys ${destroys.map((s) => s.stack).join(', ')} (in this order). Re-run with --yes to confirm.`;
}


/** `+1 ~2 ±0 -0`: what a preview would create, update, replace and delete. */
/** Pulumi's step ops, as a preview or a run summary counts them. */
export const OP_OF: Record<string, ResourceOp> = {
  create: 'create',
  update: 'update',
  replace: 'replace',
  'create-replacement': 'replace',
  'delete-replaced': 'replace',
  'discard-replaced': 'replace',
  delete: 'delete',
  // A read resource dropped from the state: nothing is deleted.
  discard: 'read',
  same: 'same',
  read: 'read',
  'read-replacement': 'read',
  refresh: 'refresh',
};

export const noChanges = (): ChangeCounts => ({ create: 0, update: 0, replace: 0, delete: 0, same: 0 });

/** Pulumi's change summary (`changeSummary`, `summary.resourceChanges`: op → count) as counts per kind of change. */
export function changeCounts(summary: Readonly<Record<string, number | undefined>> | undefined): ChangeCounts {
  const changes = noChanges();
  for (const [op, n] of Object.entries(summary ?? {})) {
    const mapped = OP_OF[op];
    if (mapped && mapped in changes) changes[mapped as keyof ChangeCounts] += n ?? 0;
  }
  return changes;
}

export function describeChanges(c: { create: number; update: number; replace: number; delete: number }): string {
  return `+${c.create} ~${c.update} ±${c.replace} -${c.delete}`;
}

export { resourceName } from './urn';

/** Components `down` leaves alone unless they are named or `--all` is given: they hold data. */
export const STATEFUL_KINDS: ReadonlySet<Component['kind']> = new Set(['resource-group', 'registry', 'storage']);

export interface DownOptions {
  /** Also destroy what depends on the named components. */
  withDependents?: boolean;
  /** With no components named: the stateful ones too. */
  all?: boolean;
  /** With no components named: these stateful ones too (the original's --destroy-storage, --destroy-registry, --delete-rg). */
  also?: readonly string[];
}

export type DownPlan = { refused: string } | { destroy: PlannedStep[]; kept: string[] };

/**
 * `down [COMPONENT...]`: destroy in reverse dependency order. With none named: every component
 * except the stateful ones (`kept`), unless `all`. Refused when something to destroy has a
 * dependent that stays, unless `withDependents`. Only stacks that exist are destroyed.
 */
export function planDown(input: PlanInput, named: readonly string[], options: DownOptions = {}): DownPlan {
  const exists = (n: string) => deployed(input, n);
  const all = input.graph.topologicalOrder();
  const kept = named.length || options.all ? [] : all.filter((n) => STATEFUL_KINDS.has(input.components.get(n)!.kind) && !options.also?.includes(n));
  let targets = named.length ? [...named] : all.filter((n) => !kept.includes(n));
  if (options.withDependents) targets = [...new Set(targets.flatMap((n) => [n, ...input.graph.transitiveDependentsOf(n)]))];
  const chosen = new Set(targets);
  for (const n of input.graph.topologicalOrder().filter((x) => chosen.has(x))) {
    const staying = input.graph.transitiveDependentsOf(n).filter((d) => !chosen.has(d) && exists(d));
    if (staying.length) {
      return { refused: `${n} cannot go while ${staying.join(', ')} ${staying.length === 1 ? 'depends' : 'depend'} on it and stay${staying.length === 1 ? 's' : ''}. Add --with-dependents, or name ${staying.length === 1 ? 'it' : 'them'} too.` };
    }
  }
  const destroy = input.graph
    .teardownOrder()
    .filter((n) => chosen.has(n) && exists(n))
    .map((n) => step(input, n, 'destroy', named.includes(n) ? 'down' : named.length ? `down: depends on ${named.join(', ')}` : 'down'));
  return { destroy, kept: kept.filter(exists) };
}

export interface UpdateRecord<S> {
  version: number;
  kind: string;
  result: string;
  spec?: S;
}

/**
 * `rollback COMPONENT [--to VERSION]`: the update whose spec to go back to — VERSION, else the
 * newest successful update before the newest successful one — or why there is none.
 * `updates` newest first, as `history` lists them.
 */
export function planRollback<S, U extends UpdateRecord<S>>(updates: readonly U[], to?: number): U | string {
  const good = updates.filter((u) => u.kind === 'update' && u.result === 'succeeded');
  if (to !== undefined) {
    const chosen = updates.find((u) => u.version === to);
    if (!chosen) return `there is no version ${to} (versions: ${updates.map((u) => u.version).join(', ') || 'none'})`;
    if (!good.includes(chosen)) return `version ${to} is a ${chosen.kind} that ${chosen.result}: only a successful update can be rolled back to`;
    return chosen.spec ? chosen : `version ${to} recorded no spec (it was deployed before specs were recorded, or by another tool)`;
  }
  const previous = good.slice(1).find((u) => u.spec);
  return previous ?? 'there is no earlier successful update with a recorded spec to go back to';
}

export type RepairPlan = { refused: string; refusal: Refusal } | { steps: PlannedStep[]; dependents: string[] };

/**
 * A lock whose owner may still be running: clearing it would corrupt the stack. One held on
 * another host can be cleared by a person who knows that run is dead (`repair --force-unlock`).
 */
export function liveLockReason(component: Component, state: StackState, forceUnlock = false): string | undefined {
  const lock = state.lock;
  if (!lock || lock.ownerAlive === false) return undefined;
  const where = lock.hostname ? ` on ${lock.username ? `${lock.username}@` : ''}${lock.hostname}` : '';
  if (lock.ownerAlive === true) return `${component.stack} is busy: pid ${lock.pid}${where} holds its lock.`;
  if (forceUnlock) return undefined;
  const since = lock.timestamp ? ` since ${lock.timestamp}` : '';
  const looks = lock.stale ? ` It looks dead (${lock.stale}).` : '';
  return `${component.stack} is locked by pid ${lock.pid ?? '?'}${where}${since}, which this machine cannot check.${looks} Once you know that run is gone: mops-infra repair ${component.name} --force-unlock`;
}

/** How a stack refused for its lock (liveLockReason) is refused: waiting helps, unless the lock looks dead. */
export const lockRefusal = (state: StackState): Refusal => (state.lock?.stale ? 'looks-dead' : 'busy');

/** Before an update can run: a lock left by a dead process, or pending operations of an interrupted one. */
export function needsRecovery(state: StackState): boolean {
  return state.lock?.ownerAlive === false || state.pendingOperations.length > 0;
}

/**
 * `repair COMPONENT [--force-unlock]`: clear a dead lock (or, forced, one of another host),
 * refresh, provision, then verify what depends on it.
 */
export function planRepair(input: PlanInput, name: string, forceUnlock = false): RepairPlan {
  const component = input.components.get(name)!;
  const state = input.states.get(name)!;
  const live = liveLockReason(component, state, forceUnlock);
  if (live) return { refused: live, refusal: lockRefusal(state) };
  const dependents = input.graph.transitiveDependentsOf(name);
  const lockReason = state.lock?.ownerAlive === false ? 'lock left by a dead process' : 'lock of another host, cleared on request (--force-unlock)';
  return {
    dependents,
    steps: [
      ...(state.lock ? [step(input, name, 'clear-lock', lockReason)] : []),
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
