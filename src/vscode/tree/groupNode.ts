/** "Outputs" and "Depends on" under a component. */
import * as vscode from 'vscode';
import type { TreeNode } from './node';

export class GroupNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly icon: string,
    private readonly description: string,
    private readonly children: TreeNode[],
  ) {}

  getTreeItem(): vscode.TreeItem {
    const state = this.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(this.label, state);
    item.id = this.id;
    item.description = this.description;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'group';
    return item;
  }

  getChildren(): TreeNode[] {
    return this.children;
  }
}
