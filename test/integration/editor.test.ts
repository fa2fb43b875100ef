/**
 * Help while typing in the azure.yaml the extension works on, with no other extension
 * installed: completion of keys (with what each means), of values, snippets, and hover —
 * through VS Code's own provider commands, as the editor asks for them. A YAML file that is not
 * the extension's gets none of it; a config file under another name gets all of it.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { configUri, waitFor } from './helpers';

async function completions(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
  return list.items.filter((i) => i.kind === vscode.CompletionItemKind.Property || i.kind === vscode.CompletionItemKind.Value || i.kind === vscode.CompletionItemKind.Snippet);
}

const label = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
const docText = (i: vscode.CompletionItem) => (typeof i.documentation === 'string' ? i.documentation : i.documentation?.value ?? '');

/** Opens `uri` with `text` appended (unsaved) and returns the document and the end position. */
async function typed(uri: vscode.Uri, text: string): Promise<{ doc: vscode.TextDocument; end: vscode.Position }> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, doc.positionAt(doc.getText().length), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  return { doc, end: doc.positionAt(doc.getText().length) };
}

async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

describe('help while typing azure.yaml', () => {
  it('completes the keys that fit where the cursor is, each with what it means, and leaves out those already there', async () => {
    const { doc, end } = await typed(configUri(), '\nacr:\n  sku: Basic\n  ');
    try {
      const items = await completions(doc, end);
      assert.deepEqual(items.filter((i) => i.kind === vscode.CompletionItemKind.Property).map(label), ['name', 'per_user_registry'], 'acr keys, sku already written');
      assert.match(docText(items.find((i) => label(i) === 'per_user_registry')!), /\*\*per_user_registry\*\* · boolean[\s\S]*Default: `true`/);
    } finally {
      await revert(doc);
    }
  });

  it('at the top, offers the sections the provider uses: with provider: kubernetes, not the Azure ones it ignores', async () => {
    const { doc, end } = await typed(configUri(), '\n');
    try {
      const top = async () => (await completions(doc, end)).filter((i) => i.kind === vscode.CompletionItemKind.Property).map(label);
      assert.ok((await top()).includes('aks'), 'provider: local: aks shapes the local cluster');
      const line = doc.getText().split('\n').findIndex((l) => l.startsWith('provider:'));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, doc.lineAt(line).range, 'provider: kubernetes');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const offered = await top();
      for (const key of ['aks', 'acr', 'registry', 'ssh', 'resource_group', 'subscription_id']) assert.ok(!offered.includes(key), `${key} is not offered: ${offered.join(', ')}`);
      assert.ok(offered.includes('kubernetes') || doc.getText().includes('\nkubernetes:'), 'what it uses still is');
    } finally {
      await revert(doc);
    }
  });

  it('completes values (the default first) and offers snippets for a new adaptive run', async () => {
    const { doc, end } = await typed(configUri(), '\nacr:\n  sku: ');
    try {
      assert.deepEqual((await completions(doc, end)).map(label), ['Standard', 'Basic', 'Premium']);
    } finally {
      await revert(doc);
    }
    const text = (await vscode.workspace.openTextDocument(configUri())).getText();
    assert.match(text, /^adaptive:/m, 'the suite config has adaptive runs');
    const lines = text.split('\n');
    const adaptive = lines.findIndex((l) => l.startsWith('adaptive:'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(configUri(), new vscode.Position(adaptive + 1, 0), '  \n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const doc2 = await vscode.workspace.openTextDocument(configUri());
    try {
      const snippet = (await completions(doc2, new vscode.Position(adaptive + 1, 2))).find((i) => label(i) === 'new adaptive run');
      assert.ok(snippet, 'a snippet for a new adaptive run');
      assert.match((snippet.insertText as vscode.SnippetString).value, /^\$\{1:run-name\}:\n {4}algorithm: \$\{2\|optuna,/);
      // Inserted as written: VS Code would otherwise indent each later line by the cursor line's indentation again.
      assert.equal(snippet.keepWhitespace, true);
    } finally {
      await revert(doc2);
    }
  });

  it('a hover on a key says what it is', async () => {
    const doc = await vscode.workspace.openTextDocument(configUri());
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('provider:'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*provider\*\* · string/);
    assert.match(text, /Values: `azure`, `kubernetes`, `local`/);
  });

  it('helps in the config file wherever it is and whatever it is called, and in no other YAML file', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    mkdirSync(join(folder, 'infra'), { recursive: true });
    const renamed = join(folder, 'infra', 'prod-cluster.yaml');
    copyFileSync(configUri().fsPath, renamed);
    writeFileSync(join(folder, 'other.yaml'), 'acr:\n  ');
    const other = await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder, 'other.yaml')));
    assert.deepEqual(await completions(other, new vscode.Position(1, 2)), [], 'not our file: no help');
    const settings = vscode.workspace.getConfiguration('modelopsInfra');
    await settings.update('configFile', 'infra/prod-cluster.yaml', vscode.ConfigurationTarget.Workspace);
    try {
      const { doc, end } = await typed(vscode.Uri.file(renamed), '\nacr:\n  ');
      try {
        const keys = await waitFor('completion in the renamed config file', async () => {
          const items = (await completions(doc, end)).map(label);
          return items.includes('sku') ? items : undefined;
        }, 30_000);
        assert.ok(keys.includes('name'));
      } finally {
        await revert(doc);
      }
    } finally {
      await settings.update('configFile', undefined, vscode.ConfigurationTarget.Workspace);
      const { doc, end } = await typed(configUri(), '\nacr:\n  ');
      try {
        await waitFor('help in azure.yaml again', async () => (await completions(doc, end)).some((i) => label(i) === 'sku'), 30_000);
      } finally {
        await revert(doc);
      }
    }
  });
});

