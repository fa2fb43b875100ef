/** `status`: readiness of every component, read in parallel; read-only and fast. */
import type { OperationResult } from '../../core/events';
import { EXIT, type ExitCode } from '../../core/exitCodes';
import type { StatusReport } from '../../core/protocol';
import type { Engine } from '../engine';

export async function statusReport(engine: Engine): Promise<StatusReport> {
  const { readiness } = await engine.snapshot();
  return { env: engine.setup.env, configFile: engine.setup.parsed.file, components: readiness, problems: engine.problemsFor(readiness) };
}

/** 2 when azure.yaml has errors, 1 when anything is not ready (or could not be read), else 0. */
export function statusExitCode(engine: Engine, report: StatusReport): ExitCode {
  if (engine.setup.configErrors.length) return EXIT.invalidInput;
  return report.components.every((c) => c.status === 'ready') ? EXIT.ok : EXIT.failed;
}

/** The same report as events, for `--events`. */
export async function status(engine: Engine): Promise<OperationResult> {
  const run = engine.start('status', engine.setup.graph.topologicalOrder());
  const report = await statusReport(engine);
  engine.emit({ type: 'readiness', components: report.components });
  for (const problem of report.problems) engine.emit({ type: 'problem', problem });
  const ready = report.components.filter((c) => c.status === 'ready').length;
  const summary = `${ready}/${report.components.length} ready`;
  if (engine.setup.configErrors.length) return run.done('refused', `${summary}; ${engine.setup.parsed.file} has ${engine.setup.configErrors.length} error(s)`, 'invalid-input');
  return run.done(ready === report.components.length ? 'succeeded' : 'failed', summary);
}
