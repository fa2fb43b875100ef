// (a) The tree after Up: run "ModelOps: Up" from the palette, the progress
// notification runs to its end, every row shows `ready`; Health under a component.
// (b) Then a missing stack output (local fault: cluster omits kubeconfig), below.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENTS, componentRows, configYaml, isBusy, lineOf, openComponents, scenarioHooks, startSession, waitFor, waitForComponents } from './lib/harness.mjs';

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
    // One notification that stays: Pulumi's own counts, the duration and the outcome.
    const summary = await s.wb.waitForNotification(/^ModelOps: Up succeeded in \d+:\d\d: \d+ created\b.*; all ready\.$/, { timeout: 60_000 });
    assert.ok(summary.buttons.includes('Show Log'), JSON.stringify(summary));
    await s.wb.screenshot('run-summary');
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

  it('the Environments view lists the environment, 4/4 ready and current', async function () {
    const rows = await s.wb.waitForRows((r) => r.some((x) => x.label === 'e2e' && /^4\/4 ready · current$/.test(x.description)), { viewName: 'Environments', timeout: 60_000, message: 'environment e2e, 4/4 ready' });
    assert.deepEqual(rows.map((r) => r.label), ['e2e']);
    await s.wb.screenshot('environments');
  });

  // (b) Then an injected missing output on the same session: the cluster exports no kubeconfig.
  // The tree, the Problems panel and quick fixes tell the user it is the fault, take it out and
  // repair. What the extension holds meanwhile (diagnostics' codes, ranges, related information,
  // the code actions per code) is checked in the extension host: test/integration/lifecycle.test.ts.
  it('an update of the cluster that omits kubeconfig turns it outputs-missing, naming kubeconfig', async function () {
    s.writeConfig(configYaml({ faults: { cluster: { omit_outputs: ['kubeconfig'] } } }));
    await s.wb.runCommand('ModelOps: Repair Component');
    await s.wb.pickQuickItem('cluster', { exact: false });
    // The run's own title names what it repairs: a pick of another row fails here, not 120 s later.
    assert.ok(await s.wb.waitForProgressToFinish(/^ModelOps: Repair cluster\b/, { timeout: 480_000 }), 'Repair cluster started (its progress notification was seen)');
    const rows = await waitForComponents(s.wb, { cluster: 'outputs-missing', storage: 'ready' }, { timeout: 120_000 });
    assert.match(rows.cluster.description, /kubeconfig/);
  });

  it('workspace and adaptive-default show blocked, waiting on the cluster', async function () {
    const rows = await waitForComponents(s.wb, { workspace: 'blocked', 'adaptive-default': 'blocked' }, { timeout: 30_000 });
    assert.match(rows.workspace.description, /cluster/);
  });

  it("the Problems panel shows an error about kubeconfig on the cluster's line of azure.yaml", async function () {
    await s.wb.openFile('azure.yaml');
    await s.wb.openProblems();
    // A local config without `aks:` keeps the cluster under `provider:`.
    const expectedLine = lineOf(readFileSync(s.configPath, 'utf8'), 'provider:');
    const isClusterMarker = (r) => r.kind === 'marker' && /kubeconfig/.test(r.text) && r.line === expectedLine;
    const rows = await s.wb.waitForProblems((p) => p.some(isClusterMarker));
    const marker = rows.find(isClusterMarker);
    assert.equal(marker.severity, 'error', JSON.stringify(marker));
    assert.match(marker.text, /cluster/, JSON.stringify(marker));
    assert.match(marker.text, /modelops-infra/, 'the source is shown');
    assert.match(marker.text, /The fault `local\.faults\.cluster` \(line \d+\) leaves it out, so Repair and Up fail the same way/, 'the advice names the fault, not a repair that would fail');
    const faultLine = lineOf(readFileSync(s.configPath, 'utf8'), '    cluster:');
    const onFault = await s.wb.waitForProblems((p) => p.some((r) => r.kind === 'marker' && r.line === faultLine && /rehearsal fault omits kubeconfig/.test(r.text)));
    assert.equal(onFault.find((r) => r.kind === 'marker' && r.line === faultLine).severity, 'warning');
    await s.wb.screenshot('diagnostics');
  });

  it('the quick fix "Remove the fault on cluster" takes it out of azure.yaml, leaving the rest as written', async function () {
    const before = readFileSync(s.configPath, 'utf8');
    await s.wb.openFile('azure.yaml', lineOf(before, 'provider:'));
    await s.wb.quickFix('Remove the fault on cluster', { timeout: 60_000 });
    await s.wb.saveActiveEditor();
    const expected = before.replace(/ {4}cluster:\n {6}omit_outputs: \[kubeconfig\]\n/, '');
    assert.notEqual(expected, before);
    // The whole expected text, not just "no omit_outputs": a read may catch the file mid-write.
    await waitForFile(s.configPath, (text) => text === expected);
    // The fault's warning goes with it; the missing output stays until a repair.
    await s.wb.openProblems();
    await s.wb.waitForProblems((p) => !p.some((r) => r.kind === 'marker' && /rehearsal fault/.test(r.text)) && p.some((r) => r.kind === 'marker' && /kubeconfig/.test(r.text)), { timeout: 30_000 });
    await s.wb.screenshot('fault-removed');
  });

  it('then the quick fix "Repair cluster" turns every row ready and clears the error', async function () {
    const line = lineOf(readFileSync(s.configPath, 'utf8'), 'provider:');
    await s.wb.openFile('azure.yaml', line);
    // Rows of your own run are never "busy", and neither is what a blocked row waits on in it.
    const seen = new Set();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const r of Object.values(await componentRows(s.wb))) seen.add(`${r.label}: ${r.description}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    try {
      await s.wb.quickFix('Repair cluster', { timeout: 60_000 });
      await s.wb.waitForProgressToFinish(/^ModelOps: Repair/, { timeout: 480_000 });
      await waitForComponents(s.wb, Object.fromEntries(COMPONENTS.map((c) => [c, 'ready'])), { timeout: 120_000 });
    } finally {
      sampling = false;
      await sampler;
    }
    const rows = [...seen];
    assert.ok(!rows.some((r) => /\bbusy\b/.test(r)), `no row said busy during our own repair:\n${rows.join('\n')}`);
    assert.ok(rows.some((r) => /^workspace: blocked — waiting on cluster \((queued|[\w ]+…)\)/.test(r)), `the workspace named what the repair was doing to the cluster:\n${rows.join('\n')}`);
    await s.wb.openProblems();
    await s.wb.waitForProblems((p) => !p.some((r) => r.kind === 'marker' && /kubeconfig/.test(r.text)), { timeout: 120_000 });
  });
});

/** The file's text once `ready(text)` holds (the editor saves asynchronously). */
async function waitForFile(path, ready) {
  let text = '';
  await waitFor(() => ready((text = readFileSync(path, 'utf8'))), { timeout: 30_000, message: `${path} to change`, describe: async () => text });
  return text;
}
