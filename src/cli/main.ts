/** `mops-infra`: the same operations as the extension, for terminals and CI. */
import { createInterface } from 'node:readline/promises';
import type { OperationEvent, OperationResult, PlannedStep } from '../core/events';
import { ConfigError, loadContext, resolveComponents, type InfraContext } from '../engine/context';
import { Engine } from '../engine/engine';
import { health } from '../engine/operations/health';
import { readOutputs } from '../engine/operations/outputs';
import { repair } from '../engine/operations/repair';
import { status, statusReport } from '../engine/operations/status';
import { up } from '../engine/operations/up';
import { validate } from '../engine/operations/validate';
import { parseCliArgs, UsageError, USAGE, type CliArgs } from './args';
import { formatEvent, formatProblem, formatStatus } from './human';
import { installCancellation } from './signals';

const EXIT: Record<OperationResult, number> = { succeeded: 0, failed: 1, refused: 3, cancelled: 130 };

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function humanSink(event: OperationEvent): void {
  if (event.type === 'readiness') return print(formatStatus('', '', event.components, []).split('\n').slice(1).join('\n'));
  if (event.type === 'problem') return print(formatProblem(event.problem));
  const line = formatEvent(event);
  if (line) print(line);
}

/** Collects events into the one JSON document `--json` prints. */
function jsonDocument(events: OperationEvent[]): Record<string, unknown> {
  const done = events.find((e) => e.type === 'operation-done');
  const last = <T extends OperationEvent['type']>(type: T) => events.filter((e) => e.type === type).pop() as Extract<OperationEvent, { type: T }> | undefined;
  return {
    operation: done?.type === 'operation-done' ? done.operation : undefined,
    result: done?.type === 'operation-done' ? done.result : undefined,
    summary: done?.type === 'operation-done' ? done.summary : undefined,
    plan: last('plan')?.steps ?? [],
    steps: events.filter((e) => e.type === 'step-done'),
    health: events.filter((e) => e.type === 'health'),
    components: last('readiness')?.components ?? [],
    problems: events.filter((e) => e.type === 'problem').map((e) => (e as Extract<OperationEvent, { type: 'problem' }>).problem),
  };
}

async function confirmDestroy(steps: PlannedStep[]): Promise<boolean> {
  const destroys = steps.filter((s) => s.action === 'destroy');
  if (!destroys.length) return true;
  print('Force recreate destroys these stacks, in this order, then provisions them again:');
  for (const s of destroys) print(`  ${s.stack} (${s.component})`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question('Type "yes" to destroy them: ')).trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

async function runUp(engine: Engine, ctx: InfraContext, args: CliArgs): Promise<OperationResult> {
  const options = { components: args.components, forceRecreate: args.forceRecreate, dryRun: args.dryRun, yes: args.yes };
  if (args.forceRecreate && !args.yes && !args.dryRun && !args.json && !args.events && process.stdin.isTTY) {
    let plan: PlannedStep[] = [];
    await up(new Engine(ctx, (e) => void (e.type === 'plan' && (plan = e.steps))), { ...options, dryRun: true });
    if (!(await confirmDestroy(plan))) {
      print('Nothing was destroyed.');
      return 'refused';
    }
    options.yes = true;
  }
  return up(engine, options);
}

async function runOutputs(engine: Engine, ctx: InfraContext, args: CliArgs): Promise<number> {
  const [component] = resolveComponents(ctx, [args.component!]);
  const outputs = await readOutputs(engine, component, args.showSecrets);
  if (args.json || args.events) print(JSON.stringify({ component: component.name, stack: component.stack, outputs }));
  else for (const [name, o] of Object.entries(outputs)) print(`${name}: ${typeof o.value === 'string' ? o.value : JSON.stringify(o.value)}`);
  return 0;
}

async function run(args: CliArgs): Promise<number> {
  const cancellation = installCancellation((message) => process.stderr.write(`${message}\n`));
  const ctx = loadContext({
    configFile: args.config,
    env: args.env,
    backend: args.backend,
    pulumiPath: args.pulumi,
    retry: { ...(args.retryAttempts !== undefined && { attempts: args.retryAttempts }), ...(args.retryDelayMs !== undefined && { initialDelayMs: args.retryDelayMs }) },
  });
  const events: OperationEvent[] = [];
  const sink = args.events ? (e: OperationEvent) => print(JSON.stringify(e)) : args.json ? (e: OperationEvent) => void events.push(e) : humanSink;
  const engine = new Engine(ctx, sink, cancellation.signal, cancellation.pulumiSignal);

  if (args.verb === 'status' && !args.events) {
    const report = await statusReport(engine);
    print(args.json ? JSON.stringify(report, null, 2) : formatStatus(report.env, report.configFile, report.components, report.problems));
    return 0;
  }
  if (args.verb === 'outputs') return runOutputs(engine, ctx, args);
  const operations = {
    status: () => status(engine),
    validate: () => validate(engine),
    health: () => health(engine),
    repair: () => repair(engine, args.component!),
    up: () => runUp(engine, ctx, args),
  };
  const result = await operations[args.verb]();
  if (args.json) print(JSON.stringify(jsonDocument(events), null, 2));
  return EXIT[result];
}

function reportConfigError(error: ConfigError, args: CliArgs | undefined): void {
  if (args?.events) {
    for (const problem of error.problems) print(JSON.stringify({ type: 'problem', problem }));
    const summary = `${error.file} cannot be used: ${error.problems.length} problem(s)`;
    if (args.verb !== 'outputs') print(JSON.stringify({ type: 'operation-done', operation: args.verb, result: 'refused', summary, durationMs: 0 }));
  }
  else if (args?.json) print(JSON.stringify({ error: 'config', problems: error.problems }, null, 2));
  for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs | undefined;
  try {
    const parsed = parseCliArgs(argv);
    if (parsed === 'help') {
      print(USAGE);
      return 0;
    }
    args = parsed;
    return await run(args);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`mops-infra: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      reportConfigError(error, args);
      return 2;
    }
    process.stderr.write(`mops-infra: ${(error as Error).message}\n`);
    if (args?.events) print(JSON.stringify({ type: 'log', level: 'error', message: (error as Error).message }));
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`mops-infra: ${(error as Error).stack ?? error}\n`);
    process.exit(2);
  },
);
