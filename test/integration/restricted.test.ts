/**
 * Restricted Mode (an untrusted folder) on the stacks the trusted session made: their state is
 * shown read-only, and nothing runs a Pulumi program.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { COMPONENTS, inspect, sleep, statusOf, waitFor } from './helpers';

/** Every file of the backend folder with when it was written. */
function backendFiles(): Map<string, number> {
  const backend = process.env.MOPS_INTEGRATION_BACKEND;
  if (!backend) throw new Error('the launcher names the backend folder (MOPS_INTEGRATION_BACKEND)');
  const files = new Map<string, number>();
  for (const rel of readdirSync(backend, { recursive: true }).map(String)) {
    const stat = statSync(join(backend, rel));
    if (stat.isFile()) files.set(rel, stat.mtimeMs);
  }
  return files;
}

describe('Restricted Mode', () => {
  it('the folder is untrusted, yet every row shows its stack as stored: ready', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const items = await waitFor('four ready rows', async () => {
      const found = (await inspect()).items;
      return found.length === COMPONENTS.length && found.every((i) => statusOf(i) === 'ready') && found;
    });
    assert.deepEqual(items.map((i) => i.label), COMPONENTS);
    assert.equal(items.find((i) => i.label === 'cluster')?.icon, 'pass');
    // azure.yaml asks for 3 workers where the stack has 2: an Up would update the workspace.
    assert.match(items.find((i) => i.label === 'workspace')!.contextValue!, /\bcanUp\b/);
  });

  it('Up is refused although the workspace changed: no run starts and nothing in the backend changes', async () => {
    const before = backendFiles();
    assert.ok([...before.keys()].some((f) => f.includes('stacks')), 'the trusted session left stacks to protect');
    void vscode.commands.executeCommand('modelopsInfra.up'); // waits on its explanation, which nobody dismisses here
    await sleep(8000);
    assert.notEqual((await inspect()).context['modelopsInfra.running'], true);
    assert.deepEqual(backendFiles(), before);
  });
});
