/** What the last drift check found of one resource: deleted or changed outside Pulumi. */
import * as vscode from 'vscode';
import type { DriftedResource } from '../../core/drift';
import { resourceName } from '../../core/plan';
import type { TreeNode } from './node';
import { driftIcon } from './statusIcons';

export class DriftNode implements TreeNode {
  readonly id: string;

  constructor(component: string, private readonly resource: DriftedResource) {
    this.id = `component:${component}/drift/${resource.urn}`;
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.resource;
    const item = new vscode.TreeItem(resourceName(r.urn), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${r.change} outside Pulumi`;
    item.iconPath = driftIcon(r.change);
    item.tooltip = `${r.change} outside Pulumi: ${r.type}\n${r.urn}\nUp (or Reconcile with healing) puts it back.`;
    item.contextValue = 'driftResource';
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}
