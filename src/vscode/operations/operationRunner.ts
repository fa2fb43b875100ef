/**
 * Runs one CLI operation with a cancellable notification: refuses a second
 * operation on a busy component, streams events (RunReporter), writes the
 * summary line, shows the log only on failure, and refreshes afterwards.
 */
import * as vscode from 'vscode';
import type { OperationResult } from '../../core/events';
import { resultOfExit } from '../../core/protocol';
import type { CliClient } from '../cli/cliClient';
import type { Log } from '../log';
import { formatElapsed, runSummary } from '../view/format';
import { describeTargets, type RunTargets } from '../view/runPhase';
import type { ReadinessStore } from '../readiness/readinessStore';
import type { Refresher } from '../readiness/refresher';
import { RunReporter } from './runReporter';
import type { RunningOperation, RunningOperations } from './runningOperations';

export interface OperationRequest {
  verb: 'up' | 'preview' | 'down' | 'rollback' | 'repair' | 'validate' | 'health' | 'drift';
  /** Positional arguments (components). */
  positionals: string[];
  /** Extra flags (`--force-recreate --yes`). */
  flags: string[];
  /** Components this run holds: all, these, or none (validate, health). */
  targets: RunTargets;
  /** Notification title, e.g. "Up cluster". */
  title: string;
}

export class OperationRunner {
  constructor(
    private readonly cli: CliClient,
    private readonly running: RunningOperations,
    private readonly store: ReadinessStore,
    private readonly refresher: Refresher,
    private readonly log: Log,
  ) {}

  async run(request: OperationRequest): Promise<OperationResult | undefined> {
    const holder = this.running.holder(request.targets);
    if (holder) {
      const what = describeTargets(holder.targets);
      void vscode.window.showWarningMessage(
        `ModelOps: ${request.title} was not started: ${holder.verb} is already running on ${what} (for ${formatElapsed(Date.now() - holder.started)}). Wait for it or cancel it first.`,
      );
      return 'refused';
    }
    const child = await this.cli.start(request.verb, request.positionals, [...request.flags, '--events']);
    const op = this.running.begin(request.verb, request.targets, child);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `ModelOps: ${request.title}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => this.cancel(op));
          const reporter = new RunReporter(op, this.running, this.store, this.log, progress);
          child.onEvent((e) => reporter.handle(e));
          child.onStderr((line) => this.log.debug(`cli: ${line}`));
          return this.finish(op, request, reporter);
        },
      );
    } finally {
      this.running.end(op);
      void this.refresher.refresh('operation', true);
    }
  }

  /** First cancel: SIGINT (graceful). Again: SIGINT again, which the CLI treats as force. */
  cancel(op: RunningOperation): void {
    const n = op.process.cancel();
    if (n === 1) this.log.warn(`cancelling ${op.verb} (graceful; cancel again to force)`);
    else this.log.warn(`force-cancelling ${op.verb} (cancel #${n})`);
    void vscode.window.setStatusBarMessage(n === 1 ? `ModelOps: cancelling ${op.verb}… (cancel again to force)` : `ModelOps: force-cancelling ${op.verb}…`, 5000);
  }

  private async finish(op: RunningOperation, request: OperationRequest, reporter: RunReporter): Promise<OperationResult> {
    const exit = await op.process.done;
    reporter.ensureHeader(this.store.env ?? '');
    const result: OperationResult = reporter.done?.result ?? (op.process.cancelCount > 0 ? 'cancelled' : resultOfExit(exit.code).result);
    const duration = reporter.done?.durationMs ?? Date.now() - op.started;
    const summary = reporter.done?.summary || exit.stderr.trim().split('\n').pop() || `exit code ${exit.code ?? exit.signal}`;
    const line = runSummary(request.verb, result, duration, reporter.readiness ?? this.store.components);
    if (result === 'failed') {
      this.log.error(line);
      this.log.error(`  ${summary}`);
      void this.notify('error', `ModelOps: ${request.title} failed: ${summary}`);
    } else if (result === 'refused') {
      this.log.warn(line);
      this.log.warn(`  ${summary}`);
      void this.notify('warning', `ModelOps: ${request.title} was refused: ${summary}`);
    } else if (reporter.drifted.length) {
      this.log.warn(line);
      this.log.warn(`  ${summary}`);
      void this.notify('warning', `ModelOps: drift found: ${reporter.drifted.join(', ')}. Up puts it back (the tree shows what changed).`);
    } else {
      this.log.info(line);
      // What the CLI says it did (e.g. which lines of azure.yaml a rollback leaves to revert).
      if (reporter.done?.summary) this.log.info(`  ${reporter.done.summary}`);
      void vscode.window.setStatusBarMessage(`ModelOps: ${request.title} ${result}`, 8000);
    }
    return result;
  }

  private async notify(kind: 'error' | 'warning', message: string): Promise<void> {
    const show = kind === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    if ((await show(message, 'Show Log')) === 'Show Log') this.log.show();
  }
}
