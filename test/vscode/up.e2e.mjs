// (a) The tree after Up: run "ModelOps: Up" from the palette, the progress
// notification runs to its end, every row shows `ready`.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENTS, componentRows, configYaml, isBusy, openComponents, scenarioHooks, startSession, waitFor, waitForComponents } from './lib/harness.mjs';

describe('Up from the command palette', function () {
  let s;
  before(async function () {
    // A visible delay so the running state can be seen (and asserted) in the tree.
    s = await startSession({ name: 'up', yaml: configYaml({ faults: { cluster: { step_delay_ms: 1500 } } }) });
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  it('runs from the .vsix alone: the installed extension has no node_modules', async function () {
    const [installed] = readdirSync(s.extDir).filter((d) => d.startsWith('modelops.modelops-infra-'));
    assert.ok(installed, `the extension is installed in ${s.extDir}`);
    assert.ok(existsSync(join(s.extDir, installed, 'dist', 'vendor.js')), 'the bundled Pulumi SDKs are there');
    assert.equal(existsSync(join(s.extDir, installed, 'node_modules')), false, 'no node_modules: everything Up needs is bundled');
  });

  it('lists cluster, storage, workspace and adaptive-default, none ready before Up', async function () {
    const rows = await openComponents(s.wb);
    assert.deepEqual(Object.keys(rows), COMPONENTS);
    for (const c of COMPONENTS) assert.notEqual(rows[c].status, 'ready', `${c}: ${rows[c].description}`);
  });

  it('runs Up with a progress notification and a running row', async function () {
    await s.wb.runCommand('ModelOps: Up');
    const n = await s.wb.waitForNotification(/^ModelOps: Up/, { timeout: 60_000 });
    assert.ok(n.buttons.includes('Cancel'), `the progress notification offers Cancel: ${JSON.stringify(n)}`);
    // While the cluster is being created its row says so ("up… 0:03").
    await waitFor(async () => Object.values(await componentRows(s.wb)).some(isBusy), {
      timeout: 120_000, message: 'a row showing the running operation',
      describe: async () => JSON.stringify(Object.values(await componentRows(s.wb)).map((r) => r.description)),
    });
  });

  it('ends with every row ready and the status bar at 4/4', async function () {
    await s.wb.waitForProgressToFinish(/^ModelOps: Up/, { timeout: 480_000 });
    // "ready · done" while the run finishes, then plain "ready".
    const rows = await waitForComponents(s.wb, Object.fromEntries(COMPONENTS.map((c) => [c, /^ready$/])), { timeout: 120_000 });
    for (const c of COMPONENTS) assert.equal(rows[c].description, 'ready', `${c}: ${rows[c].description}`);
    await waitFor(async () => (await s.wb.statusBarTexts()).some((t) => /ModelOps · e2e · 4\/4 ready/.test(t)), {
      timeout: 30_000, message: 'status bar "ModelOps · e2e · 4/4 ready"', describe: async () => JSON.stringify(await s.wb.statusBarTexts()),
    });
    await s.wb.screenshot('tree');
  });

  it('Health shows each check under its component, with its verdict', async function () {
    await s.wb.runCommand('ModelOps: Health');
    await s.wb.waitForProgressToFinish(/^ModelOps: Health/, { timeout: 240_000 });
    const click = (label, level) => s.wb.selectRow(label, undefined, { level });
    await click('storage', 1);
    await s.wb.waitForRows((rows) => rows.some((r) => r.label === 'Health' && r.level === 2), { timeout: 30_000, message: 'a Health group under storage' });
    await click('Health', 2);
    const rows = await s.wb.waitForRows((r) => r.some((x) => x.level === 3 && x.label === 'blob endpoint'), { timeout: 30_000, message: 'storage health checks' });
    const checks = rows.filter((r) => r.level === 3);
    assert.deepEqual(checks.map((r) => r.label), ['blob endpoint', 'container bundle-blobs', 'container workspace', 'container results', 'container jobs']);
    for (const r of checks) assert.equal(r.status, 'healthy', `${r.label}: ${r.description}`);
    assert.match(rows.find((r) => r.label === 'Health' && r.level === 2).description, /5 healthy/);
    await s.wb.screenshot('health');
  });
});
