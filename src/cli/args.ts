/** Command-line arguments of `mops-infra`. */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import { exitCodesHelp } from '../core/exitCodes';
import { DEFAULT_WAIT, FLAGS, optionsHelp, verbsOf } from '../core/flags';
import { isVerb, VERB_SPECS, VERBS, verbsHelp, type Verb } from '../core/verbs';
import { FORMATS, type Format } from './formats';
import { parseDuration } from '../core/durations';

export { UsageError, VERBS, type Verb };

export interface CliArgs {
  verb: Verb;
  component?: string;
  /** up, preview, down: only these components (up, preview: and what they depend on). */
  components?: string[];
  /** down: also what depends on the named components. */
  withDependents?: boolean;
  /** down: the stateful components (storage, registry, resource group) too. */
  all?: boolean;
  /** rollback: the version (from history) whose spec to go back to. */
  to?: number;
  /** up, repair, rollback: consent to replacing or deleting what holds data (or, on a stack made elsewhere, anything). */
  allowReplace?: boolean;
  /** down: the original's --destroy-storage, --destroy-registry and --delete-rg: also these, which down keeps unless named. */
  alsoDestroy?: Array<'storage' | 'registry' | 'resource-group'>;
  /** up: when a component fails, roll back what this up already changed. */
  rollbackOnFailure?: boolean;
  /** up, down: leave ~/.modelops/bundle-env/<env>.yaml alone. */
  noBundleEnv?: boolean;
  /** up, down: leave the kubeconfig alone. */
  noKubeContext?: boolean;
  /** validate: how problems are printed (text, or for CI: sarif, github). */
  format?: Format;
  /** repair: clear the locks of a run on another machine that a person knows is dead. */
  forceUnlock?: boolean;
  /** validate, up: do not read the subscription's readiness from Azure (offline CI). */
  skipPreflight?: boolean;
  /** reconcile: one pass, then exit. */
  once?: boolean;
  /** reconcile: take the recovery ladder's steps (else only report). */
  heal?: boolean;
  /** reconcile: seconds between passes. */
  interval?: number;
  /** reconcile: failed attempts on one spec before a component is stalled. */
  maxAttempts?: number;
  /** reconcile: where to write the gauges after each pass. */
  metricsFile?: string;
  /** reconcile: where to post each transition. */
  notify?: string;
  /** up, repair, down, rollback, reconcile --once: how long to wait behind another run's live lock. */
  waitMs?: number;
  /** Named with --config; else discovered (core/paths.ts discoverConfig). */
  config?: string;
  env?: string;
  json: boolean;
  events: boolean;
  yes: boolean;
  forceRecreate: boolean;
  dryRun: boolean;
  showSecrets: boolean;
  pulumi?: string;
  backend?: string;
  retryAttempts?: number;
  retryDelayMs?: number;
}

export const USAGE = `Usage: mops-infra <command> [options]

Commands:
${verbsHelp()}

Options:
${optionsHelp()}

Exit codes (the same for every command):
${exitCodesHelp()}`;

/** node:util's parseArgs options, from the flag table: a switch defaults to false. */
const PARSER_OPTIONS = Object.fromEntries(
  FLAGS.map((f) => [f.name, { type: f.type, ...('short' in f ? { short: f.short } : {}), ...(f.type === 'boolean' ? { default: false } : {}) }]),
) as { [F in (typeof FLAGS)[number] as F['name']]: { type: F['type']; short?: string; default?: boolean } };

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number ≥ 0, got "${value}"`);
  return n;
}

function formatOf(verb: Verb, value: string): Format {
  const formats: readonly string[] = FORMATS[verb as keyof typeof FORMATS];
  if (!formats.includes(value)) throw new UsageError(`${verb} --format must be one of ${formats.join(', ')}, not "${value}"`);
  return value as Format;
}

function atLeastOne(name: string, value: string): number {
  const n = positiveInt(name, value)!;
  if (n < 1) throw new UsageError(`${name} must be at least 1, got "${value}"`);
  return n;
}

/** The original's `mops infra down` flags: each also destroys a component our down keeps unless named. */
const DESTROY_FLAG = { storage: 'destroy-storage', registry: 'destroy-registry', 'resource-group': 'delete-rg' } as const;

const isYamlPath = (arg: string): boolean => /\.ya?ml$/i.test(arg);

/**
 * The original's shapes that are unambiguous here: `up path/to/config.yaml` (a YAML path is the
 * config: no component name ends in .yaml) and `-c a,b` (components, beside or instead of names).
 */
function originalShapes(verb: Verb, named: string[], configFlag: string | undefined, componentsFlag: string | undefined): { rest: string[]; config?: string } {
  const yamls = named.filter(isYamlPath);
  if (yamls.length > 1) throw new UsageError(`${verb} takes one config file, got ${yamls.join(' and ')}`);
  if (yamls.length && configFlag !== undefined) throw new UsageError(`the config is given twice (--config ${configFlag} and ${yamls[0]}); give it once`);
  const fromFlag = componentsFlag?.split(',').map((c) => c.trim()).filter(Boolean) ?? [];
  // An empty list must not mean "every component".
  if (componentsFlag !== undefined && fromFlag.length === 0) throw new UsageError('-c/--components needs at least one component, e.g. -c cluster,storage');
  return { rest: [...named.filter((a) => !isYamlPath(a)), ...fromFlag], config: yamls[0] ?? configFlag };
}

/** `--wait` takes its duration with `=` or as the next argument; alone (before a component, or last) it means the default. */
function withWaitDefault(argv: string[]): string[] {
  return argv.flatMap((arg, i) => (arg === '--wait' && (i + 1 >= argv.length || parseDuration(argv[i + 1]!) === undefined) ? [`--wait=${DEFAULT_WAIT}`] : [arg]));
}

function durationOf(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new UsageError(`${name} takes a duration such as 90s, 10m or 2h (a number alone is seconds), not "${value}"`);
  return ms;
}

function webhookUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--notify takes an http(s) URL, not "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--notify takes an http(s) URL, not a ${url.protocol} one`);
  return value;
}

