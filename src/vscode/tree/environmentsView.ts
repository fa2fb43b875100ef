/**
 * The Environments view: every environment that has stacks in the backend, each with how many
 * components are ready there (`mops-infra environments`); a click switches to it. Read when the
 * view is shown, after each operation, and when the current environment's figures change.
 */
import * as vscode from 'vscode';
import type { EnvironmentsReport } from '../../core/protocol';
import { deployedCount, summarize } from '../../core/readiness';
import type { CliClient } from '../child/cliClient';
import type { Log } from '../log';
import type { RunningOperations } from '../operations/runningOperations';
import type { ReadinessStore } from '../readiness/readinessStore';
import { currentIsStale, describeEnvironment, environmentLook, withCurrent, type EnvironmentSummary } from '../view/environments';
import { Painted, shown } from './shown';

export const ENVIRONMENTS_VIEW_ID = 'modelopsInfra.environments';

export class EnvironmentsView implements vscode.TreeDataProvider<EnvironmentSummary>, vscode.Disposable {
  private report: EnvironmentsReport | undefined;
  private error: string | undefined;
  /** The read in progress (or done), and the one queued after it. */
  private last: Promise<void> = Promise.resolve();
  private next: Promise<void> | undefined;
  private soon: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly painted = new Painted();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<EnvironmentSummary>;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly cli: CliClient,
    private readonly store: ReadinessStore,
    running: RunningOperations,
    private readonly log: Log,
  ) {
    this.view = vscode.window.createTreeView(ENVIRONMENTS_VIEW_ID, { treeDataProvider: this });
    // While a run of this window goes on, readiness changes after every step: the view is read
    // once the run is over, not after each step.
    const idle = () => running.all.length === 0;
    this.subscriptions = [
      this.view.onDidChangeVisibility((e) => e.visible && void this.reload()),
      running.onDidChange(() => idle() && this.reloadSoon()),
      store.onDidChange(() => {
        this.repaint();
        const { ready } = summarize(store.components);
        if (idle() && store.components.length && currentIsStale(this.report, store.env, ready, deployedCount(store.components))) this.reloadSoon();
      }),
      { dispose: () => clearTimeout(this.soon) },
    ];
  }

  /** A reload a second from now; requests meanwhile join it. */
  private reloadSoon(): void {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => void this.reload(), 1000);
  }

  /**
   * Reads the environments again while the view is shown, or when `always`. One read at a time;
   * requests during a read share the one read that follows it.
   */
  reload(always = false): Promise<void> {
    if (!this.view.visible && !always) return Promise.resolve();
    this.next ??= this.last.then(() => {
      this.next = undefined;
      return this.read();
    });
    this.last = this.next;
    return this.next;
  }

  private async read(): Promise<void> {
    try {
      this.report = await this.cli.environments();
      this.error = undefined;
    } catch (error) {
      this.error = (error as Error).message;
      this.log.warn(`environments: ${this.error}`);
    }
    this.view.message = this.error ? `Environments could not be read: ${this.error}` : undefined;
    this.repaint();
  }

  getChildren(element?: EnvironmentSummary): EnvironmentSummary[] {
    if (element || !this.report) return [];
    const rows = this.store.components;
    const live = rows.length ? { ...summarize(rows), deployed: deployedCount(rows) } : undefined;
    return withCurrent(this.report.environments, this.store.env, live);
  }

  /** Sends VS Code the rows only when one would look different (see shown.ts). */
  private repaint(): void {
    if (this.painted.changed('rows', JSON.stringify(this.getChildren().map((e) => shown(this.getTreeItem(e)))))) this.changed.fire();
  }

  getTreeItem(e: EnvironmentSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
    item.id = `environment:${e.name}`;
    item.description = describeEnvironment(e);
    const look = environmentLook(e);
    item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    item.tooltip = `Environment ${e.name}: ${e.ready} of ${e.total} components ready, ${e.deployed} created.${e.current ? ' The Components view shows this one.' : ' Click to switch to it.'}`;
    item.contextValue = e.current ? 'environment;current' : 'environment';
    if (!e.current) item.command = { command: 'modelopsInfra.switchEnvironment', title: 'Switch to Environment', arguments: [e.name] };
    return item;
  }

  /** What the last read found (for Select Environment). */
  get environments(): readonly EnvironmentSummary[] {
    return this.report?.environments ?? [];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}
