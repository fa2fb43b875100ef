// (c) Force Recreate: the modal lists what will be destroyed in reverse
// dependency order; the output channel then shows destroy steps in that order,
// followed by up steps.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENTS, configYaml, openComponents, scenarioHooks, startSession, waitForComponents } from './lib/harness.mjs';

const ALL_READY = Object.fromEntries(COMPONENTS.map((c) => [c, 'ready']));

/** Index of the first of `names` found in `text` after `from`, per name. */
function positions(text, names, pattern) {
  return Object.fromEntries(names.map((n) => [n, text.search(pattern(n))]));
}

describe('Up with Force Recreate', function () {
  let s;
  let modal;
  before(async function () {
    s = await startSession({ name: 'force-recreate', yaml: configYaml() });
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  it('starts from everything ready', async function () {
    await openComponents(s.wb);
    await s.wb.runCommand('ModelOps: Up');
    await s.wb.waitForProgressToFinish(/^ModelOps: Up/, { timeout: 480_000 });
    await waitForComponents(s.wb, ALL_READY, { timeout: 120_000 });
  });

  it('the confirmation lists the stacks to destroy, dependents first', async function () {
    // From the palette (as from the view title) it means every component; one row's own action recreates one.
    await s.wb.runCommand('ModelOps: Up with Force Recreate');
    modal = await s.wb.waitForDialog({ timeout: 120_000 });
    assert.ok(modal.buttons.includes('Destroy and Recreate'), JSON.stringify(modal));
    const text = `${modal.message}\n${modal.detail}`;
    const at = positions(text, COMPONENTS, (n) => new RegExp(`\\b${n}\\b`));
    for (const c of COMPONENTS) assert.ok(at[c] >= 0, `modal names ${c}: ${text}`);
    assert.ok(at['adaptive-default'] < at.workspace, `adaptive-default before workspace: ${text}`);
    assert.ok(at.workspace < at.cluster, `workspace before cluster: ${text}`);
    assert.ok(at.workspace < at.storage, `workspace before storage: ${text}`);
    assert.match(modal.message, /in environment "e2e"/);
    assert.match(text, /modelops-storage-e2e \(storage\) — holds data: the storage account and its blob containers/, text);
  });

  it('after confirming, the output channel shows the destroys in that order, then the ups', async function () {
    await s.wb.answerDialog('Destroy and Recreate');
    await s.wb.waitForProgressToFinish(/^ModelOps: Force recreate/, { timeout: 600_000 });
    await waitForComponents(s.wb, ALL_READY, { timeout: 120_000 });
    const all = await s.wb.waitForOutput(/▶ up[^\n]*\n[\s\S]*(succeeded|■)/, { timeout: 120_000 });
    // Only this run: from its header on.
    const start = all.lastIndexOf('▶ up');
    const run = all.slice(start);
    const step = (verb) => (n) => new RegExp(`^.*\\b${verb} ${n}: `, 'm');
    const destroyAt = positions(run, COMPONENTS, step('destroy'));
    const upAt = positions(run, COMPONENTS, step('up'));
    for (const c of COMPONENTS) {
      assert.ok(destroyAt[c] >= 0, `destroy ${c} in output:\n${run}`);
      assert.ok(upAt[c] >= 0, `up ${c} in output:\n${run}`);
    }
    assert.ok(destroyAt['adaptive-default'] < destroyAt.workspace, `destroy adaptive-default before workspace:\n${run}`);
    assert.ok(destroyAt.workspace < destroyAt.cluster && destroyAt.workspace < destroyAt.storage, `destroy workspace before cluster/storage:\n${run}`);
    const lastDestroy = Math.max(...Object.values(destroyAt));
    const firstUp = Math.min(...Object.values(upAt));
    assert.ok(lastDestroy < firstUp, `all destroys before the first up:\n${run}`);
    assert.ok(upAt.cluster < upAt.workspace && upAt.workspace < upAt['adaptive-default'], `ups in dependency order:\n${run}`);
    await s.wb.screenshot('output');
  });

  // The data guard in the editor: an Up that would replace what holds data asks first.
  const accounts = () => readdirSync(join(s.home, 'local-cloud', 'e2e', 'storage'));

  it('Up of a renamed storage account stops before replacing it: a modal names the resource and why; Cancel replaces nothing', async function () {
    const before = accounts();
    assert.equal(before.length, 1, JSON.stringify(before));
    s.writeConfig(configYaml().replace('storage: {}', 'storage:\n  account_name: renamedaccount'));
    await s.wb.runCommand('ModelOps: Up');
    modal = await s.wb.waitForDialog({ timeout: 480_000 });
    assert.deepEqual(modal.buttons.filter((b) => b !== 'Cancel'), ['Replace Anyway'], JSON.stringify(modal));
    assert.equal(modal.message, 'Up would replace what holds data. Nothing of storage has been changed.');
    assert.match(modal.detail, /storage — holds data: the storage account and its blob containers/);
    assert.match(modal.detail, /• replace LocalResource storage-account \(replaced because of path\)/);
    await s.wb.answerDialog('Cancel');
    await waitForComponents(s.wb, ALL_READY, { timeout: 120_000 });
    assert.deepEqual(accounts(), before, 'the account and what it holds are still there');
  });

  it('Replace Anyway runs Up again with --allow-replace, and the renamed account replaces the old one', async function () {
    await s.wb.runCommand('ModelOps: Up');
    await s.wb.answerDialog('Replace Anyway', { timeout: 480_000 });
    await s.wb.waitForProgressToFinish(/^ModelOps: Up \(replacing what holds data\)/, { timeout: 600_000 });
    await waitForComponents(s.wb, ALL_READY, { timeout: 120_000 });
    assert.deepEqual(accounts(), ['renamedaccount']);
  });
});
