/**
 * A user of the original modelops opens a folder without azure.yaml: the extension finds
 * ~/.modelops/modelops.yaml as `mops init` wrote it (test/original/, at 06153e8) and shows its
 * components, with no error in the file.
 */
import { strict as assert } from 'node:assert';
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
});
