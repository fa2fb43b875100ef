/**
 * Which config the extension works on: the `configFile` setting, else azure.yaml at the root or
 * the first one in the workspace, else the original modelops's own files in ~/.modelops
 * (`modelops.yaml` from `mops init`, then `infrastructure.yaml`), as the CLI looks.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { configCandidates, modelopsHome } from '../../core/paths';
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
    if (folder) {
      const root = vscode.Uri.joinPath(folder.uri, 'azure.yaml');
      if (existsSync(root.fsPath)) return root;
      const [first] = await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE, 1);
      if (first) return first;
    }
    const [, ...original] = configCandidates(folder?.uri.fsPath ?? '', modelopsHome(process.env));
    const found = original.find((path) => existsSync(path));
    return found ? vscode.Uri.file(found) : undefined;
  }

  /** The config is one of the original's files in ~/.modelops, not a file of the workspace. */
  get isOriginals(): boolean {
    return this.current !== undefined && configCandidates('', modelopsHome(process.env)).slice(1).includes(this.current.fsPath);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
