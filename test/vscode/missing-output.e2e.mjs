// (b) An injected missing output: the cluster exports no kubeconfig. The tree,
// the Problems panel and quick fixes tell the user it is the fault, take it out and repair.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { waitFor } from './lib/workbench/base.mjs';
import { COMPONENTS, configYaml, lineOf, openComponents, scenarioHooks, startSession, waitForComponents } from './lib/harness.mjs';

describe('A missing stack output (local fault: cluster omits kubeconfig)', function () {
  let s;
  const faulty = configYaml({ faults: { cluster: { omit_outputs: ['kubeconfig'] } } });
  before(async function () {
    s = await startSession({ name: 'missing-output', yaml: configYaml() });
  });
  after(async () => s?.stop());
  scenarioHooks(() => s);

  it('Up makes every row ready', async function () {
    await openComponents(s.wb);
    await s.wb.runCommand('ModelOps: Up');
    await s.wb.waitForProgressToFinish(/^ModelOps: Up/, { timeout: 480_000 });
    await waitForComponents(s.wb, Object.fromEntries(COMPONENTS.map((c) => [c, 'ready'])), { timeout: 120_000 });
  });

  it('an update of the cluster that omits kubeconfig turns it outputs-missing, naming kubeconfig', async function () {
    s.writeConfig(faulty);
    await s.wb.runCommand('ModelOps: Repair Component');
    await s.wb.pickQuickItem('cluster', { exact: false });
    await s.wb.waitForProgressToFinish(/^ModelOps: Repair/, { timeout: 480_000 });
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
    await s.wb.press('Control+S');
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
    await s.wb.quickFix('Repair cluster', { timeout: 60_000 });
    await s.wb.waitForProgressToFinish(/^ModelOps: Repair/, { timeout: 480_000 });
    await waitForComponents(s.wb, Object.fromEntries(COMPONENTS.map((c) => [c, 'ready'])), { timeout: 120_000 });
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
