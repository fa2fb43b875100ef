// (d) Cancel mid-run: the tree ends in a truthful state, not `ready` for the
// interrupted component and not busy forever.
import assert from 'node:assert/strict';
import { COMPONENTS, componentRows, configYaml, isBusy, openComponents, scenarioHooks, startSession, waitFor, waitForComponents } from './lib/harness.mjs';
import { STATUS_WORDS } from './lib/statuses.mjs';

describe('Cancel a running Up', function () {
  let s;
  let busyAtCancel = [];
  let rows;
  const slow = { step_delay_ms: 4000 };
  before(async function () {
    s = await startSession({ name: 'cancel', yaml: configYaml({ faults: { cluster: slow, storage: slow, workspace: slow, 'adaptive-default': slow } }) });
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  it('cancels from the progress notification while a component is being created', async function () {
    await openComponents(s.wb);
    await s.wb.runCommand('ModelOps: Up');
    await s.wb.waitForNotification(/^ModelOps: Up/, { timeout: 60_000 });
    const rows = await waitFor(async () => {
      const r = Object.values(await componentRows(s.wb));
      return r.some(isBusy) ? r : undefined;
    }, { timeout: 180_000, message: 'a running row' });
    busyAtCancel = rows.filter(isBusy).map((r) => r.label);
    await s.wb.clickNotificationButton(/^ModelOps: Up/, 'Cancel');
  });

  it('the tree then settles: nothing busy, the run reported cancelled, later components not started', async function () {
    rows = await waitFor(async () => {
      const r = await componentRows(s.wb);
      return Object.values(r).some(isBusy) ? undefined : r;
    }, {
      timeout: 300_000, message: 'no row busy after cancel',
      describe: async () => JSON.stringify(Object.values(await componentRows(s.wb)).map((r) => `${r.label}: ${r.description}`)),
    });
    await s.wb.waitForProgressToFinish(/^ModelOps: Up/, { appearTimeout: 1000, timeout: 120_000 });
    // The run's own notification says it was a cancel, and what it left.
    const note = await s.wb.waitForNotification(/^ModelOps: Up cancelled after \d+:\d\d/, { timeout: 60_000 });
    assert.match(note.message, /(Stopped part-way|Not started): .*Up \(or Repair\) finishes it\.$/, note.message);
    const summary = COMPONENTS.map((c) => `${c}: ${rows[c]?.description}`).join('; ');
    for (const c of COMPONENTS) assert.ok(STATUS_WORDS.includes(rows[c].status), `known status for ${c}: ${summary}`);
    for (const c of COMPONENTS) assert.notEqual(rows[c].status, 'busy', `${c} must not stay busy: ${summary}`);
    // The run stopped: not everything is ready, and whatever waits on the cluster is not ready.
    assert.ok(COMPONENTS.some((c) => rows[c].status !== 'ready'), `the cancelled run must not end all ready: ${summary}`);
    assert.notEqual(rows['adaptive-default'].status, 'ready', summary);
    if (rows.cluster.status !== 'ready') assert.notEqual(rows.workspace.status, 'ready', summary);
    // What was running when Cancel was clicked (each step takes 4 s a resource) stopped part-way: not ready.
    assert.ok(busyAtCancel.length > 0);
    for (const c of busyAtCancel) {
      assert.ok(['cancelled', 'interrupted', 'absent', 'outputs-missing', 'failed'].includes(rows[c].status), `${c} after cancel: ${summary}`);
    }
    await s.wb.screenshot('cancel');
  });

  it('the tree is truthful: a Refresh (fresh read of the stacks) shows the same statuses', async function () {
    await s.wb.runCommand('ModelOps: Refresh');
    // Give the refresh time to run, then compare (statuses only; timers/reasons may differ).
    await new Promise((r) => setTimeout(r, 3000));
    const expected = Object.fromEntries(COMPONENTS.map((c) => [c, (row) => row.status === rows[c].status && !isBusy(row)]));
    await waitForComponents(s.wb, expected, { timeout: 120_000 });
  });
});
