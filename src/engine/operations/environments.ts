/**
 * `environments`: every environment that has stacks of ours in the backend, each with how many
 * of azure.yaml's components are ready there. Environments are found from the stacks whose
 * name is `<project>-<env>` (adaptive runs, `<project>-<env>-<run>`, cannot tell where an
 * environment's name ends, so they do not count); a DIY backend is listed directly, any other
 * through `pulumi stack ls`. Read-only.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectName, type ComponentKind } from '../../core/components';
import { environmentProblem } from '../../core/model';
import type { EnvironmentsReport } from '../../core/protocol';
import { stateStore } from '../backends/access';
import { Engine } from '../engine';
import { loadSetup, type Setup, type SetupOptions } from '../setup';

const FOUND_BY: readonly ComponentKind[] = ['resource-group', 'registry', 'cluster', 'storage', 'workspace'];

/** The stack names of one project (DIY layout: `.pulumi/stacks/<project>/<stack>.json[.gz|.zst]`). */
async function diyStackNames(setup: Setup, project: string): Promise<string[]> {
  const files = await stateStore(setup.settings)!.list(`.pulumi/stacks/${project}`);
  return files.map((f) => /^(.+?)\.json(?:\.gz|\.zst)?$/.exec(f)?.[1]).filter((s): s is string => !!s);
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

async function environmentNames(setup: Setup, cliPath: () => string): Promise<string[]> {
  const projects = new Map(FOUND_BY.map((kind) => [projectName(kind), kind]));
  const pairs: Array<[string, string]> = stateStore(setup.settings)
    ? (await Promise.all([...projects.keys()].map(async (p) => (await diyStackNames(setup, p)).map((s): [string, string] => [p, s])))).flat()
    : await cliStacks(setup, cliPath());
  const envs = new Set<string>();
  for (const [project, stack] of pairs) {
    if (!projects.has(project) || !stack.startsWith(`${project}-`)) continue;
    const env = stack.slice(project.length + 1);
    if (!environmentProblem(env)) envs.add(env);
  }
  return [...envs].sort();
}

/** Each environment's readiness, the current one included even before it has stacks. */
export async function environmentsReport(engine: Engine, options: SetupOptions): Promise<EnvironmentsReport> {
  const current = engine.setup.env;
  const names = [...new Set([current, ...(await environmentNames(engine.setup, () => engine.cliPath()))])].sort();
  const environments = await Promise.all(
    names.map(async (name) => {
      const setup = name === current ? engine.setup : loadSetup({ ...options, env: name });
      const { readiness } = await (name === current ? engine : new Engine(setup, () => undefined)).snapshot();
      return {
        name,
        current: name === current,
        ready: readiness.filter((r) => r.status === 'ready').length,
        total: readiness.length,
        deployed: readiness.filter((r) => r.status !== 'absent').length,
      };
    }),
  );
  return { configFile: engine.setup.parsed.file, environments };
}
