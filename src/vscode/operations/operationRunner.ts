/**
 * Runs one CLI operation with a cancellable notification: refuses a second
 * operation on a busy component, streams events (RunReporter), writes the
 * summary line, shows the log only on failure, and refreshes afterwards.
 */
import * as vscode from 'vscode';
import type { OperationResult, RefusedChanges } from '../../core/events';
import { FORCE_STOP_COST } from '../../core/cancel';
import { DEFAULT_WAIT, verbsOf, type FlagValues } from '../../core/flags';
import type { OperationVerb } from '../../core/verbs';
import { resultOfExit } from '../../core/protocol';
import { settingFlags } from '../child/cliArgs';
import type { CliClient } from '../child/cliClient';
import type { Log } from '../log';
import { readSettings } from '../settings';
import { formatElapsed, lowerFirst, runSummary } from '../view/format';
import { driftOutcome, runOutcome, WAIT, type RunOutcome } from '../view/runOutcome';
import { describeTargets, type RunTargets } from '../view/runPhase';
import type { ReadinessStore } from '../readiness/readinessStore';
import type { Refresher } from '../readiness/refresher';
import { RunReporter } from './runReporter';
import type { RunningOperation, RunningOperations } from './runningOperations';

export interface OperationRequest {
  verb: OperationVerb;
  /** Positional arguments (components). */
  positionals: string[];
  /** Its flags (`{ 'force-recreate': true, yes: true }`). */
  flags: FlagValues;
  /** Components this run holds: all, these, or none (validate, health). */
  targets: RunTargets;
  /** Notification title, e.g. "Up cluster". */
  title: string;
  /** The command asks in a modal when the data guard refused the run: no notification then. */
  asksConsent?: boolean;
}

/** How a run ended, and what the data guard refused in it (the command may ask for consent and run again). */
export interface RunEnd {
  result: OperationResult;
  refusedChanges: readonly RefusedChanges[];
}

const FORCE_STOP = 'Force Stop';

/** The text of `file` as an open editor holds it (saved or not). */
function editorText(file: string): string | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file)?.getText();
}

export class OperationRunner {
  constructor(
    private readonly cli: CliClient,
    private readonly running: RunningOperations,
    private readonly store: ReadinessStore,
    private readonly refresher: Refresher,
    private readonly log: Log,
  ) {}

