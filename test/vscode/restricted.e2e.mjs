// (e) Restricted Mode as the user sees it: the banner, the rows, and Up explaining that it is
// disabled.
import assert from 'node:assert/strict';
import { COMPONENTS, componentRows, configYaml, openComponents, scenarioHooks, startSession, waitForComponents } from './lib/harness.mjs';

describe('Restricted Mode (workspace not trusted)', function () {
  // What the extension holds in Restricted Mode (rows from stored state, Up refused, nothing
  // written) is checked inside the extension host (test/integration/restricted.test.ts); this
  // is what the user sees of it.
  let s;
  before(async function () {
    s = await startSession({ name: 'restricted', yaml: configYaml(), trust: true });
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  it('opens in Restricted Mode when the user does not trust the folder', async function () {
    await s.wb.chooseRestricted();
    assert.ok(await s.wb.isRestricted());
  });

  it('still lists every component, read from the backend', async function () {
    await openComponents(s.wb);
    const rows = await waitForComponents(s.wb, Object.fromEntries(COMPONENTS.map((c) => [c, 'absent'])), { timeout: 180_000 });
    assert.deepEqual(Object.keys(rows).sort(), [...COMPONENTS].sort());
    await s.wb.screenshot('restricted');
  });

  it('"ModelOps: Up" explains that it is disabled in Restricted Mode, and nothing runs', async function () {
    await s.wb.runCommand('ModelOps: Up');
    const n = await s.wb.waitForNotification(/Restricted Mode/, { timeout: 60_000 });
    assert.match(n.message, /Up/);
    const after = await componentRows(s.wb);
    for (const c of COMPONENTS) assert.equal(after[c].status, 'absent');
    const notes = await s.wb.notifications();
    assert.ok(!notes.some((x) => /^ModelOps: Up$/.test(x.message) && x.progress), JSON.stringify(notes));
  });
});
