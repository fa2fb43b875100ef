/**
 * Only while VS Code runs the extension's tests (ExtensionMode.Test, never for a user): one
 * command that tells the in-host suite what the public API cannot — the Components view's
 * items as VS Code receives them, and the context keys this extension set. Everything else
 * the suite reads through the public API (commands, diagnostics, code actions).
 */
import * as vscode from 'vscode';
import type { EnvironmentsView } from './tree/environmentsView';
import type { TreeNode } from './tree/node';
import { contextKeys } from './welcome';

export const INSPECT_COMMAND = 'modelopsInfra.test.inspect';

/** A tree item as plain data (what a row shows, its capabilities, its children). */
export interface InspectedItem {
  id?: string;
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  icon?: string;
  iconColor?: string;
  collapsible: boolean;
  children: InspectedItem[];
}

export interface Inspection {
  items: InspectedItem[];
  /** The Environments view's rows, as last read (Refresh Environments reads them again). */
  environments: InspectedItem[];
  /** How many times each view asked VS Code to repaint (some of) its rows since activation. */
  repaints: { components: number; environments: number };
  context: Record<string, boolean>;
}

interface ItemSource {
  getChildren(node?: TreeNode): TreeNode[];
  readonly onDidChangeTreeData: vscode.Event<TreeNode | TreeNode[] | undefined>;
}

function inspect(node: TreeNode): InspectedItem {
  const item = node.getTreeItem();
  if (node.resolveTooltip) item.tooltip = node.resolveTooltip();
  return fromItem(item, () => node.getChildren().map(inspect));
}

function fromItem(item: vscode.TreeItem, children: () => InspectedItem[]): InspectedItem {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath : undefined;
  const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
  const collapsible = (item.collapsibleState ?? vscode.TreeItemCollapsibleState.None) !== vscode.TreeItemCollapsibleState.None;
  return {
    id: item.id,
    label,
    description: typeof item.description === 'string' ? item.description : undefined,
    tooltip,
    contextValue: item.contextValue,
    icon: icon?.id,
    iconColor: (icon?.color as { id?: string } | undefined)?.id,
    collapsible,
    children: collapsible ? children() : [],
  };
}

export function registerTestSupport(context: vscode.ExtensionContext, tree: ItemSource, environments: EnvironmentsView): vscode.Disposable {
  if (context.extensionMode !== vscode.ExtensionMode.Test) return new vscode.Disposable(() => undefined);
  const repaints = { components: 0, environments: 0 };
  return vscode.Disposable.from(
    tree.onDidChangeTreeData(() => repaints.components++),
    environments.onDidChangeTreeData(() => repaints.environments++),
    vscode.commands.registerCommand(INSPECT_COMMAND, (): Inspection => ({
      items: tree.getChildren().map(inspect),
      environments: environments.getChildren().map((e) => fromItem(environments.getTreeItem(e), () => [])),
      repaints: { ...repaints },
      context: contextKeys(),
    })),
  );
}
