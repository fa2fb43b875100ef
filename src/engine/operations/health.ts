/** `health`: the provider's health checks for every component that has a stack. */
import { join } from 'node:path';
import type { OperationResult } from '../../core/events';
import { azureHealth } from '../../health/azure';
import { localHealth } from '../../health/local';
import type { HealthResult } from '../../health/types';
import type { Engine } from '../engine';
import { localRoot } from '../programs/local/programs';
import { refuseInvalidConfig } from './guard';
import { readOutputs } from './outputs';

export async function health(engine: Engine): Promise<OperationResult> {
  const { ctx } = engine;
  const run = engine.start('health', ctx.graph.topologicalOrder());
  const invalid = refuseInvalidConfig(engine, run);
  if (invalid) return invalid;
  const { states } = await engine.snapshot();
  const existing = ctx.components.filter((c) => states.get(c.name)?.exists);
  const outputs = new Map(await Promise.all(existing.map(async (c) => [c.name, await readOutputs(engine, c, true)] as const)));
  const plain = new Map([...outputs].map(([name, o]) => [name, Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.value]))]));
  const results: HealthResult[] =
    ctx.config.provider === 'local'
      ? localHealth(ctx.components, plain, join(localRoot(ctx.config, ctx.settings.modelopsHome), ctx.env))
      : await azureHealth(ctx.components, plain);
  for (const r of results) engine.emit({ type: 'health', ...r });
  await engine.publishReadiness();
  const unhealthy = results.filter((r) => r.verdict === 'unhealthy');
  const unknown = results.filter((r) => r.verdict === 'unknown');
  const result = unhealthy.length || unknown.length ? 'failed' : 'succeeded';
  return run.done(result, `${results.length - unhealthy.length - unknown.length} healthy, ${unhealthy.length} unhealthy, ${unknown.length} unknown`);
}
