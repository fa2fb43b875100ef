/** ModelOps: Choose Provider — local, kubernetes or azure, written into azure.yaml's `provider:` line. */
import * as vscode from 'vscode';
import { parseConfig } from '../../core/config/parse';
import { providerEdit } from '../../core/config/providerEdit';
import type { Services } from './services';

const PROVIDERS: Array<vscode.QuickPickItem & { provider: string }> = [
  { provider: 'local', label: 'local', description: 'everything on this machine, no cloud', detail: 'A rehearsal of the real thing, with injectable faults. Needs the Pulumi CLI.' },
  { provider: 'kubernetes', label: 'kubernetes', description: 'a cluster you already have (kind, k3s, on-premises, another cloud)', detail: 'Needs the Pulumi CLI and a kubeconfig; `kubernetes: { kubeconfig, context }` in azure.yaml picks the cluster.' },
  { provider: 'azure', label: 'azure', description: 'AKS, storage and a registry in your subscription', detail: 'Needs the Pulumi CLI, az login, subscription_id, resource_group and aks in azure.yaml.' },
];

export async function chooseProvider(s: Services): Promise<void> {
  const uri = s.locator.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('ModelOps: there is no azure.yaml yet. Create it first.', 'Create azure.yaml').then((c) => c && vscode.commands.executeCommand('modelopsInfra.createConfig'));
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const current = parseConfig(doc.getText(), uri.fsPath).config?.provider;
  const pick = await vscode.window.showQuickPick(
    PROVIDERS.map((p) => ({ ...p, picked: p.provider === current, label: p.provider === current ? `${p.label} (now)` : p.label })),
    { title: 'ModelOps: Choose Provider', placeHolder: `Which provider should ${vscode.workspace.asRelativePath(uri)} use?` },
  );
  if (!pick) return;
  const edit = providerEdit(parseConfig(doc.getText(), uri.fsPath), pick.provider);
  const editor = await vscode.window.showTextDocument(doc);
  if (edit) {
    const range = new vscode.Range(doc.positionAt(edit.startOffset), doc.positionAt(edit.endOffset));
    await editor.edit((e) => e.replace(range, edit.newText));
    await doc.save();
  }
  const line = doc.getText().split('\n').findIndex((l) => l.startsWith('provider:'));
  if (line >= 0) editor.selection = new vscode.Selection(line, 0, line, doc.lineAt(line).text.length);
}
