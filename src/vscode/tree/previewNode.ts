/** The last Preview of a component: one row per resource that would change. */
import * as vscode from 'vscode';
import type { ResourceChange } from '../../core/events';
import { resourceName } from '../../core/plan';
import type { TreeNode } from './node';
import { changeIcon } from './statusIcons';

export class PreviewResourceNode implements TreeNode {
  readonly id: string;

  constructor(component: string, private readonly change: ResourceChange) {
    this.id = `component:${component}/preview/${change.urn}`;
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.change;
    const item = new vscode.TreeItem(resourceName(c.urn), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = c.stateful ? `${c.op} — holds data` : c.op;
    item.iconPath = changeIcon(c.op, c.stateful);
    item.tooltip = `${c.op} ${c.type}\n${c.urn}${c.stateful ? '\nReplacing or deleting it loses what it holds.' : ''}`;
    item.contextValue = 'previewResource';
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}
