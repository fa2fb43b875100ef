/** `mops-infra`: the same operations as the extension, for terminals and CI. */
import './compileCache';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { ModelOpsError, ConfigError } from '../core/errors';
import type { Problem } from '../core/config/types';
import type { OperationEvent, PlannedStep } from '../core/events';
import { discoverConfig, modelopsHome } from '../core/paths';
import { EXIT } from '../core/exitCodes';
import { FORCE_STOP_COST, FORCE_STOPPED } from '../core/cancel';
import { isVerb, readsReport } from '../core/verbs';
import { exitCodeOf, operationDocument, reconcileDocument, type ErrorDocument } from '../core/protocol';
import { loadSetup } from '../engine/setup';
import { Engine } from '../engine/engine';
import { forceStopPulumi } from '../engine/pulumiProcess';
import { releaseAllHeld } from '../engine/operationLock';
import { parseCliArgs, USAGE, type CliArgs } from './args';
import { toGithubAnnotations, toSarif } from './formats';
import { formatEvent, formatProblem, formatStatus } from './human';
import { installCancellation } from './signals';
import { CLI_VERBS, type CliVerb, type Consent, type Ran, type VerbRun } from './verbs';

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

/**
 * The one consent rule: a verb that may destroy or replace asks on a terminal, without --yes or
 * --dry-run, after a dry run shows what; the real run is told `yes` by --yes or by that person.
 */
async function consentOf(verb: CliVerb, v: VerbRun): Promise<Consent | undefined> {
  const { args, setup } = v;
  const consent = { dryRun: args.dryRun, yes: args.yes || asksOnTerminal(args) };
  if (!verb.confirm || !(verb.confirm.when?.(args) ?? true) || args.yes || args.dryRun || !asksOnTerminal(args)) return consent;
  let plan: PlannedStep[] = [];
  await verb.run({ ...v, engine: new Engine(setup, (e) => void (e.type === 'plan' && (plan = e.steps))) }, { dryRun: true, yes: false });
  const lines = verb.confirm.describe(plan, setup);
  if (!lines) return consent;
  for (const line of lines) print(line);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const yes = (await rl.question('Type "yes" to go ahead: ')).trim().toLowerCase() === 'yes';
    if (!yes) print('Nothing was changed.');
    return yes ? consent : undefined;
  } finally {
    rl.close();
  }
}

/** The report a run read: with --json as one document; with --events (a verb that only reads) one line and the stream's operation-done; else in words. */
function printReport(args: CliArgs, ran: Ran, started: number): void {
  if (args.json) print(JSON.stringify(ran.report, null, 2));
  else if (args.events && readsReport(args.verb)) {
    print(JSON.stringify(ran.report));
    print(JSON.stringify({ type: 'operation-done', operation: args.verb, result: ran.result, summary: `${args.verb} read`, durationMs: Date.now() - started } satisfies OperationEvent));
  } else if (!args.events && ran.words) print(ran.words);
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
  engine = new Engine(setup, sink, cancellation.signal, args.waitMs);
  setEngine(engine);

  const verb = CLI_VERBS[args.verb];
  const v: VerbRun = { engine, setup, args, setupOptions, events };
  const consent = await consentOf(verb, v);
  const started = Date.now();
  const outcome = consent ? await verb.run(v, consent) : 'refused';
  const ran: Ran = typeof outcome === 'string' ? { result: outcome } : outcome;
  if (ran.report !== undefined) printReport(args, ran, started);
  else if (forCi(args)) printForCi(args, operationDocument(events).problems);
  else if (args.json) print(JSON.stringify(operationDocument(events), null, 2));
  return ran.exitCode ?? exitCodeOf(ran.result, engine.current?.refusal);
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
      const verb = argv.find(isVerb);
      if (argv.includes('--events') && verb) {
        print(JSON.stringify({ type: 'operation-done', operation: verb, result: 'refused', summary: (error as Error).message, durationMs: 0, refusal: 'invalid-input' } satisfies OperationEvent));
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
