// Keeping it converged, in the editor: Check Drift shows what changed outside Pulumi on the row
// and under it; Reconcile mode (a setting) runs the loop in a child process, heals what it can,
// and shows a component it cannot heal as stalled, with the Problems panel saying why and an
// inline Unblock that runs the repair.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENTS, configYaml, openComponents, scenarioHooks, startSession, waitFor, waitForComponents } from './lib/harness.mjs';

const ALL_READY = Object.fromEntries(COMPONENTS.map((c) => [c, 'ready']));

/** Workspace settings, as a user sets them in .vscode/settings.json. */
function writeWorkspaceSettings(s, settings) {
  mkdirSync(join(s.folder, '.vscode'), { recursive: true });
  writeFileSync(join(s.folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

describe('Drift and the reconcile loop in the editor', function () {
  let s;
  before(async function () {
    s = await startSession({ name: 'converge', yaml: configYaml() });
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  it('starts from everything ready', async function () {
    await openComponents(s.wb);
    await s.wb.runCommand('ModelOps: Up');
    await s.wb.waitForProgressToFinish(/^ModelOps: Up/, { timeout: 480_000 });
    await waitForComponents(s.wb, ALL_READY, { timeout: 120_000 });
  });

  it('Check Drift shows a container deleted outside Pulumi on its row and under it, and in Problems', async function () {
    const storageRoot = join(s.home, 'local-cloud', 'e2e', 'storage');
    rmSync(join(storageRoot, readdirSync(storageRoot)[0], 'results'), { recursive: true });
    await s.wb.runCommand('ModelOps: Check Drift');
    await s.wb.waitForProgressToFinish(/^ModelOps: Check Drift/, { timeout: 240_000 });
    const toast = await s.wb.waitForNotification(/^ModelOps: drift found: storage \(1 deleted\)\. Up puts it back/, { timeout: 30_000 });
    assert.deepEqual(toast.buttons, ['Up', 'Show Log'], 'the toast offers the Up it names');
    const rows = await waitForComponents(s.wb, { storage: /^ready · drifted: 1 deleted$/, cluster: /^ready$/, workspace: /^ready$/ }, { timeout: 60_000 });
    // Ready, yet not all well: the row's icon, the view's badge and the status bar say it drifted.
    assert.equal(rows.storage.icon, 'git-compare');
    assert.equal(rows.cluster.icon, 'pass');
    await waitFor(async () => (await s.wb.statusBarTexts()).some((t) => /ModelOps · \w+ · \d+\/\d+ ready · 1 drifted$/.test(t)), { timeout: 30_000, message: 'the status bar counts the drifted component' });
    await s.wb.selectRow('storage', undefined, { level: 1 });
    await s.wb.waitForRows((r) => r.some((x) => x.level === 2 && x.label === 'Drift' && /^drifted: 1 deleted · checked/.test(x.description)), { timeout: 30_000, message: 'a Drift group under storage' });
    await s.wb.selectRow('Drift', undefined, { level: 2 });
    await s.wb.waitForRows((r) => r.some((x) => x.level === 3 && x.label === 'results-container' && x.description === 'deleted outside Pulumi'), { timeout: 30_000, message: 'the deleted container' });
    await s.wb.screenshot('drift');
    await s.wb.openProblems();
    await s.wb.waitForProblems((rows) => rows.some((p) => p.kind === 'marker' && p.severity === 'warning' && /storage drifted: results-container \(deleted\) changed outside Pulumi/.test(p.text)), { timeout: 60_000 });
    const output = await s.wb.waitForOutput(/drift storage: drifted: 1 deleted/, { timeout: 60_000 });
    assert.match(output, /deleted results-container/);
  });

  it('Reconcile mode heals the drift, and stalls a component that keeps failing, with why and what unblocks it', async function () {
    s.writeConfig(configYaml({ faults: { workspace: { fail_after_resources: 0 } } }).replace('replicas: 2', 'replicas: 3'));
    writeWorkspaceSettings(s, {
      'modelopsInfra.reconcile.enabled': true,
      'modelopsInfra.reconcile.heal': true,
      'modelopsInfra.reconcile.intervalSeconds': 2,
      'modelopsInfra.reconcile.maxAttempts': 1,
    });
    await waitForComponents(s.wb, { storage: /^ready$/, workspace: /stalled since \d\d:\d\d: FailureBudgetSpent$/ }, { timeout: 300_000 });
    const row = await s.wb.treeRow('workspace');
    // How long each has held comes from the backend's records: the failed update's end, the stall's start.
    assert.match(row.description, /^failed since \d\d:\d\d — last update failed · changed since last up · stalled since \d\d:\d\d: FailureBudgetSpent$/);
    const inline = await s.wb.rowInlineActions('workspace');
    assert.equal(inline[0], 'Unblock', `Unblock comes first: ${inline}`);
    assert.ok(!inline.includes('Repair Component'), `Unblock is the repair here, not a second button: ${inline}`);
    await s.wb.openProblems();
    await s.wb.setSidebarWidth(760);
    await s.wb.screenshot('stalled');
    await s.wb.setSidebarWidth(460);
    await s.wb.waitForProblems((rows) => rows.some((p) => p.kind === 'marker' && p.severity === 'error' && /workspace is stalled \(FailureBudgetSpent\): 1 attempt failed on this spec .*To unblock: mops-infra repair workspace/.test(p.text)), { timeout: 60_000 });
    const output = await s.wb.waitForOutput(/reconcile: workspace stalled: FailureBudgetSpent — 1 attempt failed/, { timeout: 60_000 });
    assert.match(output, /reconcile: up storage: succeeded/, 'the drifted storage was healed');
    assert.equal(output.match(/reconcile: workspace stalled/g).length, 1, 'a condition is logged when it changes, not every pass');
  });

  it('Unblock runs the repair the loop names; the row turns ready and the loop leaves it be', async function () {
    s.writeConfig(configYaml().replace('replicas: 2', 'replicas: 3'));
    await s.wb.clickRowInlineAction('workspace', 'Unblock');
    await s.wb.waitForProgressToFinish(/^ModelOps: Repair workspace/, { timeout: 480_000 });
    await waitForComponents(s.wb, ALL_READY, { timeout: 120_000 });
    writeWorkspaceSettings(s, { 'modelopsInfra.reconcile.enabled': false });
    await s.wb.waitForOutput(/reconcile: stopped/, { timeout: 60_000 });
  });
});
