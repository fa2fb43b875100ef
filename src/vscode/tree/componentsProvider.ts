/**
 * TreeDataProvider of the Components view. Nodes are kept per component so a
 * refresh updates them in place (stable ids keep expansion) and the timer can
 * repaint only the running ones.
 *
 * While the rows stay the same components, a change repaints those rows, never the
 * root: a root refresh makes VS Code forget every row's handle until the view has
 * fetched them again, and a row's menu command chosen in that span arrives with no
 * row (it would ask which component instead of acting on the one clicked).
 */
import * as vscode from 'vscode';
import type { RunningOperations } from '../operations/runningOperations';
import type { ReconcileLoop } from '../reconcile/reconcileLoop';
import type { ReadinessStore } from '../readiness/readinessStore';
import { ComponentNode } from './componentNode';
import type { TreeNode } from './node';
import { Painted, shown } from './shown';

/**
 * A row's look with every row under it, expanded or not: VS Code refreshes those with it. A tooltip
 * built on hover is kept until its row is sent again, so what it says is part of the look too, but
 * for when the row was last verified (that changes with every re-read).
 */
function look(node: TreeNode): string {
  const tip = node.tooltipLook?.();
  return shown(node.getTreeItem(), node.getChildren().map(look)) + (tip ? `\n${tip}` : '');
}

export class ComponentsProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly nodes = new Map<string, ComponentNode>();
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** False while setup is incomplete (no config, no Pulumi): the view is empty and shows its welcome. */
  private visible = true;

  constructor(private readonly store: ReadinessStore, private readonly running: RunningOperations, private readonly loop?: ReconcileLoop) {
    this.subscriptions = [
      ...(loop ? [loop.onDidChange(() => this.repaint())] : []),
      store.onDidChange(() => this.repaint()),
      running.onDidChange(() => this.repaint()),
      running.onDidTick(() => {
        const busy = [...this.nodes.values()].filter((n) => running.phaseOf(n.name)?.phase.kind === 'running' && this.lookChanged(n));
        if (busy.length) this.changed.fire(busy);
      }),
    ];
  }

  /** The rows shown, in order, as `getChildren` last returned them. */
  private shown: readonly string[] = [];
  /** What each row (with the rows under it) looked like when VS Code was last sent it. */
  private readonly painted = new Painted();

  /** The shown rows again, in place when they are still the same components; only those whose look changed (see shown.ts). */
  private repaint(): void {
    const rows = this.visible ? this.store.components : [];
    const same = rows.length === this.shown.length && rows.every((r, i) => r.name === this.shown[i]);
    if (!same || !rows.length) return this.changed.fire(undefined);
    for (const r of rows) this.nodes.get(r.name)!.readiness = r;
    const changed = rows.map((r) => this.nodes.get(r.name)!).filter((n) => this.lookChanged(n));
    if (changed.length) this.changed.fire(changed);
  }

  private lookChanged(node: ComponentNode): boolean {
    return this.painted.changed(node.name, look(node));
  }

  setShowComponents(show: boolean): void {
    if (show !== this.visible) {
      this.visible = show;
      this.changed.fire(undefined);
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.resolveTooltip) item.tooltip = node.resolveTooltip();
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.getChildren();
    if (!this.visible) {
      this.shown = [];
      return [];
    }
    const seen = new Set<string>();
    const result = this.store.components.map((r) => {
      seen.add(r.name);
      let n = this.nodes.get(r.name);
      if (n) n.readiness = r;
      else {
        n = new ComponentNode(
          r,
          (name) => this.store.find(name)?.status,
          (name) => this.running.phaseOf(name),
          (name) => this.store.healthOf(name),
          (name) => this.store.previewOf(name),
          (name) => this.loop?.stepOf(name),
        );
        this.nodes.set(r.name, n);
      }
      return n;
    });
    for (const name of [...this.nodes.keys()]) if (!seen.has(name)) this.nodes.delete(name);
    this.painted.forget((name) => seen.has(name));
    for (const n of result) this.lookChanged(n);
    this.shown = result.map((n) => n.name);
    return result;
  }

  getParent(): TreeNode | undefined {
    return undefined;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
