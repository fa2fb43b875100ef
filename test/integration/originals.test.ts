/**
 * A user of the original modelops opens a folder without azure.yaml: the extension finds
 * ~/.modelops/modelops.yaml as `mops init` wrote it (test/original/, at 06153e8) and shows its
 * components, with no error in the file.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extension, inspect, statusOf, waitFor } from './helpers';

describe("a folder without azure.yaml, for a user of the original modelops", () => {
  const file = join(process.env.MODELOPS_HOME!, 'modelops.yaml');

  it("shows the components of ~/.modelops/modelops.yaml, none provisioned, in its environment", async () => {
    await extension().activate();
    const items = await waitFor('the rows of modelops.yaml', async () => {
      const found = (await inspect()).items;
      return found.length === 5 && found.every((i) => statusOf(i)) && found;
    });
    assert.deepEqual(items.map((i) => i.label), ['resource-group', 'registry', 'cluster', 'storage', 'workspace']);
    for (const row of items) assert.equal(statusOf(row), 'absent', `${row.label}: ${row.description}`);
    assert.equal((await inspect()).context['modelopsInfra.noConfig'], false, 'a config was found: no "Create azure.yaml" welcome');
  });

  it('reads the file with no error: diagnostics in it are notes at most', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    const diagnostics = await waitFor('the diagnostics of modelops.yaml to settle', async () => {
      const found = vscode.languages.getDiagnostics(vscode.Uri.file(file));
      return found.length > 0 && found;
    }, 30_000).catch(() => vscode.languages.getDiagnostics(vscode.Uri.file(file)));
    const serious = diagnostics.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning).map((d) => `${d.range.start.line + 1}: ${d.message}`);
    assert.deepEqual(serious, []);
  });

  it("completion and hover speak the file's own keys, not azure.yaml's", async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const lines = doc.getText().split('\n');
    const at = (start: string) => new vscode.Position(lines.findIndex((l) => l.startsWith(start)), start.length - start.trimStart().length);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at('  worker_replicas:'));
    const hover = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hover, /spec\.workers\.replicas/, hover);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at('  location:'));
    const offered = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Property).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(offered.includes('ssh'), `under cluster: ${offered.join(', ')}`);
    for (const key of ['workspace', 'storage', 'username']) assert.ok(!offered.includes(key), `${key} is not offered under cluster: ${offered.join(', ')}`);
  });

  it('Open Config (the walkthrough\'s step where a config exists) opens the one in use: modelops.yaml, not a new azure.yaml', async () => {
    await vscode.commands.executeCommand('modelopsInfra.openConfig');
    const editor = await waitFor('an editor on the config', async () => vscode.window.activeTextEditor?.document.uri.fsPath === file && vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.fsPath, file);
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    assert.equal(existsSync(join(folder, 'azure.yaml')), false, 'no azure.yaml was made by opening');
  });

  it('offers "Create azure.yaml from modelops.yaml": the azure.yaml it makes gives the same components, and is used from then on', async () => {
    assert.equal((await inspect()).context['modelopsInfra.fromModelopsYaml'], true, 'the command is offered in the palette and the view title');
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'azure.yaml');
    await vscode.commands.executeCommand('modelopsInfra.createConfigFromOriginal');
    const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
    assert.match(text, /^subscription_id: 12345678-90ab-cdef-1234-567890abcdef$/m);
    assert.match(text, /^resource_group: modelops-jane-doe$/m);
    assert.match(text, /^username: jane-doe$/m);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath, 'the new file is opened');
    const items = await waitFor('the rows of the new azure.yaml', async () => {
      const state = await inspect();
      return state.context['modelopsInfra.fromModelopsYaml'] === false && state.items.length === 5 && state.items;
    });
    assert.deepEqual(items.map((i) => i.label), ['resource-group', 'registry', 'cluster', 'storage', 'workspace']);
  });
});
