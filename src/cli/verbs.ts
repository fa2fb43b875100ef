/**
 * What each verb does on the command line, in one table (the verbs themselves are declared in
 * core/verbs.ts, and the compiler holds this table to them): the operation it runs with options
 * taken from the arguments, what needs a person's consent first, and the report it prints.
 * main.ts runs every entry the same way.
 */
import { unprotectsNote } from '../core/dataGuard';
import type { OperationEvent, OperationResult, PlannedStep } from '../core/events';
import { DEFAULT_INTERVAL_SECONDS, DEFAULT_MAX_ATTEMPTS } from '../core/attempts';
import { EXIT } from '../core/exitCodes';
import { exitCodeOf, reconcileDocument, type DriftDocument, type PreviewDocument } from '../core/protocol';
import type { Verb } from '../core/verbs';
import { readinessMetrics } from '../core/metrics';
import type { Engine } from '../engine/engine';
import { loadSetup, type Setup, type SetupOptions } from '../engine/setup';
import { down } from '../engine/operations/down';
import { drift } from '../engine/operations/drift';
import { environmentsReport } from '../engine/operations/environments';
import { health } from '../engine/operations/health';
import { history } from '../engine/operations/history';
import { migrate } from '../engine/operations/migrate';
import { outputsReport } from '../engine/operations/outputs';
import { preview } from '../engine/operations/preview';
import { reconcile } from '../engine/operations/reconcile';
import { repair } from '../engine/operations/repair';
import { rollback } from '../engine/operations/rollback';
import { readState } from '../engine/operations/state';
import { status, statusExitCode, statusReport } from '../engine/operations/status';
import { up } from '../engine/operations/up';
import { validate } from '../engine/operations/validate';
import type { CliArgs } from './args';
import { formatEnvironments, formatHistory, formatOutputs, formatState, formatStatus } from './human';

/** What a verb runs with. */
export interface VerbRun {
  engine: Engine;
  setup: Setup;
  args: CliArgs;
  setupOptions: SetupOptions;
  /** Every event of the run so far (the documents of --json are built from them). */
  events: readonly OperationEvent[];
}

/** What the operation is told about consent: a dry run only plans; `yes` is --yes or a person's "yes" (main.ts). */
export interface Consent {
  dryRun: boolean;
  yes: boolean;
}

/** What a run came to, beyond its result. */
export interface Ran {
  result: OperationResult;
  /** What it read: printed with --json, and by a verb that only reads with --events too. */
  report?: unknown;
  /** The report in words, for a terminal (human.ts); absent: its events already said it. */
  words?: string;
  /** When it is not the result's (exitCodeOf). */
  exitCode?: number;
}

export interface CliVerb {
  run: (v: VerbRun, consent: Consent) => Promise<OperationResult | Ran>;
  /**
   * It may destroy or replace: on a terminal, without --yes or --dry-run, a dry run shows what
   * (`describe` the lines; undefined: nothing worth asking) and a person types "yes".
   */
  confirm?: { when?: (args: CliArgs) => boolean; describe: (steps: PlannedStep[], setup: Setup) => string[] | undefined };
}

/** What destroys would take, in order, with what holds data. */
function destroyLines(setup: Setup, steps: PlannedStep[], then: string): string[] | undefined {
  const destroys = steps.filter((s) => s.action === 'destroy');
  if (!destroys.length) return undefined;
  // The config may have been found rather than named (~/.modelops/modelops.yaml): say which, before anything goes.
  return [`These stacks of environment "${setup.env}" (from ${setup.parsed.file}) are destroyed, in this order${then}:`, ...destroys.map((s) => `  ${s.stack} (${s.component})${s.holdsData ? ` — ${s.holdsData}` : ''}`), ...[unprotectsNote(destroys) ?? []].flat()];
}

const orNothing = (lines: string[]): string[] | undefined => (lines.length ? lines : undefined);
const read = (report: unknown, words: string): Ran => ({ result: 'succeeded', report, words });