  async run(request: OperationRequest): Promise<RunEnd> {
    const holder = this.running.holder(request.targets);
    if (holder) {
      const what = describeTargets(holder.targets);
      void vscode.window.showWarningMessage(
        `ModelOps: ${request.title} was not started: ${holder.verb} is already running on ${what} (for ${formatElapsed(Date.now() - holder.started)}). Wait for it or cancel it first.`,
      );
      return { result: 'refused', refusedChanges: [] };
    }
    const readyBefore = new Set(this.store.components.filter((c) => c.status === 'ready').map((c) => c.name));
    const child = await this.cli.start(request.verb, request.positionals, { ...request.flags, ...settingFlags(request.verb, readSettings()), events: true });
    const op = this.running.begin(request.verb, request.targets, child, request.title);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `ModelOps: ${request.title}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => this.cancel(op));
          const reporter = new RunReporter(op, this.running, this.store, this.log, progress, editorText);
          child.onEvent((e) => reporter.handle(e));
          child.onStderr((line) => this.log.debug(`cli: ${line}`));
          return this.finish(op, request, reporter, readyBefore);
        },
      );
    } finally {
      this.running.end(op);
      void this.refresher.refresh('operation', true);
    }
  }

  /**
   * First cancel: SIGINT (graceful: Pulumi finishes the steps in flight, however long a provider
   * takes), with a notification that offers Force Stop. Again: SIGINT again, which the CLI treats
   * as a force stop. The status bar says which, in the run's own words, until the run ends.
   */
  cancel(op: RunningOperation): void {
    const title = lowerFirst(op.title);
    const n = op.process.cancel();
    this.running.cancelAsked();
    if (n === 1) {
      this.log.warn(`cancelling ${title} (graceful: running Pulumi steps finish and save their state; Force Stop ends Pulumi now)`);
      void this.offerForceStop(op, title);
    } else this.log.warn(`force-stopping ${title}: ${FORCE_STOP_COST}`);
    this.cancelNotes.get(op.id)?.dispose();
    const note = vscode.window.setStatusBarMessage(n === 1 ? `ModelOps: cancelling ${title}… (Force Stop ends it now)` : `ModelOps: force-stopping ${title}…`);
    this.cancelNotes.set(op.id, note);
    void op.process.done.then(() => {
      note.dispose();
      if (this.cancelNotes.get(op.id) === note) this.cancelNotes.delete(op.id);
    });
  }

  /** Ends the run now: a cancel first when none was asked for, then the second, which forces. */
  forceStop(op: RunningOperation): void {
    if (op.process.ended) return;
    if (op.process.cancelCount === 0) op.process.cancel();
    if (op.process.cancelCount < 2) this.cancel(op);
  }

  /** While the graceful cancel waits on Pulumi: a way to end it now, with what that costs. */
  private async offerForceStop(op: RunningOperation, title: string): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `ModelOps: cancelling ${title}: running Pulumi steps finish and save their state, which can take as long as the provider does. Force Stop ends Pulumi now: ${FORCE_STOP_COST}.`,
      FORCE_STOP,
    );
    if (choice === FORCE_STOP) this.forceStop(op);
  }

  /** The status bar's "cancelling …" of each run being cancelled, gone when it ends. */
  private readonly cancelNotes = new Map<number, vscode.Disposable>();

  private async finish(op: RunningOperation, request: OperationRequest, reporter: RunReporter, readyBefore: ReadonlySet<string>): Promise<RunEnd> {
    const exit = await op.process.done;
    reporter.ensureHeader(this.store.env ?? '');
    const result: OperationResult = reporter.done?.result ?? (op.process.cancelCount > 0 ? 'cancelled' : resultOfExit(exit.code).result);
    const duration = reporter.done?.durationMs ?? Date.now() - op.started;
    const summary = reporter.done?.summary || exit.stderr.trim().split('\n').pop() || `exit code ${exit.code ?? exit.signal}`;
    const line = runSummary(request.verb, result, duration, reporter.readiness ?? this.store.components);
    const becameReady = (reporter.readiness ?? this.store.components).filter((c) => c.status === 'ready' && !readyBefore.has(c.name)).map((c) => c.name);
    const canWait = !!verbsOf('wait')?.includes(request.verb) && request.flags.wait === undefined;
    const outcome = reporter.drifted.length
      ? driftOutcome(reporter.drifted)
      : runOutcome({ title: request.title, result, durationMs: duration, plan: reporter.plan, steps: reporter.steps, summary, becameReady, refusal: reporter.done?.refusal, canWait });
    const write = outcome.severity === 'error' ? this.log.error.bind(this.log) : outcome.severity === 'warning' ? this.log.warn.bind(this.log) : this.log.info.bind(this.log);
    write(line);
    // What the CLI says it did (e.g. which lines of azure.yaml a rollback leaves to revert).
    write(`  ${summary}`);
    // A refusal the user is asked about in a modal right away needs no notification as well.
    if (!(request.asksConsent && result === 'refused' && reporter.refusedChanges.length)) void this.notify(outcome, request);
    return { result, refusedChanges: reporter.refusedChanges };
  }

  /** One notification per run, which stays until dismissed, with its obvious next step and the way to the log. */
  private async notify(outcome: RunOutcome, request: OperationRequest): Promise<void> {
    const show = outcome.severity === 'error' ? vscode.window.showErrorMessage : outcome.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = await show(outcome.message, ...(outcome.action ? [outcome.action.title] : []), ...(outcome.offerWait ? [WAIT] : []), 'Show Log');
    if (choice === 'Show Log') this.log.show();
    else if (choice === WAIT) await this.run({ ...request, flags: { ...request.flags, wait: DEFAULT_WAIT }, title: `${request.title} (waiting for the run that holds it)` });
    else if (outcome.action && choice === outcome.action.title) await vscode.commands.executeCommand(outcome.action.command);
  }
}
