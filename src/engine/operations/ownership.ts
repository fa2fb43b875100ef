/**
 * Stacks this environment must not touch (src/core/ownership.ts): `validate` reports them as
 * errors on the component's section, and every operation that changes stacks refuses them
 * before it takes a lock.
 */
import type { Component } from '../../core/components';
import { rangeOf, type Problem } from '../../core/config/types';
import { ownershipConflict } from '../../core/ownership';
import type { Engine, Snapshot } from '../engine';
import { environmentNames } from './environments';

export interface Conflict {
  component: Component;
  reason: string;
}

/** Of `components`, those whose stack belongs to another environment or component, and why. */
export async function ownershipConflicts(engine: Engine, components: readonly Component[], snapshot?: Snapshot): Promise<Conflict[]> {
  if (!components.length) return [];
  const { states } = snapshot ?? (await engine.snapshot());
  // Only a run's stack name has two parts that may hold `-`; the others cannot be another environment's.
  const envs = components.some((c) => c.run !== undefined) ? await environmentNames(engine.setup, () => engine.cliPath()) : [];
  return components.flatMap((component) => {
    const reason = ownershipConflict(engine.setup.env, component, states.get(component.name), envs);
    return reason ? [{ component, reason }] : [];
  });
}

export function ownershipProblems(engine: Engine, conflicts: readonly Conflict[]): Problem[] {
  return conflicts.map(({ component, reason }) => ({
    file: engine.setup.parsed.file,
    range: rangeOf(engine.setup.parsed, component.configPath),
    severity: 'error' as const,
    code: 'stack-owned-elsewhere' as const,
    component: component.name,
    message: reason,
  }));
}
