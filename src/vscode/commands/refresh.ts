/** ModelOps: Refresh — read status now (state files only; fine in Restricted Mode). */
import * as vscode from 'vscode';
import type { Services } from './services';

export async function refresh(s: Services): Promise<void> {
  await s.locator.locate();
  await s.updateSetup();
  await vscode.window.withProgress({ location: { viewId: 'modelopsInfra.components' }, title: 'Refreshing' }, () => s.refresher.refresh('manual', true));
}
