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
  private fromOriginals = false;
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChange = this.changed.event;

  get uri(): vscode.Uri | undefined {
    return this.current;
  }

  /** Looks again; fires onDidChange when the answer changed. */
  async locate(): Promise<vscode.Uri | undefined> {
    const { uri: found, originals } = await this.find();
    if (found?.toString() !== this.current?.toString() || originals !== this.fromOriginals) {
      this.current = found;
      this.fromOriginals = originals;
      this.changed.fire(found);
    }
    return found;
  }

  private async find(): Promise<{ uri?: vscode.Uri; originals: boolean }> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const setting = readSettings().configFile;
    if (setting) {
      const path = isAbsolute(setting) || !folder ? setting : join(folder.uri.fsPath, setting);
      return { uri: existsSync(path) ? vscode.Uri.file(path) : undefined, originals: false };
    }
    if (folder) {
      const root = vscode.Uri.joinPath(folder.uri, 'azure.yaml');
      if (existsSync(root.fsPath)) return { uri: root, originals: false };
      const [first] = await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE, 1);
      if (first) return { uri: first, originals: false };
    }
    const [, ...original] = configCandidates(folder?.uri.fsPath ?? '', modelopsHome(process.env));
    const found = original.find((path) => existsSync(path));
    return { uri: found ? vscode.Uri.file(found) : undefined, originals: found !== undefined };
  }

  /** No setting and no azure.yaml in the workspace: the config is one of the original's files in ~/.modelops. */
  get isOriginals(): boolean {
    return this.current !== undefined && this.fromOriginals;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
