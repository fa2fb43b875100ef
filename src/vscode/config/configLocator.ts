/** Which azure.yaml the extension works on: the `configFile` setting, else the first one in the workspace. */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../settings';

export const CONFIG_GLOB = '**/azure.yaml';
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/out/**,**/dist/**}';

export class ConfigLocator implements vscode.Disposable {
  private current: vscode.Uri | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChange = this.changed.event;

  get uri(): vscode.Uri | undefined {
    return this.current;
  }

  /** Looks again; fires onDidChange when the answer changed. */
  async locate(): Promise<vscode.Uri | undefined> {
    const found = await this.find();
    if (found?.toString() !== this.current?.toString()) {
      this.current = found;
      this.changed.fire(found);
    }
    return found;
  }

  private async find(): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const setting = readSettings().configFile;
    if (setting) {
      const path = isAbsolute(setting) || !folder ? setting : join(folder.uri.fsPath, setting);
      return existsSync(path) ? vscode.Uri.file(path) : undefined;
    }
    if (!folder) return undefined;
    const root = vscode.Uri.joinPath(folder.uri, 'azure.yaml');
    if (existsSync(root.fsPath)) return root;
    const [first] = await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE, 1);
    return first;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
