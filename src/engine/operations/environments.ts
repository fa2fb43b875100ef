/**
 * `environments`: every environment that has stacks of ours in the backend, each with how many
 * of azure.yaml's components are ready there. Environments are found from the stacks whose
 * name is `<project>-<env>` (adaptive runs, `<project>-<env>-<run>`, cannot tell where an
 * environment's name ends, so they do not count); a folder or a container is listed directly,
 * any other backend through `pulumi stack ls`. Read-only.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectName, type ComponentKind } from '../../core/components';
import { environmentProblem } from '../../core/model';
import type { EnvironmentsReport } from '../../core/protocol';
import { computeReadiness, deployedCount, summarize } from '../../core/readiness';
import { backendSnapshot, stateStore } from '../backends/access';
import type { Engine } from '../engine';
import { loadSetup, type Setup, type SetupOptions } from '../setup';
import { readStackStates } from '../stateReader';

const FOUND_BY: readonly ComponentKind[] = ['resource-group', 'registry', 'cluster', 'storage', 'workspace'];

/**
 * Every stack of the backend, as [project, stack]: a folder or a container in one listing of
 * `.pulumi/stacks/` (`<project>/<stack>.json[.gz|.zst]`), any other backend through the Pulumi CLI.
 */
async function stacksOf(setup: Setup, cliPath: () => string): Promise<Array<[string, string]>> {
  const store = stateStore(setup.settings);
  if (!store) return cliStacks(setup, cliPath());
  return (await store.listPrefix('.pulumi/stacks/'))
    .map((o) => /^\.pulumi\/stacks\/([^/]+)\/([^/]+?)\.json(?:\.gz|\.zst)?$/.exec(o.path))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m): [string, string] => [m[1], m[2]]);
}

/** Every stack of the backend through the Pulumi CLI, as [project, stack]. */
async function cliStacks(setup: Setup, cliPath: string): Promise<Array<[string, string]>> {
  const { stdout } = await promisify(execFile)(cliPath, ['stack', 'ls', '--all', '--json'], {
    env: { ...process.env, ...setup.settings.pulumiEnv('read') },
    cwd: setup.settings.modelopsHome,
    maxBuffer: 16 * 1024 * 1024,
  });
  const listed = JSON.parse(stdout) as Array<{ name: string }>;
  // `org/project/stack` (Pulumi Cloud, or a DIY backend with projects); the project decides.
  return listed.map((s) => s.name.split('/')).filter((parts) => parts.length >= 2).map((parts) => [parts[parts.length - 2], parts[parts.length - 1]]);
}

/** The environments that have stacks of ours in the backend (found by their single-part stack names). */
export async function environmentNames(setup: Setup, cliPath: () => string): Promise<string[]> {
  const projects = new Set(FOUND_BY.map((kind) => projectName(kind)));
  const envs = new Set<string>();
  for (const [project, stack] of await stacksOf(setup, cliPath)) {
    if (!projects.has(project) || !stack.startsWith(`${project}-`)) continue;
    const env = stack.slice(project.length + 1);
    if (!environmentProblem(env)) envs.add(env);
  }
  return [...envs].sort();
}

/**
 * Each environment's readiness, the current one included even before it has stacks. Every
 * environment is read from one snapshot of the backend (one set of listings for all of them).
 */
export async function environmentsReport(engine: Engine, options: SetupOptions): Promise<EnvironmentsReport> {
  const current = engine.setup.env;
  const cliPath = () => engine.cliPath();
  const names = [...new Set([current, ...(await environmentNames(engine.setup, cliPath))])].sort();
  const setups = names.map((name) => (name === current ? engine.setup : loadSetup({ ...options, env: name })));
  const shared = await backendSnapshot(engine.setup.settings, setups.flatMap((s) => s.components));
  const environments = await Promise.all(
    setups.map(async (setup) => {
      const states = await readStackStates(setup, setup.components, cliPath, shared);
      const readiness = computeReadiness(setup.components, setup.graph, states);
      return { name: setup.env, current: setup.env === current, ready: summarize(readiness).ready, total: readiness.length, deployed: deployedCount(readiness) };
    }),
  );
  return { configFile: engine.setup.parsed.file, environments };
}