describe('workspace.spec is checked as you type', () => {
  const ours = (d: vscode.Diagnostic) => d.source === 'modelops-infra';
  const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

  for (const [typed, code, says] of [
    ['replcas: 2', 'unknown-key', /Did you mean `replicas`\?/],
    ['replicas: -1', 'out-of-range', /between 0 and 1000/],
    ['replicas: two', 'wrong-type', /whole number/],
  ] as const) {
    it(`"${typed}" under workspace.spec.workers: ${code}, on its line, with the fix in the message`, async () => {
      const doc = await vscode.workspace.openTextDocument(configUri());
      const lines = doc.getText().split('\n');
      const at = lines.findIndex((l) => /^ {6}replicas: \d+$/.test(l) && lines.slice(0, lines.indexOf(l)).some((p) => p === '    workers:'));
      assert.ok(at > 0, 'the suite config sets workspace.spec.workers.replicas');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, doc.lineAt(at).range, `      ${typed}`);
      assert.ok(await vscode.workspace.applyEdit(edit));
      try {
        const found = await waitFor(`a ${code} diagnostic on line ${at + 1}`, async () => vscode.languages.getDiagnostics(doc.uri).filter(ours).find((d) => codeOf(d) === code && d.range.start.line === at), 30_000);
        assert.match(found.message, says);
      } finally {
        await revert(doc);
      }
    });
  }

  it('a quoted number where a whole number goes: the quick fix "Change to `3`" writes it, and the error goes', async () => {
    const doc = await vscode.workspace.openTextDocument(configUri());
    const lines = doc.getText().split('\n');
    const at = lines.findIndex((l) => /^ {6}replicas: \d+$/.test(l) && lines.slice(0, lines.indexOf(l)).some((p) => p === '    workers:'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, doc.lineAt(at).range, '      replicas: "3"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      // This edit's diagnostic, not one left from the test before (same line, same code, until the re-check).
      const found = await waitFor('a wrong-type diagnostic on the line', async () => vscode.languages.getDiagnostics(doc.uri).filter(ours).find((d) => codeOf(d) === 'wrong-type' && d.range.start.line === at && d.message.includes('the text "3"')), 30_000);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, found.range)) ?? [];
      const fix = actions.find((a) => a.title === 'Change to `3`');
      assert.ok(fix?.edit, `offered: ${actions.map((a) => a.title).join(', ')} for ${found.message}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(doc.lineAt(at).text, '      replicas: 3');
      await waitFor('the error gone', async () => !vscode.languages.getDiagnostics(doc.uri).filter(ours).some((d) => codeOf(d) === 'wrong-type'), 30_000);
    } finally {
      await revert(doc);
    }
  });
});
