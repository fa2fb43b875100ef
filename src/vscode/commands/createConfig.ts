/** Welcome-view actions: create an azure.yaml from the local-provider template and open it; open the config in use. */
import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Services } from './services';

export const LOCAL_TEMPLATE = `# ModelOps infrastructure. The local provider runs everything on this machine, no cloud.
# Switch to \`provider: azure\` with subscription_id, resource_group and aks for Azure.
provider: local
environment: dev
storage: {}
workspace:
  apiVersion: modelops/v1
  kind: Workspace
  metadata: { name: dev }
  spec:
    workers: { replicas: 2 }
`;

export async function createConfig(s: Services): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('ModelOps: open a folder first; azure.yaml is created at its root.');
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, 'azure.yaml');
  if (!existsSync(uri.fsPath)) writeFileSync(uri.fsPath, LOCAL_TEMPLATE, { flag: 'wx' });
  await vscode.window.showTextDocument(uri);
  await s.locator.locate();
  await s.updateSetup();
  await s.refresher.refresh('config', true);
}

/** The config in use (azure.yaml, or the original's modelops.yaml), in an editor. */
export async function openConfig(s: Services): Promise<void> {
  const uri = s.locator.uri;
  if (!uri) {
    void vscode.window.showWarningMessage('ModelOps: no config is in use yet; create azure.yaml from the template first.', 'Create azure.yaml').then((choice) => choice && vscode.commands.executeCommand('modelopsInfra.createConfig'));
    return;
  }
  await vscode.window.showTextDocument(uri);
}