export function parseCliArgs(argv: string[]): CliArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: withWaitDefault(argv),
    allowPositionals: true,
    strict: true,
    options: PARSER_OPTIONS,
  });
  if (values.help || positionals.length === 0) return 'help';
  const [given, ...named] = positionals;
  if (!isVerb(given)) throw new UsageError(`unknown command "${given}"; commands: ${VERBS.join(', ')}`);
  // The original's `mops infra up --plan` is our preview.
  const verb: Verb = given === 'up' && values.plan ? 'preview' : given;
  const { takes } = VERB_SPECS[verb];
  const { rest, config } = originalShapes(given, named, values.config, takes === 'many' ? values.components : undefined);
  if (takes === 'one' && rest.length !== 1) throw new UsageError(`${verb} needs exactly one COMPONENT`);
  if (takes === 'optional' && rest.length > 1) throw new UsageError(`${verb} takes one COMPONENT, or none for all of them`);
  if (takes === 'none' && rest.length) throw new UsageError(`${verb} takes no arguments`);
  if (values.json && values.events) throw new UsageError('--json and --events do not go together');
  if (values.format !== undefined && values.format !== 'text' && (values.json || values.events)) throw new UsageError(`--format ${values.format} prints its own document: leave out --json and --events`);
  const set = (flag: string): boolean => ![undefined, false].includes((values as Record<string, unknown>)[flag] as undefined);
  const unfit = (as: Verb, except?: string) => FLAGS.map((f) => [f.name, verbsOf(f.name)] as const).find(([flag, verbs]) => flag !== except && verbs && set(flag) && !verbs.includes(as));
  const misplaced = unfit(given);
  if (misplaced) throw new UsageError(`--${misplaced[0]} goes with ${misplaced[1]!.join(' or ')}, not ${given}`);
  // `up --plan` is preview: what only an up takes would be silently dropped.
  const dropped = verb !== given ? unfit(verb, 'plan') : undefined;
  if (dropped) throw new UsageError(`--${dropped[0]} does not go with --plan (a preview changes nothing)`);
  if (values.wait !== undefined && verb === 'reconcile' && !values.once) throw new UsageError('--wait goes with reconcile --once: a loop that goes on waits for a busy stack by itself');
  const alsoDestroy = (['storage', 'registry', 'resource-group'] as const).filter((c) => values[DESTROY_FLAG[c]]);
  if (alsoDestroy.length && rest.length) throw new UsageError(`--${DESTROY_FLAG[alsoDestroy[0]]} adds to what down takes by default; with components named, name ${alsoDestroy.join(' and ')} too`);
  return {
    verb,
    component: takes === 'many' ? undefined : rest[0],
    ...(takes === 'many' && rest.length ? { components: rest } : {}),
    ...(values['with-dependents'] ? { withDependents: true } : {}),
    ...(values.all || values['destroy-all'] ? { all: true } : {}),
    ...(alsoDestroy.length ? { alsoDestroy } : {}),
    ...(values.to !== undefined ? { to: positiveInt('--to', values.to) } : {}),
    ...(values['allow-replace'] ? { allowReplace: true } : {}),
    ...(values['rollback-on-failure'] ? { rollbackOnFailure: true } : {}),
    ...(values['no-bundle-env'] ? { noBundleEnv: true } : {}),
    ...(values['no-kube-context'] ? { noKubeContext: true } : {}),
    ...(values.format !== undefined ? { format: formatOf(verb, values.format) } : {}),
    ...(values['force-unlock'] ? { forceUnlock: true } : {}),
    ...(values['skip-preflight'] ? { skipPreflight: true } : {}),
    ...(values.once ? { once: true } : {}),
    ...(values.heal ? { heal: true } : {}),
    ...(values.interval !== undefined ? { interval: atLeastOne('--interval', values.interval) } : {}),
    ...(values['max-attempts'] !== undefined ? { maxAttempts: atLeastOne('--max-attempts', values['max-attempts']) } : {}),
    ...(values.wait !== undefined ? { waitMs: durationOf('--wait', values.wait) } : {}),
    ...(values['metrics-file'] !== undefined ? { metricsFile: values['metrics-file'] } : {}),
    ...(values.notify !== undefined ? { notify: webhookUrl(values.notify) } : {}),
    ...(config !== undefined ? { config } : {}),
    env: values.env,
    json: values.json!,
    events: values.events!,
    yes: values.yes!,
    forceRecreate: values['force-recreate']!,
    dryRun: values['dry-run']!,
    showSecrets: values['show-secrets']!,
    pulumi: values.pulumi,
    backend: values.backend,
    retryAttempts: positiveInt('--retry-attempts', values['retry-attempts']),
    retryDelayMs: positiveInt('--retry-delay-ms', values['retry-delay-ms']),
  } as CliArgs;
}
