/** `mops-infra`: the same operations as the extension, for terminals and CI. */
import './compileCache';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { unprotectsNote } from '../core/dataGuard';
import { ConfigError, ModelOpsError, UnknownStackError } from '../core/errors';
import type { Problem } from '../core/config/types';
import type { OperationEvent, OperationResult, PlannedStep } from '../core/events';
import { discoverConfig, modelopsHome } from '../core/paths';
import { DEFAULT_INTERVAL_SECONDS, DEFAULT_MAX_ATTEMPTS } from '../core/attempts';
import { EXIT } from '../core/exitCodes';
import { VERBS, type Verb } from '../core/verbs';
import { exitCodeOf, operationDocument, reconcileDocument, type AllOutputsReport, type DriftDocument, type ErrorDocument, type OutputsReport, type PreviewDocument } from '../core/protocol';
import { loadSetup, resolveComponents, type Setup, type SetupOptions } from '../engine/setup';
import { Engine } from '../engine/engine';
import { down } from '../engine/operations/down';
import { drift } from '../engine/operations/drift';
import { reconcile } from '../engine/operations/reconcile';
import { health } from '../engine/operations/health';
import { history } from '../engine/operations/history';
import { preview } from '../engine/operations/preview';
import { rollback } from '../engine/operations/rollback';
import { migrate } from '../engine/operations/migrate';
import { readOutputs } from '../engine/outputReader';
import { readState } from '../engine/operations/state';
import { environmentsReport } from '../engine/operations/environments';
import { repair } from '../engine/operations/repair';
import { status, statusExitCode, statusReport } from '../engine/operations/status';
import { up } from '../engine/operations/up';
import { validate } from '../engine/operations/validate';
import { forceStopPulumi } from '../engine/pulumiProcess';
import { releaseAllHeld } from '../engine/operationLock';
import { parseCliArgs, USAGE, type CliArgs } from './args';
import { toGithubAnnotations, toSarif } from './formats';
import { formatEvent, formatHistory, formatProblem, formatStatus } from './human';

declare const MOPS_VERSION: string | undefined;
const VERSION = typeof MOPS_VERSION === 'string' ? MOPS_VERSION : '0.0.0-dev';

/** The repository the paths of CI annotations are relative to: GitHub's workspace, else git's top level, else here. */
function repositoryRoot(): string {
  if (process.env.GITHUB_WORKSPACE) return process.env.GITHUB_WORKSPACE;
  const git = spawnSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' });
  return git.status === 0 && git.stdout.trim() ? git.stdout.trim() : process.cwd();
}

/** Problems as a CI system reads them (`validate --format sarif|github`). */
function printForCi(args: CliArgs, problems: readonly Problem[]): void {
  const root = repositoryRoot();
  if (args.format === 'sarif') print(JSON.stringify(toSarif(problems, root, VERSION), null, 2));
  else for (const line of toGithubAnnotations(problems, root)) print(line);
}

const forCi = (args: CliArgs) => args.format === 'sarif' || args.format === 'github';
import { installCancellation } from './signals';
import { FORCE_STOP_COST, FORCE_STOPPED } from '../core/cancel';

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function humanSink(event: OperationEvent): void {
  if (event.type === 'readiness') {
    if (!event.partial) print(formatStatus('', '', event.components, []).split('\n').slice(1).join('\n'));
    return;
  }
  if (event.type === 'problem') return print(formatProblem(event.problem));
  const line = formatEvent(event);
  if (line) print(line);
}

/** Whether a person is asked on the terminal (no --json or --events, input from a TTY). */
const asksOnTerminal = (args: CliArgs): boolean => !!process.stdin.isTTY && !args.json && !args.events;

/** What the real run is told: confirmed by --yes, or by the person asked before it (confirmOnTerminal). */
const confirmed = (args: CliArgs): boolean => args.yes || asksOnTerminal(args);

