/**
 * TreeDataProvider of the Components view. Nodes are kept per component so a
 * refresh updates them in place (stable ids keep expansion) and the timer can
 * repaint only the running ones.
 */
import * as vscode from 'vscode';
import type { RunningOperations } from '../operations/runningOperations';
import type { ReconcileLoop } from '../reconcile/reconcileLoop';
import type { ReadinessStore } from '../readiness/readinessStore';
import { ComponentNode } from './componentNode';
import type { TreeNode } from './node';

export class ComponentsProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly nodes = new Map<string, ComponentNode>();
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** False while setup is incomplete (no config, no Pulumi): the view is empty and shows its welcome. */
  private visible = true;

  constructor(private readonly store: ReadinessStore, private readonly running: RunningOperations, private readonly loop?: ReconcileLoop) {
    this.subscriptions = [
      ...(loop ? [loop.onDidChange(() => this.changed.fire(undefined))] : []),
      store.onDidChange(() => this.changed.fire(undefined)),
      running.onDidChange(() => this.changed.fire(undefined)),
      running.onDidTick(() => {
        const busy = [...this.nodes.values()].filter((n) => running.phaseOf(n.name)?.phase.kind === 'running');
        if (busy.length) this.changed.fire(busy);
      }),
    ];
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

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.getChildren();
    if (!this.visible) return [];
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
