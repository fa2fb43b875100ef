/** Activation on a workspace with azure.yaml: every contributed command, the context keys, the rows before anything exists. */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { COMPONENTS, extension, inspect, statusOf, waitFor } from './helpers';

describe('activation on a workspace with azure.yaml', () => {
  it('activates, and registers every command it contributes', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
    const contributed = (ext.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 20, `package.json contributes ${contributed.length} commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
  });

  it('sets its context keys: a config and a Pulumi CLI were found, nothing runs', async () => {
    const { context } = await waitFor('the setup context keys', async () => {
      const found = await inspect();
      return 'modelopsInfra.noConfig' in found.context && found;
    });
    assert.deepEqual(
      { noConfig: context['modelopsInfra.noConfig'], noPulumi: context['modelopsInfra.noPulumi'], running: context['modelopsInfra.running'] ?? false },
      { noConfig: false, noPulumi: false, running: false },
    );
  });

  it('nothing is deployed yet: the walkthrough\'s "Run Up" step is still to do', async () => {
    await waitFor('the rows', async () => (await inspect()).items.length > 0);
    assert.equal((await inspect()).context['modelopsInfra.deployed'], false);
  });

  it('shows one row per component, absent before the first Up, each offering Up and not Repair', async () => {
    const items = await waitFor('four component rows', async () => {
      const found = (await inspect()).items;
      return found.length === COMPONENTS.length && found.every((i) => statusOf(i)) && found;
    });
    assert.deepEqual(items.map((i) => i.label), COMPONENTS);
    for (const row of items) {
      assert.equal(statusOf(row), 'absent', `${row.label}: ${row.contextValue}`);
      assert.equal(row.icon, 'circle-outline');
      assert.match(row.contextValue!, /\bcanUp\b/);
      assert.doesNotMatch(row.contextValue!, /\bcanRepair\b|\bdeployed\b/);
    }
  });
});
