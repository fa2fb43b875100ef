/** The notification a run ends with: counts from Pulumi, "nothing to change", and what a cancel or failure left. */
import { strict as assert } from 'node:assert';
import type { PlannedStep } from '../../src/core/events';
import { driftOutcome, runOutcome, type FinishedStep, type RunRecord } from '../../src/vscode/view/runOutcome';
import { stepMessage } from '../../src/vscode/view/runPhase';
import { rollbackPrompt } from '../../src/vscode/view/rollbackPrompt';

const counts = (c: Partial<Record<'create' | 'update' | 'replace' | 'delete' | 'same', number>>) => ({ create: 0, update: 0, replace: 0, delete: 0, same: 0, ...c });
const plan = (...steps: Array<[string, PlannedStep['action']]>): PlannedStep[] => steps.map(([component, action]) => ({ component, stack: `s-${component}`, action, reason: '' }));
const step = (component: string, result: FinishedStep['result'], changes?: ReturnType<typeof counts>, action: FinishedStep['action'] = 'up'): FinishedStep => ({ component, action, result, message: '', ...(changes ? { changes } : {}) });
const run = (r: Partial<RunRecord>): RunRecord => ({ title: 'Up', result: 'succeeded', durationMs: 42_000, plan: [], steps: [], summary: '', ...r });

describe('the notification a run ends with', () => {
  it('counts what Pulumi did to resources, across every step, with the duration and the CLI summary', () => {
    const o = runOutcome(run({ plan: plan(['cluster', 'up'], ['storage', 'up']), steps: [step('cluster', 'succeeded', counts({ create: 3, same: 1 })), step('storage', 'succeeded', counts({ create: 2, update: 1 }))], summary: '2 provisioned, 0 already ready; all ready' }));
    assert.deepEqual(o, { severity: 'info', message: 'ModelOps: Up succeeded in 0:42: 5 created, 1 updated. 2 provisioned, 0 already ready; all ready.' });
  });

  it('says "nothing to change" when nothing changed, not just "succeeded"', () => {
    const skipped = runOutcome(run({ plan: plan(['cluster', 'skip'], ['storage', 'skip']), steps: [], summary: '0 provisioned, 2 already ready; all ready' }));
    assert.equal(skipped.message, 'ModelOps: Up: nothing to change — every component was already up to date (0:42). 0 provisioned, 2 already ready; all ready.');
    const same = runOutcome(run({ plan: plan(['cluster', 'up']), steps: [step('cluster', 'succeeded', counts({ same: 4 }))] }));
    assert.match(same.message, /^ModelOps: Up: nothing to change — Pulumi found nothing to change \(0:42\)\.$/);
  });

  it('a run that changed no resource but turned rows ready says so, never "nothing to change"', () => {
    // A repair once the fault that omitted kubeconfig is gone: the outputs come back, no resource changes.
    const repaired = runOutcome(run({ title: 'Repair cluster', plan: plan(['cluster', 'refresh'], ['cluster', 'up']), steps: [step('cluster', 'succeeded', counts({ same: 4 }), 'refresh'), step('cluster', 'succeeded', counts({ same: 4 }))], becameReady: ['cluster', 'workspace', 'adaptive-default'] }));
    assert.equal(repaired.message, 'ModelOps: Repair cluster succeeded in 0:42: ready now: cluster, workspace, adaptive-default, with no resource changed.');
  });

  it('after a cancel says what stopped part-way and what never started, and how to finish it', () => {
    const o = runOutcome(run({
      result: 'cancelled',
      durationMs: 30_000,
      plan: plan(['cluster', 'up'], ['storage', 'up'], ['workspace', 'up'], ['adaptive-default', 'up']),
      steps: [step('storage', 'succeeded', counts({ create: 2 })), step('cluster', 'cancelled')],
    }));
    assert.deepEqual(o, { severity: 'warning', message: 'ModelOps: Up cancelled after 0:30 (2 created before the cancel). Stopped part-way: cluster; not started: workspace, adaptive-default. Up (or Repair) finishes it.' });
  });

  it('a failure is an error that names what failed and what did not start', () => {
    const o = runOutcome(run({ result: 'failed', plan: plan(['cluster', 'up'], ['workspace', 'up']), steps: [step('cluster', 'failed')], summary: 'cluster: quota exceeded' }));
    assert.deepEqual(o, { severity: 'error', message: 'ModelOps: Up failed after 0:42: cluster: quota exceeded (failed: cluster; not started: workspace)' });
  });

  it('a destroy counts destroyed resources; a refusal is a warning with its reason', () => {
    assert.match(runOutcome(run({ title: 'Down', plan: plan(['workspace', 'destroy']), steps: [step('workspace', 'succeeded', counts({ delete: 7 }), 'destroy')] })).message, /^ModelOps: Down succeeded in 0:42: 7 destroyed\.$/);
    assert.deepEqual(runOutcome(run({ result: 'refused', summary: 'cluster is busy' })), { severity: 'warning', message: 'ModelOps: Up was refused: cluster is busy.' });
  });

  it('a run that only reads (preview, drift) reports what it found, never "nothing to change"', () => {
    const o = runOutcome(run({ title: 'Preview', plan: plan(['cluster', 'preview']), steps: [step('cluster', 'succeeded', undefined, 'preview')], summary: 'cluster would change: +1 ~0 ±0 -0' }));
    assert.equal(o.message, 'ModelOps: Preview succeeded in 0:42. cluster would change: +1 ~0 ±0 -0.');
  });

  it('a run with no plan (validate, health) reports its summary', () => {
    assert.deepEqual(runOutcome(run({ title: 'Validate', durationMs: 1000, summary: 'azure.yaml is valid: 4 components.' })), { severity: 'info', message: 'ModelOps: Validate succeeded in 0:01. azure.yaml is valid: 4 components.' });
  });
});

