/**
 * Stacks this environment must not touch (src/core/ownership.ts): `validate` reports them as
 * errors on the component's section, and every operation that changes stacks refuses them
 * before it takes a lock.
 */
import type { Component } from '../../core/components';
import { rangeOf, type Problem } from '../../core/config/types';
import { ambiguousRunName, ownershipConflict } from '../../core/ownership';
import type { StackState } from '../../core/state';
import type { Engine, Snapshot } from '../engine';
import { environmentNames } from './environments';

export interface Conflict {
  component: Component;
  reason: string;
}

/** Of `components`, those whose stack belongs to another environment or component, and why. */
export async function ownershipConflicts(engine: Engine, components: readonly Component[], snapshot?: Snapshot): Promise<Conflict[]> {
  const [conflicts] = await judge(engine, components, snapshot, [ownershipConflict]);
  return conflicts;
}

/**
 * For `validate`: the stacks this environment must not touch, and the runs not deployed yet
 * whose stack name another environment of the backend can also produce, as problems.
 */
export async function ownershipProblems(engine: Engine, snapshot: Snapshot): Promise<Problem[]> {
  const [owned, ambiguous] = await judge(engine, engine.setup.components, snapshot, [ownershipConflict, ambiguousRunName]);
  return [...owned.map((c) => problemOf(engine, c, 'stack-owned-elsewhere')), ...ambiguous.map((c) => problemOf(engine, c, 'stack-name-ambiguous'))];
}

type Rule = (env: string, component: Component, state: StackState | undefined, backendEnvs: readonly string[]) => string | undefined;

/** Each rule's conflicts among `components`, from one listing of the backend's environments. */
async function judge(engine: Engine, components: readonly Component[], snapshot: Snapshot | undefined, rules: readonly Rule[]): Promise<Conflict[][]> {
  if (!components.length) return rules.map(() => []);
  const { states } = snapshot ?? (await engine.snapshot());
  // Only a run's stack name has two parts that may hold `-`; the others cannot be another environment's.
  const envs = components.some((c) => c.run !== undefined) ? await environmentNames(engine.setup, () => engine.cliPath()) : [];
  return rules.map((rule) =>
    components.flatMap((component) => {
      const reason = rule(engine.setup.env, component, states.get(component.name), envs);
      return reason ? [{ component, reason }] : [];
    }),
  );
}

function problemOf(engine: Engine, { component, reason }: Conflict, code: 'stack-owned-elsewhere' | 'stack-name-ambiguous'): Problem {
  return { file: engine.setup.parsed.file, range: rangeOf(engine.setup.parsed, component.configPath), severity: 'error', code, component: component.name, message: reason };
}
