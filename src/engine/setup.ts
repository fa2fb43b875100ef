/**
 * The setup of a run: azure.yaml loaded into everything an operation needs — the model
 * (config, components, graph), the resolved settings and the retry policy. ("Context" means
 * one thing in this code: what a host hands the code it runs — VS Code's ExtensionContext, a
 * Pulumi program's ProgramContext, the config reader's ReadContext.)
 */
import { resolve } from 'node:path';
import { NotAFileError, readConfigFile } from './userFiles';
import { canonicalComponentName, type Component } from '../core/components';
import { configDigest } from '../core/config/digest';
import { checkBackendUrl } from '../core/config/naming';
import { parseConfig } from '../core/config/parse';
import { START_OF_FILE, type InfraConfig, type Problem } from '../core/config/types';
import { formatPath } from '../core/config/reader';
import { pathInFile } from '../core/config/unified';
import { ConfigError, UnknownComponentError, UsageError } from '../core/errors';
import type { DependencyGraph } from '../core/graph';
import { buildModel, environmentProblem, errorsOf, type InfraModel } from '../core/model';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core/retry';
import { resolveSettings, type ResolvedSettings } from './settings';
import { resolveUserName, type UserName } from './userName';

export { ConfigError };

export interface SetupOptions {
  configFile: string;
  env?: string;
  backend?: string;
  pulumiPath?: string;
  retry?: Partial<RetryPolicy>;
  processEnv?: NodeJS.ProcessEnv;
}

/** What every operation works with (`engine.setup`): the model of a config that could be read, with its graph. */
export interface Setup extends InfraModel {
  config: InfraConfig;
  graph: DependencyGraph;
  settings: ResolvedSettings;
  retry: RetryPolicy;
  /** The problems that make the config unusable for any operation (exit 2). */
  configErrors: Problem[];
  /** What was read, as a digest (sha256, 12 hex): a run's log names it, so "which azure.yaml did it use" has an answer. */
  configDigest: string;
  /** On Azure: the user name in resource names, and where it came from (engine/userName.ts); `config.username` holds it. */
  userName?: UserName;
}

/**
 * At most MAX_CONFIG_CHARS + 1 characters: enough for the parser to say the file is too large.
 * Never more than that is read, whatever the path names (`--config /dev/zero` once read until the
 * kernel killed the process): a regular file, or a pipe a user names on purpose; nothing else.
 */
function readConfigText(file: string): string {
  try {
    return readConfigFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      error instanceof NotAFileError
        ? `${file} is ${error.what}, not a config file. Pass --config with the path of your azure.yaml.`
        : code === 'ENOENT'
          ? `${file} does not exist. Create it (minimal: "provider: local") or pass --config FILE. Without --config, ./azure.yaml is used, else ~/.modelops/modelops.yaml (what \`mops init\` writes), else ~/.modelops/infrastructure.yaml.`
          : `cannot read ${file}: ${(error as Error).message}`;
    throw new ConfigError(file, [{ file, range: START_OF_FILE, severity: 'error', code: 'config-unreadable', message }]);
  }
}

export function loadSetup(options: SetupOptions): Setup {
  if (options.env !== undefined) {
    const issue = environmentProblem(options.env);
    if (issue) throw new UsageError(`--env: ${issue}`);
  }
  const file = resolve(options.configFile);
  const text = readConfigText(file);
  const read = parseConfig(text, file);
  if (!read.config) throw new ConfigError(file, errorsOf(read.problems));
  // A backend given outside the file is usage, checked as the file's `pulumi.backend_url` is (else every component fails with an access-token error).
  // Only the one that is used: a PULUMI_BACKEND_URL that --backend or the file overrides is not read.
  const envUrl = (options.processEnv ?? process.env).PULUMI_BACKEND_URL;
  const [what, url] = options.backend ? ['--backend', options.backend] : read.config.pulumi.backendUrl ? [undefined, undefined] : ['PULUMI_BACKEND_URL', envUrl];
  const issue = url ? checkBackendUrl(url) : undefined;
  if (issue) throw new UsageError(`${what}: ${issue}`);
  const settings = resolveSettings({ configBackendUrl: read.config.pulumi.backendUrl, backendOverride: options.backend, pulumiPath: options.pulumiPath, env: options.processEnv });
  // Only Azure names carry it (and must be the original's); an empty one means names without a user part.
  const userName = read.config.provider === 'azure' ? resolveUserName(read.config.username, settings.modelopsHome, options.processEnv ?? process.env, `${formatPath(pathInFile(read.format, ['username']))} in ${file}`) : undefined;
  const username = userName ? userName.name || undefined : read.config.username;
  const model = buildModel({ ...read, config: { ...read.config, username } }, options.env);
  const { parsed } = model;
  if (!parsed.config || !model.graph) throw new ConfigError(file, errorsOf(model.problems));
  return {
    ...model,
    config: parsed.config,
    graph: model.graph,
    settings,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    configErrors: errorsOf(model.problems),
    configDigest: configDigest(text),
    userName,
  };
}

/** Components by name, in provisioning order; unknown names are an error naming the valid ones. */
export function resolveComponents(setup: Setup, names: readonly string[]): Component[] {
  return names.map((raw) => {
    const c = setup.byName.get(canonicalComponentName(raw));
    if (!c) throw new UnknownComponentError(raw, 'command line', setup.graph.topologicalOrder());
    return c;
  });
}
