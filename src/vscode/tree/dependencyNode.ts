/** One dependency under a component's "Depends on" group, with its status. */
import * as vscode from 'vscode';
import type { TreeNode } from './node';
import { statusIcon } from './statusIcons';

export class DependencyNode implements TreeNode {
  readonly id: string;

  constructor(component: string, private readonly dependency: string, private readonly status: string | undefined) {
    this.id = `component:${component}/depends/${dependency}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.dependency, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.status ?? 'unknown';
    item.iconPath = statusIcon(this.status ?? 'unknown');
    item.contextValue = 'dependency';
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}
