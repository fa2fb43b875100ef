/**
 * `outputs [COMPONENT]`: a component's stack outputs, or every component's that has a stack (as
 * the original's `mops infra outputs`), in provisioning order; secret values only when asked for.
 */
import { ConfigError, UnknownStackError } from '../../core/errors';
import type { AllOutputsReport, OutputsReport } from '../../core/protocol';
import type { Engine } from '../engine';
import { readOutputs } from '../outputReader';
import { resolveComponents } from '../setup';

export async function outputsReport(engine: Engine, name: string | undefined, showSecrets: boolean): Promise<OutputsReport | AllOutputsReport> {
  const { setup } = engine;
  if (setup.configErrors.length) throw new ConfigError(setup.parsed.file, setup.configErrors);
  if (name === undefined) return allOutputs(engine, showSecrets);
  const [component] = resolveComponents(setup, [name]);
  return { component: component.name, stack: component.stack, outputs: await readOutputs(engine, component, showSecrets) };
}

async function allOutputs(engine: Engine, showSecrets: boolean): Promise<AllOutputsReport> {
  const { setup } = engine;
  const { states } = await engine.snapshot();
  const existing = setup.graph.topologicalOrder().map((n) => setup.byName.get(n)!).filter((c) => states.get(c.name)?.exists);
  const read = await Promise.all(
    existing.map((component) =>
      readOutputs(engine, component, showSecrets).then(
        (outputs): OutputsReport => ({ component: component.name, stack: component.stack, outputs }),
        (error: unknown) => {
          // Deleted since the snapshot: it has no outputs to show.
          if (error instanceof UnknownStackError) return undefined;
          throw error;
        },
      ),
    ),
  );
  return { components: read.filter((c): c is OutputsReport => c !== undefined) };
}
