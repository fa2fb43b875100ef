// (b) An injected missing output: the cluster exports no kubeconfig. The tree,
// the Problems panel and a quick fix tell the user and repair it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
    await s.wb.screenshot('diagnostics');
  });

  it('after removing the fault, the quick fix "Repair cluster" turns every row ready and clears the error', async function () {
    // The fault is static config: take it out first (as the user would), then repair.
    s.writeConfig(configYaml());
    const line = lineOf(readFileSync(s.configPath, 'utf8'), 'provider:');
    await s.wb.openFile('azure.yaml', line);
    await s.wb.quickFix('Repair cluster', { timeout: 60_000 });
    await s.wb.waitForProgressToFinish(/^ModelOps: Repair/, { timeout: 480_000 });
    await waitForComponents(s.wb, Object.fromEntries(COMPONENTS.map((c) => [c, 'ready'])), { timeout: 120_000 });
    await s.wb.openProblems();
    await s.wb.waitForProblems((p) => !p.some((r) => r.kind === 'marker' && /kubeconfig/.test(r.text)), { timeout: 120_000 });
  });
});
