/**
 * ModelOps: Show Stack State — a read-only document of what a component's stack state holds
 * (`mops-infra state COMPONENT --json`: its resources and outputs, every secret masked), opened
 * as JSON beside azure.yaml. A virtual document: nothing there can be edited or saved.
 */
import * as vscode from 'vscode';
import type { CliClient } from '../child/cliClient';
import { pickComponent } from './pickComponent';
import type { Services } from './services';

export const STATE_SCHEME = 'modelops-state';

export class StateDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly cli: CliClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const component = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.json$/, ''));
    return `${JSON.stringify(await this.cli.state(component), null, 2)}\n`;
  }
}

export async function showState(s: Services, arg?: unknown): Promise<void> {
  const name = await pickComponent(s.store, arg, 'Show the stack state of which component?');
  if (!name) return;
  // A new query each time: the document is read again, never an old copy.
  const uri = vscode.Uri.from({ scheme: STATE_SCHEME, path: `/${encodeURIComponent(name)}.json`, query: `env=${s.store.env ?? ''}&read=${Date.now()}` });
  const doc = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `ModelOps: reading the state of ${name}` }, () => Promise.resolve(vscode.workspace.openTextDocument(uri)));
  await vscode.window.showTextDocument(doc, { preview: true });
}