/** On a terminal, without --yes: show what a dry run planned and ask for "yes"; true when the real run may go ahead. */
async function confirmOnTerminal(args: CliArgs, dryRun: (engine: Engine) => Promise<unknown>, setup: Setup, describe: (steps: PlannedStep[]) => string[] | undefined): Promise<boolean> {
  if (args.yes || args.dryRun || !asksOnTerminal(args)) return true;
  let plan: PlannedStep[] = [];
  await dryRun(new Engine(setup, (e) => void (e.type === 'plan' && (plan = e.steps))));
  const lines = describe(plan);
  if (!lines) return true;
  for (const line of lines) print(line);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const yes = (await rl.question('Type "yes" to go ahead: ')).trim().toLowerCase() === 'yes';
    if (!yes) print('Nothing was changed.');
    return yes;
  } finally {
    rl.close();
  }
}

/** What destroys would take, in order, with what holds data. */
function destroyLines(setup: Setup, steps: PlannedStep[], then: string): string[] | undefined {
  const destroys = steps.filter((s) => s.action === 'destroy');
  if (!destroys.length) return undefined;
  // The config may have been found rather than named (~/.modelops/modelops.yaml): say which, before anything goes.
  return [`These stacks of environment "${setup.env}" (from ${setup.parsed.file}) are destroyed, in this order${then}:`, ...destroys.map((s) => `  ${s.stack} (${s.component})${s.holdsData ? ` — ${s.holdsData}` : ''}`), ...[unprotectsNote(destroys) ?? []].flat()];
}

async function runUp(engine: Engine, setup: Setup, args: CliArgs): Promise<OperationResult> {
  const options = { components: args.components, forceRecreate: args.forceRecreate, dryRun: args.dryRun, yes: args.yes, rollbackOnFailure: args.rollbackOnFailure, preflight: !args.skipPreflight, allowReplace: args.allowReplace, bundleEnv: !args.noBundleEnv, kubeContext: !args.noKubeContext };
  if (args.forceRecreate && !(await confirmOnTerminal(args, (e) => up(e, { ...options, dryRun: true }), setup, (steps) => destroyLines(setup, steps, ', then provisioned again')))) return 'refused';
  return up(engine, { ...options, yes: args.yes || (args.forceRecreate && asksOnTerminal(args)) });
}

async function runDown(engine: Engine, setup: Setup, args: CliArgs): Promise<OperationResult> {
  const options = { components: args.components, withDependents: args.withDependents, all: args.all, also: args.alsoDestroy, dryRun: args.dryRun, yes: args.yes, bundleEnv: !args.noBundleEnv, kubeContext: !args.noKubeContext };
  if (!(await confirmOnTerminal(args, (e) => down(e, { ...options, dryRun: true }), setup, (steps) => destroyLines(setup, steps, '')))) return 'refused';
  return down(engine, { ...options, yes: confirmed(args) });
}

async function runRollback(engine: Engine, setup: Setup, args: CliArgs): Promise<OperationResult> {
  const options = { to: args.to, allowReplace: args.allowReplace, dryRun: args.dryRun, yes: args.yes };
  const describe = (steps: PlannedStep[]) => steps.filter((s) => s.action === 'up').map((s) => `${s.stack}: ${s.reason}`);
  if (!(await confirmOnTerminal(args, (e) => rollback(e, args.component!, { ...options, dryRun: true }), setup, (steps) => (describe(steps).length ? describe(steps) : undefined)))) return 'refused';
  return rollback(engine, args.component!, { ...options, yes: confirmed(args) });
}

async function runMigrate(engine: Engine, setup: Setup, args: CliArgs): Promise<OperationResult> {
  const describe = (steps: PlannedStep[]) => steps.map((s) => `${s.stack}: ${s.action} — ${s.reason}`);
  if (!(await confirmOnTerminal(args, (e) => migrate(e, { dryRun: true }), setup, (steps) => (steps.length ? describe(steps) : undefined)))) return 'refused';
  return migrate(engine, { dryRun: args.dryRun, yes: confirmed(args) });
}

