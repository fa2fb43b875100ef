/** The Components TreeView: badge of components not ready, a message when the status could not be read or comes from ~/.modelops. */
import * as vscode from 'vscode';
import { deployedCount } from '../../core/readiness';
import { attention, attentionCount, attentionTooltip } from '../view/attention';
import type { ReadinessStore } from '../readiness/readinessStore';
import type { Refresher } from '../readiness/refresher';
import type { ConfigLocator } from '../config/configLocator';
import type { ComponentsProvider } from './componentsProvider';
import type { TreeNode } from './node';

export const VIEW_ID = 'modelopsInfra.components';

export function createComponentsView(provider: ComponentsProvider, store: ReadinessStore, refresher: Refresher, locator: ConfigLocator): vscode.Disposable {
  const view = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const update = () => {
    // Before anything is provisioned, every row says "run Up": a count of them is noise.
    const nothingYet = deployedCount(store.components) === 0;
    const found = attention(store.components, (name) => store.healthOf(name));
    const count = nothingYet ? 0 : attentionCount(found);
    view.badge = count ? { value: count, tooltip: attentionTooltip(found) } : undefined;
    // A workspace without azure.yaml shows the original modelops's own file: say which, so nobody wonders.
    const originals = locator.isOriginals ? `From ${locator.uri!.fsPath}, the original modelops's config (this workspace has no azure.yaml${locator.uri!.fsPath.endsWith('modelops.yaml') ? '; the view title makes one from it' : ''}).` : undefined;
    view.message = store.error ? `Status could not be read: ${store.error}` : originals;
    // The environment every row and action is about, always in sight beside the view's title.
    view.description = store.env ? `env ${store.env}` : undefined;
  };
  update();
  refresher.setViewVisible(view.visible);
  return vscode.Disposable.from(
    view,
    store.onDidChange(update),
    locator.onDidChange(update),
    view.onDidChangeVisibility((e) => {
      refresher.setViewVisible(e.visible);
      if (e.visible) void refresher.refresh('interval');
    }),
  );
}
