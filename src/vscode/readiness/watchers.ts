/** Refresh when azure.yaml or a stack's Pulumi.<stack>.yaml is created, changed or deleted. */
import * as vscode from 'vscode';
import { modelopsHome } from '../../core/paths';
import type { ConfigLocator } from '../config/configLocator';
import { CONFIG_GLOB } from '../config/configLocator';
import type { Refresher } from './refresher';

export function watchFiles(locator: ConfigLocator, refresher: Refresher): vscode.Disposable {
  const onConfig = () => void locator.locate().then(() => refresher.refresh('config'));
  const config = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB);
  config.onDidCreate(onConfig);
  config.onDidDelete(onConfig);
  config.onDidChange(() => void refresher.refresh('config'));
  const home = vscode.Uri.file(modelopsHome(process.env));
  // The original's own files, which a workspace without azure.yaml uses (config/configLocator.ts).
  const originals = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(home, '{modelops,infrastructure}.yaml'));
  originals.onDidCreate(onConfig);
  originals.onDidDelete(onConfig);
  originals.onDidChange(() => void refresher.refresh('config'));
  const stacks = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(home, 'pulumi/**/Pulumi.*.yaml'));
  const onStack = () => void refresher.refresh('file');
  stacks.onDidCreate(onStack);
  stacks.onDidChange(onStack);
  stacks.onDidDelete(onStack);
  return vscode.Disposable.from(config, originals, stacks);
}
