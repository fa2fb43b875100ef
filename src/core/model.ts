/**
 * azure.yaml → everything else derives from: the environment in use, the components, the
 * dependency graph and every config and graph problem (a `depends_on` cycle included).
 * Pure and fast, so the editor rebuilds it on each keystroke and the CLI once per run.
 */
import { canonicalComponentName, componentsFor, type Component } from './components';
import { checkEnvironmentName } from './config/naming';
import { DEFAULT_ENVIRONMENT } from './config/rules';
import { START_OF_FILE, type ParsedConfig, type Problem } from './config/types';
import { CycleError, UnknownComponentError } from './errors';
import { DependencyGraph } from './graph';

export { MODEL_PROBLEM_CODES } from './problemCodes';


export interface InfraModel {
  parsed: ParsedConfig;
  env: string;
  components: Component[];
  byName: ReadonlyMap<string, Component>;
  /** Undefined when the config cannot be read or its dependencies close a cycle. */
  graph?: DependencyGraph;
  /** Config and graph problems (readiness problems come from the state). */
  problems: Problem[];
}

/** Why an environment name cannot be used, or undefined: the rule of `environment:` for every source (file, --env, setting). */
export function environmentProblem(name: string): string | undefined {
  return checkEnvironmentName(name);
}

/** `override` (--env or the setting) wins, then the file's `environment:`, then dev. */
export function environmentOf(parsed: ParsedConfig, override?: string): string {
  return override || parsed.config?.environment || DEFAULT_ENVIRONMENT;
}

function graphEdges(components: readonly Component[], dependsOn: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const edges: Record<string, string[]> = {};
  for (const c of components) edges[c.name] = c.uses.map((u) => u.from);
  for (const [node, targets] of Object.entries(dependsOn)) {
    const name = canonicalComponentName(node);
    edges[name] = [...(edges[name] ?? []), ...targets.map(canonicalComponentName)];
  }
  return edges;
}

function graphProblem(parsed: ParsedConfig, error: CycleError | UnknownComponentError, dependsOn: Readonly<Record<string, readonly string[]>>): Problem {
  const node = error instanceof CycleError ? Object.keys(dependsOn).find((k) => error.cycle.includes(canonicalComponentName(k))) : undefined;
  const range = (node ? parsed.locate(['depends_on', node]) : undefined) ?? parsed.locate(['depends_on']) ?? START_OF_FILE;
  return { file: parsed.file, range, severity: 'error', code: error.code, message: error.message };
}

export function buildModel(parsed: ParsedConfig, envOverride?: string): InfraModel {
  const env = environmentOf(parsed, envOverride);
  const config = parsed.config;
  const components = config ? componentsFor(config, env) : [];
  const problems = [...parsed.problems];
  let graph: DependencyGraph | undefined;
  if (config) {
    try {
      graph = new DependencyGraph(components.map((c) => c.name), graphEdges(components, config.dependsOn));
    } catch (error) {
      if (!(error instanceof CycleError || error instanceof UnknownComponentError)) throw error;
      problems.push(graphProblem(parsed, error, config.dependsOn));
    }
  }
  return { parsed, env, components, byName: new Map(components.map((c) => [c.name, c])), graph, problems };
}

export function errorsOf(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}
