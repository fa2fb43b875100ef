/** Loads azure.yaml into everything an operation needs: config, components, graph, settings. */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { canonicalComponentName, componentsFor, type Component } from '../core/components';
import { parseConfig } from '../core/config/parse';
import type { InfraConfig, ParsedConfig, Problem, SourceRange } from '../core/config/types';
import { CycleError, DependencyGraph, UnknownComponentError } from '../core/graph';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core/retry';
import { resolveSettings, type EngineSettings } from './settings';

export interface ContextOptions {
  configFile: string;
  env?: string;
  backend?: string;
  pulumiPath?: string;
  retry?: Partial<RetryPolicy>;
  processEnv?: NodeJS.ProcessEnv;
}

export interface InfraContext {
  parsed: ParsedConfig;
  config: InfraConfig;
  env: string;
  components: Component[];
  byName: ReadonlyMap<string, Component>;
  graph: DependencyGraph;
  settings: EngineSettings;
  retry: RetryPolicy;
  /** Config and graph problems (readiness problems come later). */
  problems: Problem[];
}

/** The config cannot be used at all; `problems` say why and where. */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: Problem[]) {
    super(problems.map((p) => `${p.file}:${p.range.start.line}:${p.range.start.column}: ${p.message}`).join('\n') || `${file}: unusable config`);
  }
}

const TOP: SourceRange = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 }, startOffset: 0, endOffset: 0 };

function readConfigText(file: string): string {
  try {
    if (statSync(file).size > 2 * 1024 * 1024) return readFileSync(file, 'utf8').slice(0, 2 * 1024 * 1024 + 1);
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `${file} does not exist. Create it (minimal: "provider: local") or pass --config FILE.` : `cannot read ${file}: ${(error as Error).message}`;
    throw new ConfigError(file, [{ file, range: TOP, severity: 'error', code: 'config-unreadable', message }]);
  }
}

function graphEdges(components: readonly Component[], dependsOn: Record<string, string[]>): Record<string, string[]> {
  const edges: Record<string, string[]> = {};
  for (const c of components) edges[c.name] = c.uses.map((u) => u.from);
  for (const [node, targets] of Object.entries(dependsOn)) {
    const name = canonicalComponentName(node);
    edges[name] = [...(edges[name] ?? []), ...targets.map(canonicalComponentName)];
  }
  return edges;
}

function graphProblem(parsed: ParsedConfig, error: Error, node?: string): Problem {
  const range = (node ? parsed.locate(['depends_on', node]) : undefined) ?? parsed.locate(['depends_on']) ?? TOP;
  const code = error instanceof CycleError ? 'dependency-cycle' : 'unknown-component';
  return { file: parsed.file, range, severity: 'error', code, message: error.message };
}

export function buildGraph(parsed: ParsedConfig, components: readonly Component[], dependsOn: Record<string, string[]>): DependencyGraph {
  try {
    return new DependencyGraph(components.map((c) => c.name), graphEdges(components, dependsOn));
  } catch (error) {
    if (error instanceof CycleError || error instanceof UnknownComponentError) {
      const node = error instanceof CycleError ? Object.keys(dependsOn).find((k) => error.cycle.includes(canonicalComponentName(k))) : undefined;
      throw new ConfigError(parsed.file, [...parsed.problems.filter((p) => p.severity === 'error'), graphProblem(parsed, error, node)]);
    }
    throw error;
  }
}

export function loadContext(options: ContextOptions): InfraContext {
  const file = resolve(options.configFile);
  const parsed = parseConfig(readConfigText(file), file);
  if (!parsed.config) throw new ConfigError(file, parsed.problems);
  const config = parsed.config;
  const env = options.env ?? config.environment ?? 'dev';
  const components = componentsFor(config, env);
  const graph = buildGraph(parsed, components, config.dependsOn);
  const settings = resolveSettings({ configBackendUrl: config.pulumi.backendUrl, backendOverride: options.backend, pulumiPath: options.pulumiPath, env: options.processEnv });
  return {
    parsed,
    config,
    env,
    components,
    byName: new Map(components.map((c) => [c.name, c])),
    graph,
    settings,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    problems: parsed.problems,
  };
}

/** Components by name, in provisioning order; unknown names are an error naming the valid ones. */
export function resolveComponents(ctx: InfraContext, names: readonly string[]): Component[] {
  return names.map((raw) => {
    const name = canonicalComponentName(raw);
    const c = ctx.byName.get(name);
    if (!c) throw new Error(`unknown component "${raw}"; components in ${ctx.parsed.file}: ${ctx.graph.topologicalOrder().join(', ')}`);
    return c;
  });
}
