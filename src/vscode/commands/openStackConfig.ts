/** ModelOps: Open Stack Config — `<MODELOPS_HOME>/pulumi/<workDir>/Pulumi.<stack>.yaml`, if it exists. */
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { parseConfig } from '../../core/config/parse';
import { buildModel } from '../../core/model';
import { modelopsHome, stackConfigPath } from '../../core/paths';
import { readSettings } from '../settings';
import { pickComponent } from './pickComponent';
import type { Services } from './services';

export async function openStackConfig(s: Services, arg?: unknown): Promise<void> {
  const name = await pickComponent(s.store, arg, 'Open the stack config of which component?');
  const file = s.locator.uri?.fsPath;
  if (!name || !file) return;
  const model = buildModel(parseConfig(readFileSync(file, 'utf8'), file), readSettings().environment || s.store.env);
  const component = model.components.find((c) => c.name === name);
  if (!component) {
    void vscode.window.showWarningMessage(`ModelOps: ${name} is not a component of ${vscode.workspace.asRelativePath(file)} (env ${model.env}).`);
    return;
  }
  const path = stackConfigPath(modelopsHome(process.env), component.workDirName, component.stack);
  if (!existsSync(path)) {
    void vscode.window.showInformationMessage(`ModelOps: ${path} does not exist: stack ${component.stack} has not been created on this machine yet.`);
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true });
}