export const CLI_VERBS: Readonly<Record<Verb, CliVerb>> = {
  status: {
    // With --events the stream says it; else one report, whose exit code says whether all is ready.
    run: async ({ engine, args }) => {
      if (args.events) return status(engine);
      const report = await statusReport(engine);
      const words = args.format === 'openmetrics' ? readinessMetrics(report.env, report.components, Date.now()).trimEnd() : formatStatus(report.env, report.configFile, report.components, report.problems);
      return { result: 'succeeded', report, words, exitCode: statusExitCode(engine, report) };
    },
  },
  validate: { run: ({ engine, args }) => validate(engine, { preflight: !args.skipPreflight }) },
  health: { run: ({ engine }) => health(engine) },
  up: {
    run: ({ engine, args }, consent) =>
      up(engine, { components: args.components, forceRecreate: args.forceRecreate, rollbackOnFailure: args.rollbackOnFailure, preflight: !args.skipPreflight, allowReplace: args.allowReplace, bundleEnv: !args.noBundleEnv, kubeContext: !args.noKubeContext, ...consent }),
    confirm: { when: (args) => args.forceRecreate, describe: (steps, setup) => destroyLines(setup, steps, ', then provisioned again') },
  },
  preview: {
    run: async ({ engine, setup, args }) => {
      const { result, previews } = await preview(engine, { components: args.components });
      return { result, report: { env: setup.env, components: previews } satisfies PreviewDocument };
    },
  },
  down: {
    run: ({ engine, args }, consent) => down(engine, { components: args.components, withDependents: args.withDependents, all: args.all, also: args.alsoDestroy, bundleEnv: !args.noBundleEnv, kubeContext: !args.noKubeContext, ...consent }),
    confirm: { describe: (steps, setup) => destroyLines(setup, steps, '') },
  },
  history: {
    run: async ({ engine, args }) => {
      const doc = await history(engine, args.component!);
      return read(doc, formatHistory(doc));
    },
  },
  rollback: {
    run: ({ engine, args }, consent) => rollback(engine, args.component!, { to: args.to, allowReplace: args.allowReplace, ...consent }),
    confirm: { describe: (steps) => orNothing(steps.filter((s) => s.action === 'up').map((s) => `${s.stack}: ${s.reason}`)) },
  },
  repair: { run: ({ engine, args }) => repair(engine, args.component!, { forceUnlock: args.forceUnlock, allowReplace: args.allowReplace }) },
  drift: {
    // Exit 1 when something drifted, as when a check could not run.
    run: async ({ engine, setup, args }) => {
      const { result, checks } = await drift(engine, { components: args.components });
      const code = exitCodeOf(result, engine.current?.refusal);
      return { result, report: { env: setup.env, components: checks } satisfies DriftDocument, exitCode: code === EXIT.ok && checks.some((c) => c.drifted) ? EXIT.failed : code };
    },
  },
  reconcile: {
    // With --json, one document per pass: here for --once; a loop that goes on prints each as it ends (main.ts).
    run: async ({ engine, args, setupOptions, events }) => {
      const result = await reconcile(engine, {
        once: args.once,
        heal: args.heal,
        intervalSeconds: args.interval ?? DEFAULT_INTERVAL_SECONDS,
        maxAttempts: args.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        reload: () => loadSetup(setupOptions),
        metricsFile: args.metricsFile,
        notify: args.notify,
      });
      return args.once ? { result, report: reconcileDocument(events) } : { result };
    },
  },
  outputs: {
    run: async ({ engine, setup, args }) => {
      const report = await outputsReport(engine, args.component, args.showSecrets);
      return read(report, formatOutputs(report, setup.env));
    },
  },
  environments: {
    run: async ({ engine, setupOptions }) => {
      const report = await environmentsReport(engine, setupOptions);
      return read(report, formatEnvironments(report));
    },
  },
  state: {
    run: async ({ engine, args }) => {
      const report = await readState(engine, args.component!);
      return read(report, formatState(report));
    },
  },
  migrate: {
    run: ({ engine }, consent) => migrate(engine, consent),
    confirm: { describe: (steps) => orNothing(steps.map((s) => `${s.stack}: ${s.action} — ${s.reason}`)) },
  },
};
