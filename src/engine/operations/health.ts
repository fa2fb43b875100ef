/** `health`: the provider's health checks for every component that has a stack. */
import { join } from 'node:path';
import type { OperationResult } from '../../core/events';
import type { StackState } from '../../core/state';
import { endpointHealth } from '../../probes/health/endpoints';
import { localHealth } from '../../probes/health/local';
import type { HealthResult } from '../../core/events';
import type { Engine } from '../engine';
import { localRoot } from '../programs/local/programs';
import { refuseInvalidConfig } from './guard';
import { readOutputs } from '../outputReader';

/** The provider's health checks of every component, judged from its outputs (secrets read, never shown). */
export async function healthResults(engine: Engine, states: ReadonlyMap<string, StackState>): Promise<HealthResult[]> {
  const { setup } = engine;
  const existing = setup.components.filter((c) => states.get(c.name)?.exists);
  const outputs = new Map(await Promise.all(existing.map(async (c) => [c.name, await readOutputs(engine, c, true)] as const)));
  const plain = new Map([...outputs].map(([name, o]) => [name, Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.value]))]));
  return setup.config.provider === 'local'
    ? localHealth(setup.components, plain, join(localRoot(setup.config, setup.settings.modelopsHome), setup.env))
    : endpointHealth(setup.components, plain);
}

export async function health(engine: Engine): Promise<OperationResult> {
  const run = engine.start('health', engine.setup.graph.topologicalOrder());
  const invalid = refuseInvalidConfig(engine, run);
  if (invalid) return invalid;
  const { states } = await engine.snapshot();
  const results = await healthResults(engine, states);
  for (const r of results) engine.emit({ type: 'health', ...r });
  await engine.publishReadiness();
  const unhealthy = results.filter((r) => r.verdict === 'unhealthy');
  const unknown = results.filter((r) => r.verdict === 'unknown');
  const result = unhealthy.length || unknown.length ? 'failed' : 'succeeded';
  return run.done(result, `${results.length - unhealthy.length - unknown.length} healthy, ${unhealthy.length} unhealthy, ${unknown.length} unknown`);
}
