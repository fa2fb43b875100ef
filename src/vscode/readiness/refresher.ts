/**
 * Reads status again (`status --json`, state files only): on demand, after
 * every operation, when azure.yaml or a Pulumi stack config changes, and —
 * when `refreshIntervalSeconds` > 0 — on a timer that runs only while the view
 * is visible. Debounced and single-flight; each refresh records why.
 */
import type * as vscode from 'vscode';
import type { CliClient } from '../child/cliClient';
import type { ConfigLocator } from '../config/configLocator';
import type { Log } from '../log';
import type { RunningOperations } from '../operations/runningOperations';
import { readSettings } from '../settings';
import type { ReadinessStore } from './readinessStore';

export type RefreshReason = 'manual' | 'activation' | 'operation' | 'config' | 'file' | 'interval' | 'settings' | 'passphrase' | 'reconcile';

export class Refresher implements vscode.Disposable {
  private debounce: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private viewVisible = false;
  private readonly reasons = new Set<RefreshReason>();
  private waiters: (() => void)[] = [];

  constructor(
    private readonly cli: CliClient,
    private readonly store: ReadinessStore,
    private readonly locator: ConfigLocator,
    private readonly running: RunningOperations,
    private readonly log: Log,
  ) {}

  /** Debounced (500 ms) unless `now`. Resolves when the refresh that covers this request is done. */
  refresh(reason: RefreshReason, now = false): Promise<void> {
    this.reasons.add(reason);
    if (this.debounce) clearTimeout(this.debounce);
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.debounce = setTimeout(() => {
        this.debounce = undefined;
        const waiters = this.waiters;
        this.waiters = [];
        void this.run().then(() => waiters.forEach((w) => w()));
      }, now ? 0 : 500);
    });
  }

  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    this.schedulePolling();
  }

  schedulePolling(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    const seconds = readSettings().refreshIntervalSeconds;
    if (seconds > 0 && this.viewVisible) this.poll = setInterval(() => void this.refresh('interval'), Math.max(5, seconds) * 1000);
  }

  /** One read at a time; a request during a read runs right after it. */
  private run(): Promise<void> {
    this.chain = this.chain.then(() => {
      if (this.reasons.size === 0) return;
      const reasons = [...this.reasons].join(', ');
      this.reasons.clear();
      return this.read(reasons);
    });
    return this.chain;
  }

  private async read(reasons: string): Promise<void> {
    if (!this.locator.uri) {
      this.store.clear();
      return;
    }
    this.log.debug(`refresh (${reasons})`);
    // A preview says what an Up would do with azure.yaml as it was.
    if (reasons.includes('config')) this.store.clearPreviews();
    try {
      const report = await this.cli.status();
      this.store.setReport(report, this.running.heldBack('refresh'));
    } catch (error) {
      // Background work never raises a modal: the tree and the log say it.
      const message = (error as Error).message;
      this.log.warn(`status could not be read (${reasons}): ${message}`);
      this.store.setError(message);
    }
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    if (this.poll) clearInterval(this.poll);
  }
}