async function runPreview(engine: Engine, setup: Setup, args: CliArgs): Promise<OperationResult> {
  const { result, previews } = await preview(engine, { components: args.components });
  if (args.json) {
    const doc: PreviewDocument = { env: setup.env, components: previews };
    print(JSON.stringify(doc, null, 2));
  }
  return result;
}

/** `drift`: exit 1 when something drifted, as when a check could not run. */
async function runDrift(engine: Engine, setup: Setup, args: CliArgs): Promise<number> {
  const { result, checks } = await drift(engine, { components: args.components });
  if (args.json) {
    const doc: DriftDocument = { env: setup.env, components: checks };
    print(JSON.stringify(doc, null, 2));
  }
  const code = exitCodeOf(result, engine.current?.refusal);
  return code === EXIT.ok && checks.some((c) => c.drifted) ? EXIT.failed : code;
}

/** `reconcile`: with --json, one document per pass (one line each when the loop goes on). */
async function runReconcile(engine: Engine, args: CliArgs, setupOptions: Parameters<typeof loadSetup>[0], events: OperationEvent[]): Promise<OperationResult> {
  const result = await reconcile(engine, {
    once: args.once,
    heal: args.heal,
    intervalSeconds: args.interval ?? DEFAULT_INTERVAL_SECONDS,
    maxAttempts: args.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    reload: () => loadSetup(setupOptions),
  });
  if (args.json && args.once) print(JSON.stringify(reconcileDocument(events), null, 2));
  return result;
}

async function runHistory(engine: Engine, args: CliArgs): Promise<number> {
  const doc = await history(engine, args.component!);
  if (args.json || args.events) print(JSON.stringify(doc, null, args.json ? 2 : undefined));
  else print(formatHistory(doc));
  return EXIT.ok;
}

/** A verb that only reads prints its report, and with --events its stream ends, as every stream does, with one operation-done. */
async function endsEvents(args: CliArgs, read: () => Promise<number>): Promise<number> {
  const started = Date.now();
  const code = await read();
  if (args.events) print(JSON.stringify({ type: 'operation-done', operation: args.verb, result: 'succeeded', summary: `${args.verb} read`, durationMs: Date.now() - started } satisfies OperationEvent));
  return code;
}

const outputLine = (name: string, value: unknown): string => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;

async function runOutputs(engine: Engine, setup: Setup, args: CliArgs): Promise<number> {
  if (setup.configErrors.length) throw new ConfigError(setup.parsed.file, setup.configErrors);
  if (args.component === undefined) return runAllOutputs(engine, setup, args);
  const [component] = resolveComponents(setup, [args.component]);
  const outputs = await readOutputs(engine, component, args.showSecrets);
  if (args.json || args.events) print(JSON.stringify({ component: component.name, stack: component.stack, outputs } satisfies OutputsReport));
  else for (const [name, o] of Object.entries(outputs)) print(outputLine(name, o.value));
  return EXIT.ok;
}

/** Every component's outputs, as the original's `mops infra outputs`; components without a stack are left out. */
async function runAllOutputs(engine: Engine, setup: Setup, args: CliArgs): Promise<number> {
  const { states } = await engine.snapshot();
  const existing = setup.graph.topologicalOrder().map((n) => setup.byName.get(n)!).filter((c) => states.get(c.name)?.exists);
  const read = await Promise.all(
    existing.map((component) =>
      readOutputs(engine, component, args.showSecrets).then(
        (outputs): OutputsReport => ({ component: component.name, stack: component.stack, outputs }),
        (error: unknown) => {
          if (error instanceof UnknownStackError) return undefined;
          throw error;
        },
      ),
    ),
  );
  const components = read.filter((c): c is OutputsReport => c !== undefined);
  if (args.json || args.events) print(JSON.stringify({ components } satisfies AllOutputsReport));
  else if (!components.length) print(`No component of environment "${setup.env}" has a stack yet: run up.`);
  else print(components.map((c) => [`${c.component} (${c.stack})`, ...Object.entries(c.outputs).map(([name, o]) => `  ${outputLine(name, o.value)}`)].join('\n')).join('\n\n'));
  return EXIT.ok;
}

