/** One stack output under a component's "Outputs" group; secret values are masked. */
import * as vscode from 'vscode';
import type { OutputReport } from '../../core/readiness';
import { displayValue } from '../view/format';
import { SECRET_MASK } from '../../core/protocol';
import type { OutputRef } from '../commands/outputActions';
import { outputContextValue } from '../view/outputs';
import type { TreeNode } from './node';
import { outputIcon } from './statusIcons';

export class OutputNode implements TreeNode {
  readonly id: string;

  constructor(private readonly component: string, private readonly output: OutputReport) {
    this.id = `component:${component}/outputs/${output.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const o = this.output;
    const ok = o.present && !o.empty;
    const item = new vscode.TreeItem(o.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = displayValue(o);
    item.iconPath = outputIcon(o);
    const state = ok ? 'present' : o.present ? 'empty' : 'missing';
    item.tooltip = `${this.component}.${o.name}: ${state}${o.required ? ' (required)' : ''}${o.secret ? ` · secret ${SECRET_MASK}` : ''}`;
    item.contextValue = outputContextValue(o);
    return item;
  }

  /** What its commands (Copy Value, Open) receive. */
  get ref(): OutputRef {
    return { component: this.component, name: this.output.name, secret: this.output.secret };
  }

  getChildren(): TreeNode[] {
    return [];
  }
}
