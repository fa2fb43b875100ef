/**
 * A run uses the config the user sees: the CLI reads azure.yaml on disk, so unsaved changes are
 * saved before a run starts (`modelopsInfra.saveBeforeRun`: save), and the run's log names the
 * file and the digest of the text it read. With `none`, the saved file is used and the log says
 * the editor shows other text.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { configUri, logText, waitFor } from './helpers';

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Appends `text` to azure.yaml in the editor, unsaved. */
async function edit(text: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(configUri());
  await vscode.window.showTextDocument(doc);
  const change = new vscode.WorkspaceEdit();
  change.insert(doc.uri, doc.positionAt(doc.getText().length), text);
  assert.ok(await vscode.workspace.applyEdit(change));
  assert.ok(doc.isDirty, 'the edit is unsaved');
  return doc;
}

/** The log lines after `mark` that name the config a run read. */
const configLines = (after: number) => logText().slice(after).split('\n').filter((l) => /config: .*azure\.yaml \(sha256 [0-9a-f]{12}\)/.test(l));

describe('a run uses the azure.yaml the user sees', () => {
  const settings = () => vscode.workspace.getConfiguration('modelopsInfra');
  let original: string;

  before(() => {
    original = readFileSync(configUri().fsPath, 'utf8');
  });

  afterEach(async () => {
    await settings().update('saveBeforeRun', undefined, vscode.ConfigurationTarget.Workspace);
    const doc = await vscode.workspace.openTextDocument(configUri());
    if (doc.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    const whole = new vscode.WorkspaceEdit();
    whole.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
    await vscode.workspace.applyEdit(whole);
    await doc.save();
  });

  it('saves unsaved changes before Validate runs, and the log names the file and the digest of the text it read', async () => {
    const mark = logText().length;
    const doc = await edit('\n# edited, not saved\n');
    const seen = doc.getText();
    await vscode.commands.executeCommand('modelopsInfra.validate');
    assert.equal(doc.isDirty, false, 'saved before the run');
    assert.equal(readFileSync(configUri().fsPath, 'utf8'), seen, 'the file on disk is the text the editor shows');
    const lines = await waitFor('the run to log the config it read', async () => configLines(mark).length > 0 && configLines(mark), 30_000);
    assert.ok(lines[0].includes(`${configUri().fsPath} (sha256 ${digest(seen)})`), lines[0]);
    assert.ok(!/shows other text/.test(logText().slice(mark)), 'no mismatch to report');
  });

  it('with saveBeforeRun "none", runs the saved file and says the editor shows other text', async () => {
    await settings().update('saveBeforeRun', 'none', vscode.ConfigurationTarget.Workspace);
    const onDisk = readFileSync(configUri().fsPath, 'utf8');
    const mark = logText().length;
    const doc = await edit('\n# edited, kept unsaved\n');
    await vscode.commands.executeCommand('modelopsInfra.validate');
    assert.equal(doc.isDirty, true, 'not saved');
    assert.equal(readFileSync(configUri().fsPath, 'utf8'), onDisk, 'the file on disk is unchanged');
    const lines = await waitFor('the run to log the config it read', async () => configLines(mark).length > 0 && configLines(mark), 30_000);
    assert.ok(lines[0].includes(`(sha256 ${digest(onDisk)})`), `the run read the saved text: ${lines[0]}`);
    await waitFor('the warning that the editor shows other text', async () => /has unsaved changes; the run uses the file as saved/.test(logText().slice(mark)) && /the editor shows other text than the run read/.test(logText().slice(mark)), 30_000);
  });
});
