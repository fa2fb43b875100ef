/**
 * Reconcile mode (`modelopsInfra.reconcile.enabled`, off by default): the CLI's reconcile loop
 * in a child process while the window is open, never in the extension host. Its conditions
 * reach the tree as they come ("reconciling (attempt 2 of 3)", "stalled: …"), status is read
 * again after each pass, and its steps go to the log. It restarts when its settings, the
 * config or the environment change, and stops in Restricted Mode.
 */
import * as vscode from 'vscode';
import { describeDrift } from '../../core/drift';
import type { OperationEvent } from '../../core/events';
import { describeCondition } from '../../core/attempts';
import type { CliClient } from '../child/cliClient';
import type { CliProcess } from '../child/cliProcess';
import type { ConfigLocator } from '../config/configLocator';
import type { Log } from '../log';
import type { ReadinessStore } from '../readiness/readinessStore';
import type { Refresher } from '../readiness/refresher';
import { readSettings } from '../settings';

/** After the loop ended on its own (not stopped by us), wait this long before starting it again. */
const RESTART_DELAY_MS = 30_000;

/** Only the host of a webhook URL is ever said: the rest is its credential. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unreadable URL';
  }
}

export class ReconcileLoop implements vscode.Disposable {
  private child: CliProcess | undefined;
  private key: string | undefined;
  /** Every sync waits for the one before it: two can never start two loops. */
  private syncing: Promise<void> = Promise.resolve();
  /** Changes when the passphrase does, so the loop starts again with the new one. */
  private generation = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly working = new Map<string, string>();
  /** What was last logged of each component's condition: a condition is logged when it changes. */
  private readonly logged = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** A step started or ended, or the loop started or stopped. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly cli: CliClient,
    private readonly store: ReadinessStore,
    private readonly refresher: Refresher,
    private readonly locator: ConfigLocator,
    private readonly log: Log,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  /** The step the loop is running on a component, if any (`up`, `drift`, …). */
  stepOf(component: string): string | undefined {
    return this.working.get(component);
  }

  /** Starts, restarts or stops the loop as the settings, Workspace Trust and the config say; one at a time. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncNow()).catch((error: unknown) => this.log.error(`reconcile: ${(error as Error).message}`, false));
    return this.syncing;
  }

  /** The passphrase changed: the loop starts again with it. */
  restart(): Promise<void> {
    this.generation++;
    return this.sync();
  }

  private async syncNow(): Promise<void> {
    const settings = readSettings();
    const want = settings.reconcile.enabled && vscode.workspace.isTrusted && this.locator.uri !== undefined;
    const key = want ? JSON.stringify([settings, this.locator.uri?.toString(), this.generation]) : undefined;
    if (key === this.key && (this.running || !want)) return;
    await this.stop();
    this.key = key;
    if (want) await this.start(settings.reconcile);
  }

  private async start(options: { heal: boolean; intervalSeconds: number; maxAttempts: number; notifyUrl: string }): Promise<void> {
    const child = await this.cli.start('reconcile', [], { interval: options.intervalSeconds, 'max-attempts': options.maxAttempts, events: true, heal: options.heal, ...(options.notifyUrl ? { notify: options.notifyUrl } : {}) });
    this.child = child;
    this.log.info(`reconcile: started (${options.heal ? 'healing' : 'reporting only'}, every ${options.intervalSeconds} s, ${options.maxAttempts} attempts per spec${options.notifyUrl ? `, notifying ${hostOf(options.notifyUrl)}` : ''})`);
    child.onEvent((e) => this.handle(e));
    child.onStderr((line) => this.log.debug(`reconcile: ${line}`));
    this.changed.fire();
    void child.done.then((exit) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.working.clear();
      this.changed.fire();
      this.log.warn(`reconcile: the loop ended (exit ${exit.code ?? exit.signal}); starting it again in ${RESTART_DELAY_MS / 1000} s`);
      this.restartTimer = setTimeout(() => {
        this.key = undefined;
        void this.sync();
      }, RESTART_DELAY_MS);
      this.restartTimer.unref?.();
    });
  }

  /** Stops the loop: SIGINT, so a running step cancels gracefully. */
  async stop(): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    this.working.clear();
    this.logged.clear();
    child.cancel();
    // A running step cancels gracefully; a loop that does not end soon after is stopped hard.
    const ended = await Promise.race([child.done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    if (!ended) {
      child.cancel();
      await Promise.race([child.done, new Promise((r) => setTimeout(r, 5_000))]);
    }
    this.log.info('reconcile: stopped');
    this.changed.fire();
  }

  private handle(e: OperationEvent): void {
    switch (e.type) {
      case 'condition': {
        const { type: _type, component, ...report } = e;
        this.store.setCondition(component, { ...report, at: new Date().toISOString() });
        const words = describeCondition(e);
        const line = `reconcile: ${component} ${words} — ${words.includes(e.reason) ? '' : `${e.reason}: `}${e.message}${e.command ? ` (to unblock: ${e.command})` : ''}`;
        if (this.logged.get(component) !== line) this.log.info(line);
        this.logged.set(component, line);
        return;
      }
      case 'step-start':
        // Checks (drift, probes) run on every component every pass: only healing steps spin.
        if (e.action === 'drift' || e.action === 'probe') return;
        this.working.set(e.component, e.action);
        this.changed.fire();
        return;
      case 'step-done':
        if (this.working.delete(e.component)) this.changed.fire();
        if (e.action !== 'drift' && e.action !== 'preview') this.log.info(`reconcile: ${e.action} ${e.component}: ${e.result}${e.message ? ` — ${e.message}` : ''}`);
        return;
      case 'step-output':
        return this.log.output(e.component, e.line);
      case 'drift':
        if (e.drifted) this.log.warn(`reconcile: ${e.name} ${describeDrift(e.resources)}`);
        return;
      case 'pass':
        if (e.phase === 'end') void this.refresher.refresh('reconcile');
        return;
      case 'log':
        return e.level === 'error' ? this.log.error(`reconcile: ${e.message}`, false) : this.log.warn(`reconcile: ${e.message}`);
      default:
        return;
    }
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }
}
