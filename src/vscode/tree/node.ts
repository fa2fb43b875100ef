/** What every node of the Components view is: a model object that builds its own TreeItem. */
import type * as vscode from 'vscode';

export interface TreeNode {
  readonly id: string;
  getTreeItem(): vscode.TreeItem;
  getChildren(): TreeNode[];
  /** A tooltip built when the row is hovered (it tells how long ago something was), not with the row. */
  resolveTooltip?(): vscode.MarkdownString;
  /** What of that tooltip counts for the row's look (shown.ts): all but what changes with every re-read. */
  tooltipLook?(): string;
}
