/**
 * What a tree row shows, as text, so a refresh that would show the same is never sent.
 *
 * VS Code's tree view takes focus back at the end of every refresh while it believes it has
 * focus, and it learns that it lost focus one task late (its focus tracker defers the blur to a
 * timer). A refresh that completes just after the user opened the palette from the tree pulls
 * focus back into the tree, and the palette closes under the user's typing. Refreshes that change
 * nothing on screen (a status re-read after every run and file change) only widen that window.
 */
import * as vscode from 'vscode';

function text(value: string | vscode.MarkdownString | vscode.TreeItemLabel | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return 'value' in value ? value.value : value.label;
}

function icon(path: vscode.TreeItem['iconPath']): string | undefined {
  if (path instanceof vscode.ThemeIcon) return `${path.id}:${(path.color as { id?: string } | undefined)?.id ?? ''}`;
  return path === undefined ? undefined : JSON.stringify(path);
}

/** One item's look, its rows under it given as they show. */
export function shown(item: vscode.TreeItem, children: readonly string[] = []): string {
  return JSON.stringify([
    text(item.label),
    item.description,
    icon(item.iconPath),
    text(item.tooltip),
    item.contextValue,
    item.collapsibleState,
    item.command ? [item.command.command, item.command.arguments] : undefined,
    children,
  ]);
}

/** What VS Code was last sent for each key; `changed` says whether a new look differs, and records it. */
export class Painted {
  private readonly last = new Map<string, string>();

  changed(key: string, look: string): boolean {
    if (this.last.get(key) === look) return false;
    this.last.set(key, look);
    return true;
  }

  forget(keep: (key: string) => boolean = () => false): void {
    for (const key of [...this.last.keys()]) if (!keep(key)) this.last.delete(key);
  }
}
