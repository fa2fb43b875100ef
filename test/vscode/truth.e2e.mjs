// Truth and safety in the editor: the environment is always in sight, the view title's Up
// means every component, the user's own run is never "busy" (rows say queued / up… / done
// and change as each component finishes), and Force Recreate of one component destroys it and
// what depends on it, never what it depends on.
import assert from 'node:assert/strict';
import { COMPONENTS, componentRows, configYaml, openComponents, scenarioHooks, startSession, waitFor, waitForComponents } from './lib/harness.mjs';

const ALL_READY = Object.fromEntries(COMPONENTS.map((c) => [c, 'ready']));

/** Samples rows and the status bar every 300 ms until `until()` holds; returns what was seen. */
async function watchRun(wb, until, { timeout = 480_000 } = {}) {
  const seen = [];
  await waitFor(async () => {
    const rows = await componentRows(wb);
    const bar = (await wb.statusBarTexts()).find((t) => t.includes('ModelOps')) ?? '';
    seen.push({ rows: Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, r.description])), bar });
    return until(rows);
  }, { timeout, interval: 300, message: 'the run to reach its end state', describe: async () => JSON.stringify(seen.slice(-3)) });
  return seen;
}

describe('The editor tells the truth about its own runs', function () {
  let s;
  before(async function () {
    // The cluster is slow, so the other rows can be seen waiting and finishing around it.
    s = await startSession({ name: 'truth', yaml: configYaml({ faults: { cluster: { step_delay_ms: 2500 } } }) });
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  it('names the environment in the view and the status bar', async function () {
    await openComponents(s.wb);
    await waitFor(async () => /^components env e2e$/i.test(await s.wb.sidebarTitle()), {
      timeout: 60_000, message: 'the view title names env e2e', describe: () => s.wb.sidebarTitle(),
    });
    // First contact is quiet: nothing provisioned is something to do, not a warning.
    await waitFor(async () => (await s.wb.statusBarTexts()).some((t) => /ModelOps · e2e · not provisioned/.test(t)), {
      timeout: 60_000, message: 'status bar "ModelOps · e2e · not provisioned"', describe: async () => JSON.stringify(await s.wb.statusBarTexts()),
    });
    const rows = await componentRows(s.wb);
    for (const c of COMPONENTS) assert.equal(rows[c].description, 'absent — run Up to create it', `${c}: ${rows[c].description}`);
  });

  it("the view title's Up runs every component, whatever row is selected", async function () {
    await s.wb.selectRow('storage');
    await s.wb.clickViewTitleAction('Up');
    const n = await s.wb.waitForNotification(/^ModelOps: Up/, { timeout: 60_000 });
    assert.match(n.message, /^ModelOps: Up\b(?! storage)/, `the title action means all components: ${n.message}`);
  });

  let seen;
  it('during the run, rows say queued / up… / done from the run itself, never "busy", and change as each one finishes', async function () {
    seen = await watchRun(s.wb, (rows) => COMPONENTS.every((c) => rows[c]?.status === 'ready' && rows[c].description === 'ready'));
    const all = seen.flatMap((x) => Object.values(x.rows));
    assert.ok(!all.some((d) => /^busy/.test(d)), `a row of our own run said busy: ${JSON.stringify(seen.filter((x) => Object.values(x.rows).some((d) => /^busy/.test(d)))[0])}`);
    assert.ok(seen.some((x) => x.rows.workspace === 'queued'), 'workspace waits for the cluster as "queued"');
    assert.ok(seen.some((x) => /^up… \d+:\d\d/.test(x.rows.cluster)), 'the cluster row shows "up… m:ss"');
    // Cluster and storage run side by side; whichever ends first turns "ready · done" while the other
    // still runs. Which one that is depends on the machine: the cluster's delay is a sleep, storage's
    // time is work, so a machine starved of CPU can finish the cluster first.
    const oneEndsFirst = (x) => (/^ready · done/.test(x.rows.storage) && /^up…/.test(x.rows.cluster)) || (/^ready · done/.test(x.rows.cluster) && /^up…/.test(x.rows.storage));
    const storageAndCluster = seen.map((x) => `${x.rows.storage} | ${x.rows.cluster}`).filter((line, i, all) => line !== all[i - 1]);
    assert.ok(seen.some(oneEndsFirst), `one of storage and cluster turns ready while the other still runs; storage | cluster as sampled:\n${storageAndCluster.join('\n')}`);
    assert.ok(seen.some((x) => /ModelOps · e2e · 1\/4 ready/.test(x.bar)), 'the status bar counts each component as it finishes');
  });

  it('a screenshot of a run in progress', async function () {
    // Shown in the README: recreate workspace, and catch the rows mid-run.
    await s.wb.treeRowContextAction('workspace', 'Force Recreate Component…');
    const modal = await s.wb.waitForDialog({ timeout: 120_000 });
    await s.wb.screenshot('force-recreate-modal');
    const text = `${modal.message}\n${modal.detail}`;
    assert.match(modal.message, /Force recreate workspace in environment "e2e"\?/);
    assert.match(text, /1\. modelops-adaptive-e2e-default \(adaptive-default\)[^\n]*holds data: the run's study database\n2\. modelops-workspace-e2e \(workspace\)/, text);
    assert.doesNotMatch(text, /\(cluster\)|\(storage\)/, `what workspace depends on is not destroyed: ${text}`);
    assert.match(text, /Not touched: cluster, storage\./, 'the modal lists what the run leaves alone, from its plan');
    await s.wb.answerDialog('Destroy and Recreate');
    await waitFor(async () => {
      const rows = await componentRows(s.wb);
      return /^(destroying|up)… /.test(rows.workspace?.description ?? '') || /^(destroying|up)… /.test(rows['adaptive-default']?.description ?? '');
    }, { timeout: 120_000, message: 'a recreate step running' });
    await s.wb.screenshot('run-in-progress');
  });

  it('force recreate of workspace recreates it and adaptive-default, and never touches the cluster or storage', async function () {
    seen = await watchRun(s.wb, (rows) => COMPONENTS.every((c) => rows[c]?.description === 'ready'));
    for (const x of seen) {
      assert.equal(x.rows.cluster, 'ready', `the cluster row stays ready: ${JSON.stringify(x)}`);
      assert.equal(x.rows.storage, 'ready', `the storage row stays ready: ${JSON.stringify(x)}`);
      assert.ok(!/ModelOps · e2e · [01]\/4/.test(x.bar), `cluster and storage stay counted as ready: ${x.bar}`);
    }
    assert.ok(seen.some((x) => /^absent/.test(x.rows.workspace) || /^queued/.test(x.rows.workspace)), 'the destroyed workspace is not shown with its old outputs as ready');
    assert.ok(seen.some((x) => /ModelOps · e2e · [23]\/4 ready/.test(x.bar)), `once destroyed, workspace and adaptive-default stop counting as ready: ${JSON.stringify(seen.map((x) => x.bar))}`);
    const all = await s.wb.waitForOutput(/■ up succeeded/, { timeout: 120_000 });
    const run = all.slice(all.lastIndexOf('▶ up'));
    assert.match(run, /destroy adaptive-default: succeeded[\s\S]*destroy workspace: succeeded[\s\S]*up workspace: succeeded[\s\S]*up adaptive-default: succeeded/, run);
    assert.doesNotMatch(run, /destroy (cluster|storage)/, run);
    await waitForComponents(s.wb, ALL_READY, { timeout: 60_000 });
  });

  it('a misspelt environment is an error, not a silent switch: Up is refused', async function () {
    s.writeConfig(configYaml().replace('environment: e2e', 'enviroment: e2e'));
    await s.wb.openProblems();
    const problems = await s.wb.waitForProblems((ps) => ps.some((p) => /Did you mean `environment`\?/.test(p.text)), { timeout: 120_000 });
    const typo = problems.find((p) => /Did you mean `environment`\?/.test(p.text));
    assert.equal(typo.severity, 'error', JSON.stringify(typo));
    await waitFor(async () => /^components env dev$/i.test(await s.wb.sidebarTitle()), {
      timeout: 60_000, message: 'the view says which environment the file now means', describe: () => s.wb.sidebarTitle(),
    });
    await s.wb.runCommand('ModelOps: Up');
    const refused = await s.wb.waitForNotification(/ModelOps: Up was refused: .*azure\.yaml has 1 error/, { timeout: 120_000 });
    assert.ok(refused);
  });
});
