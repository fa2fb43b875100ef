/**
 * `validate`: the graph, the config, every required output of every component
 * and every cross-stack reference. Read-only.
 */
import { rangeOf, START_OF_FILE, type Problem } from '../../core/config/types';
import type { OperationResult } from '../../core/events';
import { physicalNameOf } from '../../core/components';
import type { Engine, Snapshot } from '../engine';
import type { Setup } from '../setup';
import { ownershipProblems } from './ownership';
import { describePreflight, preflightProblems, runPreflight } from './preflight';
import { globalNaming } from '../keptNames';

export async function validate(engine: Engine, options: { preflight?: boolean } = {}): Promise<OperationResult> {
  const { setup } = engine;
  const run = engine.start('validate', setup.graph.topologicalOrder());
  const snapshot = await engine.snapshot();
  const { states, readiness } = snapshot;
  const problems: Problem[] = engine.problemsFor(readiness);
  const preflight = options.preflight === false || setup.configErrors.length ? [] : await runPreflight(engine, snapshot);
  problems.push(...preflightProblems(engine, preflight));
  problems.push(...(await ownershipProblems(engine, snapshot)));
  if (setup.config.provider === 'azure') problems.push(...namesOnAzure(setup, states));
  for (const c of setup.components) {
    for (const use of c.uses) {
      const from = setup.byName.get(use.from)!;
      if (states.get(c.name)?.exists && !states.get(from.name)?.exists) {
        problems.push({
          file: setup.parsed.file,
          range: rangeOf(setup.parsed, c.configPath),
          severity: 'error',
          code: 'dangling-reference',
          component: c.name,
          message: `${c.name} references ${from.reference}, which does not exist. Run up for ${from.name}.`,
        });
      }
    }
  }
  for (const r of readiness) {
    run.verified(r);
  }
  engine.emit({ type: 'readiness', components: readiness });
  for (const problem of problems) engine.emit({ type: 'problem', problem });
  const errors = problems.filter((p) => p.severity === 'error').length;
  const notReady = readiness.filter((r) => r.status !== 'ready').length;
  const ok = errors === 0 && notReady === 0;
  const base = ok ? `valid: ${readiness.length} components ready, every reference resolves` : `${errors} error(s), ${notReady} component(s) not ready`;
  const summary = [base, describePreflight(preflight)].filter(Boolean).join('; ');
  if (setup.configErrors.length) return run.done('refused', `${summary}; fix ${setup.parsed.file} first`, 'invalid-input');
  return run.done(ok ? 'succeeded' : 'failed', summary);
}

/** The Azure names each component will use, and whose user name is in them: to check before the first `up`. */
function namesOnAzure(setup: Setup, states: Snapshot['states']): Problem[] {
  const { parsed, config, env, userName } = setup;
  const whose = userName?.name ? `carry the user name "${userName.name}", from ${userName.from}` : `carry no user name (${userName?.from ?? 'none set'})`;
  const note = (range: Problem['range'], message: string, component?: string): Problem => ({ file: parsed.file, range, severity: 'info', code: 'derived-name', ...(component ? { component } : {}), message });
  return [
    note(parsed.locate(['username']) ?? START_OF_FILE, `Names in environment "${env}" ${whose}.`),
    ...setup.components.map((c) => note(rangeOf(parsed, c.configPath), `${c.name}: ${physicalNameOf(config, c, env, globalNaming(config, c, states.get(c.name)))}`, c.name)),
  ];
}
