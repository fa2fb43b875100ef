// (e) Restricted Mode: the tree still shows statuses from stored state; Up
// explains that it is disabled.
import assert from 'node:assert/strict';
import { COMPONENTS, componentRows, configYaml, openComponents, scenarioHooks, startSession, waitFor, waitForComponents } from './lib/harness.mjs';

const ALL_READY = Object.fromEntries(COMPONENTS.map((c) => [c, 'ready']));

describe('Restricted Mode (workspace not trusted)', function () {
  let s;
  before(async function () {
    // Stored state first: a trusted session provisions everything, then stops.
    const first = await startSession({ name: 'restricted', yaml: configYaml() });
    try {
      await openComponents(first.wb);
      await first.wb.runCommand('ModelOps: Up');
      await first.wb.waitForProgressToFinish(/^ModelOps: Up/, { timeout: 480_000 });
      await waitForComponents(first.wb, ALL_READY, { timeout: 120_000 });
    } finally {
      await first.stop({ keepRoot: true });
    }
    // Same folder and MODELOPS_HOME, a new user-data-dir (no remembered trust), trust enabled.
    s = await startSession({ name: 'restricted', yaml: configYaml(), trust: true, root: first.root, home: first.home });
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  it('opens in Restricted Mode when the user does not trust the folder', async function () {
    await s.wb.chooseRestricted();
    assert.ok(await s.wb.isRestricted());
  });

  it('still shows every component ready from stored state', async function () {
    await openComponents(s.wb);
    const rows = await waitForComponents(s.wb, ALL_READY, { timeout: 180_000 });
    for (const c of COMPONENTS) assert.equal(rows[c].status, 'ready');
    await s.wb.screenshot('restricted');
  });

  it('"ModelOps: Up" explains that it is disabled in Restricted Mode', async function () {
    await s.wb.runCommand('ModelOps: Up');
    const n = await s.wb.waitForNotification(/Restricted Mode/, { timeout: 60_000 });
    assert.match(n.message, /Up/);
    // And nothing ran: no progress notification, rows unchanged.
    const after = await componentRows(s.wb);
    for (const c of COMPONENTS) assert.equal(after[c].status, 'ready');
    const notes = await s.wb.notifications();
    assert.ok(!notes.some((x) => /^ModelOps: Up$/.test(x.message) && x.progress), JSON.stringify(notes));
    void waitFor;
  });
});
