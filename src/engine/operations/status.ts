/** `status`: readiness of every component, read in parallel; read-only and fast. */
import type { Problem } from '../../core/config/types';
import type { OperationResult } from '../../core/events';
import type { ComponentReadiness } from '../../core/readiness';
import type { Engine } from '../engine';

export interface StatusReport {
  env: string;
  configFile: string;
  components: ComponentReadiness[];
  problems: Problem[];
}

export async function statusReport(engine: Engine): Promise<StatusReport> {
  const { readiness } = await engine.snapshot();
  return { env: engine.ctx.env, configFile: engine.ctx.parsed.file, components: readiness, problems: engine.problemsFor(readiness) };
}

/** The same report as events, for `--events`. */
export async function status(engine: Engine): Promise<OperationResult> {
  const started = engine.start('status', engine.ctx.graph.topologicalOrder());
  const report = await statusReport(engine);
  engine.emit({ type: 'readiness', components: report.components });
  for (const problem of report.problems) engine.emit({ type: 'problem', problem });
  const ready = report.components.filter((c) => c.status === 'ready').length;
  return engine.done('status', started, 'succeeded', `${ready}/${report.components.length} ready`);
}