describe('the progress line of a step', () => {
  it('does not repeat the component the title already names', () => {
    assert.equal(stepMessage(['cluster'], 'cluster', 'up'), 'provisioning…');
    assert.equal(stepMessage('all', 'cluster', 'up'), 'cluster: provisioning…');
    assert.equal(stepMessage(['workspace'], 'adaptive-default', 'verify'), 'adaptive-default: verifying…');
  });
});

describe('what Rollback asks before it runs', () => {
  const step = (reason: string): PlannedStep => ({ component: 'workspace', stack: 'modelops-workspace-dev', action: 'up', reason });
  const preview = (...ops: string[]) => ({
    name: 'workspace',
    stack: 'modelops-workspace-dev',
    changes: counts({}),
    resources: ops.map((op, i) => ({ urn: `urn:pulumi:dev::p::t::r${i}`, type: 't', op: op as 'same' })),
  });

  it('a version whose preview changes nothing: "nothing to roll back", no modal', () => {
    const p = rollbackPrompt('workspace', step('rollback to version 2 (spec ab12): same spec as azure.yaml'), preview('same', 'same'));
    assert.deepEqual(p, { kind: 'nothing', message: 'ModelOps: nothing to roll back: rollback to version 2 (spec ab12): same spec as azure.yaml — its preview changes nothing in modelops-workspace-dev.' });
  });

  it('a real rollback lists the preview, and asks to revert azure.yaml only when it holds another spec', () => {
    const undo = rollbackPrompt('workspace', step('rollback to version 1 (spec cd34): undoes workspace.spec.workers.replicas'), preview('update', 'same'));
    assert.equal(undo.kind, 'confirm');
    assert.match(undo.kind === 'confirm' ? undo.detail : '', /Preview: update r0\n\nazure\.yaml keeps the newer spec: revert it to keep the rollback\.$/);
    const same = rollbackPrompt('workspace', step('rollback to version 2 (spec ab12): same spec as azure.yaml'), preview('update'));
    assert.doesNotMatch(same.kind === 'confirm' ? same.detail : '', /revert it/);
  });
});

describe("a run's notification offers its obvious next step", () => {
  it('drift found: Up, which puts it back', () => {
    assert.deepEqual(driftOutcome(['storage (1 deleted)']), { severity: 'warning', message: 'ModelOps: drift found: storage (1 deleted). Up puts it back (the tree shows what changed).', action: { title: 'Up', command: 'modelopsInfra.up' } });
  });

  it('refused behind a run that may be working: Wait is offered (the same run with --wait); never behind a lock that looks dead, nor after a wait ran out', () => {
    const busy = 'stack modelops-storage-dev is busy: up by alice@host-b (pid 42) since 2026-12-07T10:00:00Z. Wait for it to finish or cancel it.';
    const live = runOutcome(run({ result: 'refused', summary: busy, refusal: 'busy', canWait: true }));
    assert.equal(live.offerWait, true);
    assert.equal(live.message, `ModelOps: Up was refused: ${busy} Wait runs it once that run is done (up to 30 min).`);
    // The CLI says which refusal it is; the words are not read.
    const dead = runOutcome(run({ result: 'refused', summary: busy, refusal: 'looks-dead', canWait: true }));
    assert.deepEqual([dead.offerWait, dead.message], [undefined, `ModelOps: Up was refused: ${busy}`]);
    const ranOut = runOutcome(run({ result: 'refused', summary: busy, refusal: 'busy', canWait: false }));
    assert.deepEqual([ranOut.offerWait, ranOut.message], [undefined, `ModelOps: Up was refused: ${busy}`]);
  });

  it('refused for errors in the config: Show Problems; refused for another reason: no button but the log', () => {
    const invalid = runOutcome(run({ result: 'refused', summary: 'azure.yaml has 2 error(s); fix them first (see validate).', refusal: 'invalid-input' }));
    assert.deepEqual(invalid.action, { title: 'Show Problems', command: 'workbench.actions.view.problems' });
    assert.equal(runOutcome(run({ result: 'refused', summary: 'the data guard refused it', refusal: 'unsafe' })).action, undefined);
  });
});
