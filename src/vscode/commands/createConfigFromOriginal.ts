/**
 * ModelOps: Create azure.yaml from modelops.yaml — offered while the extension works on the
 * original's ~/.modelops/modelops.yaml: the same environment written as the workspace's azure.yaml
 * (core/config/fromOriginal.ts), opened, and used from then on. An existing azure.yaml is never overwritten.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { readConfigFile } from '../../engine/userFiles';
import * as vscode from 'vscode';
import { azureYamlFromOriginal, FromOriginalError } from '../../core/config/fromOriginal';
import type { Services } from './services';

export async function createConfigFromOriginal(s: Services): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const source = s.locator.isOriginals ? s.locator.uri : undefined;
  if (!folder || !source) {
    void vscode.window.showWarningMessage('ModelOps: open a folder without azure.yaml while ~/.modelops/modelops.yaml is in use; azure.yaml is made from that file at the folder root.');
    return;
  }
  const target = vscode.Uri.joinPath(folder.uri, 'azure.yaml');
  let text: string;
  try {
    text = azureYamlFromOriginal(readConfigFile(source.fsPath), source.fsPath);
  } catch (error) {
    if (!(error instanceof FromOriginalError)) throw error;
    const open = await vscode.window.showErrorMessage(`ModelOps: azure.yaml was not created: ${error.message}.`, 'Open modelops.yaml');
    if (open) await vscode.window.showTextDocument(source);
    return;
  }
  if (!existsSync(target.fsPath)) writeFileSync(target.fsPath, text, { flag: 'wx' });
  await vscode.window.showTextDocument(target);
  await s.locator.locate();
  await s.updateSetup();
  await s.refresher.refresh('config', true);
}