async function runState(engine: Engine, setup: Setup, args: CliArgs): Promise<number> {
  const [component] = resolveComponents(setup, [args.component!]);
  if (setup.configErrors.length) throw new ConfigError(setup.parsed.file, setup.configErrors);
  const report = await readState(engine, component);
  if (args.json || args.events) print(JSON.stringify(report));
  else {
    print(`${report.component} (stack ${report.stack}): ${report.resources.length} resources`);
    for (const r of report.resources) print(`  ${r.type}  ${r.urn.slice(r.urn.lastIndexOf('::') + 2)}${r.id ? `  ${r.id}` : ''}`);
    for (const [name, value] of Object.entries(report.outputs)) print(`  output ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    for (const p of report.pendingOperations) print(`  pending ${p.type}: ${p.urn}`);
  }
  return EXIT.ok;
}

async function runEnvironments(engine: Engine, args: CliArgs, options: SetupOptions): Promise<number> {
  const report = await environmentsReport(engine, options);
  if (args.json || args.events) print(JSON.stringify(report));
  else for (const e of report.environments) print(`${e.current ? '*' : ' '} ${e.name.padEnd(16)} ${e.ready}/${e.total} ready${e.deployed < e.total ? `, ${e.total - e.deployed} not created` : ''}`);
  return EXIT.ok;
}

async function run(args: CliArgs, setEngine: (e: Engine) => void): Promise<number> {
  let engine: Engine | undefined;
  const cancellation = installCancellation(
    (message) => process.stderr.write(`${message}\n`),
    async () => {
      process.stderr.write(`stopping Pulumi now: ${FORCE_STOP_COST}\n`);
      // Stopping the engine under a running inline program fails its pending calls: expected
      // now, and no reason to end with anything but 130 and the one operation-done.
      process.on('uncaughtException', () => undefined);
      process.on('unhandledRejection', () => undefined);
      await forceStopPulumi();
      // Our locks would outlive a forced exit, and every other machine would have to wait them out.
      await releaseAllHeld();
      engine?.current?.done('cancelled', FORCE_STOPPED);
    },
  );
  const setupOptions = {
    configFile: args.config ?? discoverConfig(process.cwd(), modelopsHome(process.env), existsSync),
    env: args.env,
    backend: args.backend,
    pulumiPath: args.pulumi,
    retry: { ...(args.retryAttempts !== undefined && { attempts: args.retryAttempts }), ...(args.retryDelayMs !== undefined && { initialDelayMs: args.retryDelayMs }) },
  };
  const setup = loadSetup(setupOptions);
  const events: OperationEvent[] = [];
  const jsonSink = (e: OperationEvent) => {
    events.push(e);
    // A reconcile loop that goes on prints each pass as it ends, one line each.
    if (args.verb === 'reconcile' && !args.once && e.type === 'pass' && e.phase === 'end') print(JSON.stringify(reconcileDocument(events.splice(0))));
  };
  const sink = args.events ? (e: OperationEvent) => print(JSON.stringify(e)) : args.json || forCi(args) ? jsonSink : humanSink;
  engine = new Engine(setup, sink, cancellation.signal);
  setEngine(engine);

  if (args.verb === 'status' && !args.events) {
    const report = await statusReport(engine);
    print(args.json ? JSON.stringify(report, null, 2) : formatStatus(report.env, report.configFile, report.components, report.problems));
    return statusExitCode(engine, report);
  }
  if (args.verb === 'outputs') return endsEvents(args, () => runOutputs(engine, setup, args));
  if (args.verb === 'state') return endsEvents(args, () => runState(engine, setup, args));
  if (args.verb === 'environments') return endsEvents(args, () => runEnvironments(engine, args, setupOptions));
  if (args.verb === 'history') return endsEvents(args, () => runHistory(engine, args));
  if (args.verb === 'drift') return runDrift(engine, setup, args);
  const operations: Record<Exclude<typeof args.verb, 'outputs' | 'history' | 'drift'>, () => Promise<OperationResult>> = {
    status: () => status(engine),
    validate: () => validate(engine, { preflight: !args.skipPreflight }),
    health: () => health(engine),
    repair: () => repair(engine, args.component!, { forceUnlock: args.forceUnlock, allowReplace: args.allowReplace }),
    up: () => runUp(engine, setup, args),
    down: () => runDown(engine, setup, args),
    preview: () => runPreview(engine, setup, args),
    rollback: () => runRollback(engine, setup, args),
    migrate: () => runMigrate(engine, setup, args),
    reconcile: () => runReconcile(engine, args, setupOptions, events),
  };
  const result = await operations[args.verb]();
  if (forCi(args)) printForCi(args, operationDocument(events).problems);
  else if (args.json && !['preview', 'reconcile'].includes(args.verb)) print(JSON.stringify(operationDocument(events), null, 2));
  return exitCodeOf(result, engine.current?.refusal);
}

/**
 * An error that stopped the command: on stderr in words (azure.yaml problems with their
 * positions); with --json as one document; with --events as events, and the stream still
 * ends with exactly one operation-done.
 */
function reportError(error: unknown, args: CliArgs, engine: Engine | undefined): number {
  const message = (error as Error).message;
  const exitCode = error instanceof ModelOpsError ? error.exitCode : EXIT.failed;
  const invalid = exitCode === EXIT.invalidInput;
  const problems = error instanceof ConfigError ? error.problems : [];
  if (problems.length) for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  else process.stderr.write(`mops-infra: ${message}\n`);
  if (forCi(args)) printForCi(args, problems);
  if (args.events) {
    for (const problem of problems) print(JSON.stringify({ type: 'problem', problem } satisfies OperationEvent));
    if (!invalid) print(JSON.stringify({ type: 'log', level: 'error', message } satisfies OperationEvent));
    const summary = error instanceof ConfigError ? `${error.file} cannot be used: ${problems.length} problem(s)` : message;
    const result = invalid ? 'refused' : 'failed';
    const refusal = invalid ? ('invalid-input' as const) : undefined;
    if (engine?.current) engine.current.done(result, summary, refusal);
    else print(JSON.stringify({ type: 'operation-done', operation: args.verb, result, summary, durationMs: 0, ...(refusal ? { refusal } : {}) } satisfies OperationEvent));
  } else if (args.json) {
    const doc: ErrorDocument = { error: error instanceof ModelOpsError ? error.code : 'failed', message, problems };
    print(JSON.stringify(doc, null, 2));
  }
  return exitCode;
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs | undefined;
  let engine: Engine | undefined;
  try {
    const parsed = parseCliArgs(argv);
    if (parsed === 'help') {
      print(USAGE);
      return EXIT.ok;
    }
    args = parsed;
    return await run(args, (e) => (engine = e));
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') || !args) {
      process.stderr.write(`mops-infra: ${(error as Error).message}\n\n${USAGE}\n`);
      // A stream asked for still ends with its one operation-done, for a verb we know.
      const verb = argv.find((a) => (VERBS as readonly string[]).includes(a));
      if (argv.includes('--events') && verb) {
        print(JSON.stringify({ type: 'operation-done', operation: verb as Verb, result: 'refused', summary: (error as Error).message, durationMs: 0, refusal: 'invalid-input' } satisfies OperationEvent));
      }
      return EXIT.invalidInput;
    }
    return reportError(error, args, engine);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`mops-infra: ${(error as Error).stack ?? error}\n`);
    process.exit(EXIT.failed);
  },
);
