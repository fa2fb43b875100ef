// The lifecycle in the editor: an edit of azure.yaml shows as "changed since last up", Preview
// shows what an Up would change under the row, Up applies it, Rollback puts the previous spec
// back after a modal, and Down destroys in reverse order after a modal that keeps storage.
import assert from 'node:assert/strict';
import { COMPONENTS, configYaml, openComponents, scenarioHooks, startSession, waitFor, waitForComponents } from './lib/harness.mjs';

const ALL_READY = Object.fromEntries(COMPONENTS.map((c) => [c, /^ready$/]));

describe('Preview, Rollback and Down', function () {
  let s;
  before(async function () {
    s = await startSession({ name: 'lifecycle', yaml: configYaml() });
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  it('starts from everything ready', async function () {
    await openComponents(s.wb);
    await s.wb.runCommand('ModelOps: Up');
    await s.wb.waitForProgressToFinish(/^ModelOps: Up/, { timeout: 480_000 });
    await waitForComponents(s.wb, ALL_READY, { timeout: 120_000 });
  });

  it('an edit of azure.yaml shows on the row it changes, and nowhere else', async function () {
    s.writeConfig(configYaml().replace('replicas: 2', 'replicas: 5'));
    await waitForComponents(s.wb, { workspace: /^ready · changed since last up$/, cluster: /^ready$/, storage: /^ready$/, 'adaptive-default': /^ready$/ }, { timeout: 120_000 });
  });

  it('Preview shows under the row what an Up would change, resource by resource', async function () {
    await s.wb.runCommand('ModelOps: Preview');
    await s.wb.waitForProgressToFinish(/^ModelOps: Preview/, { timeout: 240_000 });
    await s.wb.selectRow('workspace', undefined, { level: 1 });
    // The row itself says what an Up would change; a row an Up leaves alone says nothing of it.
    await waitForComponents(s.wb, { workspace: /^ready · changed since last up · preview ~1$/, cluster: /^ready$/ }, { timeout: 60_000 });
    const rows = await s.wb.waitForRows((r) => r.some((x) => x.label === 'Preview' && x.level === 2 && x.description === '+0 ~1 ±0 -0'), { timeout: 60_000, message: 'a Preview group under workspace' });
    assert.ok(rows.some((x) => x.label === 'Preview' && x.level === 2));
    await s.wb.selectRow('Preview', undefined, { level: 2 });
    await s.wb.waitForRows((r) => r.some((x) => x.level === 3 && x.label === 'dask-workers' && x.description === 'update'), { timeout: 30_000, message: 'dask-workers would be updated' });
    await s.wb.screenshot('preview');
    const output = await s.wb.waitForOutput(/preview workspace: \+0 ~1 ±0 -0/, { timeout: 60_000 });
    assert.match(output, /preview cluster: \+0 ~0 ±0 -0/);
  });

  it('Up applies the change, and the preview it made stale goes', async function () {
    await s.wb.runCommand('ModelOps: Up');
    await s.wb.waitForProgressToFinish(/^ModelOps: Up/, { timeout: 480_000 });
    await waitForComponents(s.wb, ALL_READY, { timeout: 120_000 });
    await s.wb.waitForRows((r) => !r.some((x) => x.label === 'Preview' && x.description === '+0 ~1 ±0 -0'), { timeout: 30_000, message: 'the stale preview gone' });
  });

  it('Rollback previews, asks in a modal, and puts the previous spec back', async function () {
    await s.wb.treeRowContextAction('workspace', 'Rollback…');
    const modal = await s.wb.waitForDialog({ timeout: 240_000 });
    assert.match(modal.message, /Roll back workspace in environment "e2e"\?/);
    assert.match(modal.detail, /rollback to version 1 .*undoes workspace\.spec\.workers\.replicas/);
    assert.match(modal.detail, /Preview: update dask-workers/);
    await s.wb.screenshot('rollback-modal');
    await s.wb.answerDialog('Roll Back');
    await s.wb.waitForProgressToFinish(/^ModelOps: Roll back workspace/, { timeout: 480_000 });
    await waitForComponents(s.wb, { workspace: /^ready · changed since last up$/ }, { timeout: 120_000 });
    const output = await s.wb.waitForOutput(/rolled back workspace to version 1/, { timeout: 60_000 });
    assert.match(output, /revert workspace\.spec\.workers\.replicas \(.*azure\.yaml:\d+\)/);
  });

  it('Show History browses: picking an earlier version shows it and offers to roll back to it, and starts nothing', async function () {
    await s.wb.treeRowContextAction('workspace', 'Show History…');
    await s.wb.pickQuickItem('v1 ', { exact: false });
    const toast = await s.wb.waitForNotification(/^ModelOps: modelops-workspace-e2e v1: update succeeded/, { timeout: 30_000 });
    assert.deepEqual(toast.buttons, ['Roll Back to v1…']);
    assert.equal(await s.wb.dialog().isVisible(), false, 'no modal: browsing is not rolling back');
    assert.ok(!(await s.wb.notifications()).some((n) => /Roll back workspace/.test(n.message)), 'no rollback started');
  });

  it('Down asks in a modal that lists the stacks in order and keeps storage, then destroys them', async function () {
    await s.wb.runCommand('ModelOps: Down');
    const modal = await s.wb.waitForDialog({ timeout: 120_000 });
    const text = `${modal.message}\n${modal.detail}`;
    // The title names what goes, not "every component" beside "Kept: storage".
    assert.match(modal.message, /Destroy adaptive-default, workspace, cluster in environment "e2e"\?/);
    assert.match(text, /1\. modelops-adaptive-e2e-default \(adaptive-default\)[^\n]*\n2\. modelops-workspace-e2e \(workspace\)\n3\. modelops-infra-e2e \(cluster\)/, text);
    assert.match(text, /Kept \(they hold data; name them to destroy them\): storage/);
    await s.wb.screenshot('down-modal');
    await s.wb.answerDialog('Destroy');
    await s.wb.waitForProgressToFinish(/^ModelOps: Down/, { timeout: 480_000 });
    await waitForComponents(s.wb, { cluster: 'absent', workspace: 'absent', 'adaptive-default': 'absent', storage: 'ready' }, { timeout: 120_000 });
    await waitFor(async () => (await s.wb.statusBarTexts()).some((t) => /ModelOps · e2e · 1\/4 ready/.test(t)), { timeout: 30_000, message: 'status bar 1/4' });
  });
});
