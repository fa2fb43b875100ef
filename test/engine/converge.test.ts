/** Keeping it converged on the real engine: drift, the reconcile loop, pending creates, stalls. */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DriftDocument, HistoryDocument, ReconcileDocument } from '../../src/core/protocol';
import type { OperationEvent } from '../../src/core/events';
import { localConfig, Sandbox, sleep } from './harness';

type Condition = Extract<OperationEvent, { type: 'condition' }>;
type StepStart = Extract<OperationEvent, { type: 'step-start' }>;
type StepDone = Extract<OperationEvent, { type: 'step-done' }>;
type DriftStatusJson = { state: string; resources: Array<{ urn: string; change: string }> };
type ComponentJson = { name: string; status: string; drift?: DriftStatusJson; reconcile?: { condition: string; reason: string; message: string; command?: string } };

const slow = (component: string, ms: number) => `local:\n  faults:\n    ${component}:\n      step_delay_ms: ${ms}\n`;
const failing = (component: string) => `local:\n  faults:\n    ${component}:\n      fail_after_resources: 0\n`;
const withReplicas = (n: number, extra = '') => localConfig(extra).replace('replicas: 2', `replicas: ${n}`);

/** What a run's steps did, one line each: for an assertion's message. */
const stepsOf = (events: OperationEvent[]) =>
  events
    .filter((e): e is Extract<OperationEvent, { type: 'step-done' | 'condition' | 'log' }> => e.type === 'step-done' || e.type === 'condition' || e.type === 'log')
    .map((e) => (e.type === 'step-done' ? `${e.component} ${e.action} ${e.result}: ${e.message}` : e.type === 'condition' ? `${e.component} ${e.condition} ${e.reason}: ${e.message}` : `${e.level}: ${e.message}`))
    .join('\n');

/** The local provider's storage account folder (local-cloud/dev/storage/<account>). */
function storageDir(box: Sandbox): string {
  const root = join(box.home, 'local-cloud', 'dev', 'storage');
  return join(root, readdirSync(root)[0]);
}

function checkpoint(box: Sandbox, project: string, stack: string): { pending_operations?: Array<{ type: string }>; resources: Array<{ urn: string }> } {
  return (JSON.parse(readFileSync(join(box.backendDir, '.pulumi', 'stacks', project, `${stack}.json`), 'utf8')) as { checkpoint: { latest: never } }).checkpoint.latest;
}

describe('keeping it converged on the real engine', function () {
  this.timeout(300_000);
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  const components = () => box.status().components as unknown as ComponentJson[];
  const component = (name: string) => components().find((c) => c.name === name)!;

  it('drift finds a deleted folder and an edited file, only where they are, without writing state or taking a lock', () => {
    box.write(localConfig());
    box.ok(['up']);
    const clean = box.run(['drift']);
    assert.equal(clean.code, 0, `nothing drifted: exit 0\n${clean.stdout}${clean.stderr}`);

    rmSync(join(storageDir(box), 'results'), { recursive: true });
    const before = box.backendFiles();
    const doc = box.json<DriftDocument>(['drift']);
    assert.deepEqual(doc.components.map((c) => [c.name, c.drifted]), [['cluster', false], ['storage', true], ['workspace', false], ['adaptive-default', false]]);
    const storage = doc.components.find((c) => c.name === 'storage')!;
    assert.deepEqual(storage.resources.map((r) => [r.urn.split('::').pop(), r.change]), [['results-container', 'deleted']]);
    assert.match(storage.checkedAt, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(box.backendFiles(), before, 'no checkpoint, history entry or lock was written');
    const streamed = box.events(['drift']);
    assert.equal(streamed.code, 1, 'something drifted: exit 1');
    const done = streamed.events.filter((e) => e.type === 'operation-done');
    assert.deepEqual(done.map((e) => e.type === 'operation-done' && e.result), ['succeeded'], 'the check itself succeeded');

    const workers = readdirSync(join(box.home, 'local-cloud', 'dev', 'clusters'));
    const ns = join(box.home, 'local-cloud', 'dev', 'clusters', workers[0], 'namespaces');
    const file = join(ns, readdirSync(ns).find((n) => n.includes('dask'))!, 'deployments', 'dask-workers.json');
    writeFileSync(file, '{"replicas": 100}');
    const edited = box.json<DriftDocument>(['drift', 'workspace']);
    assert.deepEqual(edited.components.map((c) => [c.name, c.resources.map((r) => [r.urn.split('::').pop(), r.change])]), [['workspace', [['dask-workers', 'updated']]]]);

    const status = components();
    assert.equal(status.find((c) => c.name === 'storage')!.drift?.state, 'drifted');
    assert.equal(status.find((c) => c.name === 'workspace')!.drift?.state, 'drifted');
    assert.equal(status.find((c) => c.name === 'cluster')!.drift?.state, 'in-sync');
    assert.match(box.run(['status']).stdout, /storage .* ready .*drifted: 1 deleted/);
    assert.ok((box.status().problems as Array<{ code: string; component?: string }>).some((p) => p.code === 'component-drifted' && p.component === 'storage'));

    const up = box.events(['up', 'storage']);
    assert.equal(up.code, 0, up.stdout);
    assert.ok(existsSync(join(storageDir(box), 'results')), 'up refreshes a drifted component and creates what was deleted');
    assert.equal(component('storage').drift?.state, 'unchecked', 'a new deployment: the old check no longer applies');
  });

  it('one healing pass brings a deleted resource back and leaves the rest alone', () => {
    box.write(localConfig());
    box.ok(['up']);
    rmSync(join(storageDir(box), 'results'), { recursive: true });

    const report = box.events(['reconcile', '--once']);
    assert.equal(report.code, 1, 'without --heal it only reports');
    const stalled = report.events.find((e): e is Condition => e.type === 'condition' && e.component === 'storage')!;
    assert.deepEqual([stalled.condition, stalled.reason], ['stalled', 'Drifted']);
    assert.match(stalled.command!, /^mops-infra up storage --config .*azure\.yaml --env dev$/);
    assert.ok(!existsSync(join(storageDir(box), 'results')), 'nothing was touched');

    const heal = box.events(['reconcile', '--once', '--heal']);
    assert.equal(heal.code, 0, heal.stdout + heal.stderr);
    assert.ok(existsSync(join(storageDir(box), 'results')), 'the deleted container is back');
    const ups = heal.events.filter((e): e is StepStart => e.type === 'step-start' && e.action === 'up').map((e) => e.component);
    assert.deepEqual(ups, ['storage'], 'only storage is updated; its dependents are previewed and unchanged');
    const storageConditions = heal.events.filter((e): e is Condition => e.type === 'condition' && e.component === 'storage').map((c) => c.condition);
    assert.deepEqual(storageConditions, ['reconciling', 'ready'], 'reconciling while it heals, then ready');
    assert.equal(box.run(['drift']).code, 0, 'in sync afterwards');
    assert.deepEqual(components().map((c) => c.reconcile?.condition), ['ready', 'ready', 'ready', 'ready']);
  });

  for (const found of ['gone', 'there'] as const) {
    it(`a create killed mid-way is resolved by probing (resource ${found}): no duplicate, no orphan`, async () => {
      box.write(localConfig(slow('storage', 3000)));
      const run = box.start(['up', 'storage']);
      await run.waitFor((e) => e.type === 'step-output' && e.component === 'storage' && /storage-account.*creating/.test(e.line));
      await sleep(500);
      run.killTree();
      await run.exited;
      const pending = checkpoint(box, 'modelops-storage', 'modelops-storage-dev').pending_operations ?? [];
      assert.deepEqual(pending.map((p) => p.type), ['creating'], 'the kill left a pending create');
      const account = join(box.home, 'local-cloud', 'dev', 'storage');
      assert.ok(!existsSync(account) || readdirSync(account).length === 0, 'the create had not made its folder yet');
      if (found === 'there') {
        // As if the create had finished just before the kill: the folder and its key exist.
        const op = checkpoint(box, 'modelops-storage', 'modelops-storage-dev').pending_operations![0] as unknown as { resource: { inputs: { path: string } } };
        const path = op.resource.inputs.path;
        mkdirSync(path, { recursive: true });
        writeFileSync(join(path, '.token'), 'key-made-before-the-kill');
        writeFileSync(join(path, 'user-data.txt'), 'kept');
      }

      box.write(localConfig());
      const heal = box.events(['reconcile', '--once', '--heal']);
      assert.equal(heal.code, 0, heal.stdout + heal.stderr);
      const probe = heal.events.find((e): e is Extract<OperationEvent, { type: 'step-done' }> => e.type === 'step-done' && e.action === 'probe')!;
      assert.match(probe.message, found === 'there' ? /storage-account: exists/ : /storage-account: gone/);
      const actions = heal.events.filter((e): e is StepStart => e.type === 'step-start' && e.component === 'storage').map((e) => e.action);
      assert.deepEqual(actions.filter((a) => a !== 'drift' && a !== 'probe' && a !== 'preview'), ['clear-lock', 'resolve-pending', 'up']);

      const latest = checkpoint(box, 'modelops-storage', 'modelops-storage-dev');
      assert.equal(latest.pending_operations?.length ?? 0, 0);
      const urns = latest.resources.map((r) => r.urn);
      assert.equal(new Set(urns).size, urns.length, 'each resource once in the state');
      assert.equal(urns.filter((u) => u.endsWith('::storage-account')).length, 1);
      const history = box.json<HistoryDocument>(['history', 'storage']);
      const update = history.updates.find((u) => u.kind === 'update' && u.result === 'succeeded')!;
      assert.equal(update.resourceChanges?.create, found === 'there' ? 4 : 5, found === 'there' ? 'the account was imported, not created twice' : 'the account was created once');
      const dir = storageDir(box);
      if (found === 'there') {
        assert.equal(readFileSync(join(dir, 'user-data.txt'), 'utf8'), 'kept');
        assert.equal(readFileSync(join(dir, '.token'), 'utf8'), 'key-made-before-the-kill', 'the imported account keeps its key');
      }
      assert.equal(component('storage').status, 'ready');
    });
  }

  it('a component that keeps failing stalls after N attempts, its neighbours untouched; Ctrl-C ends the loop; the cause stays, and taking the fault out lifts the stall', async () => {
    box.write(withReplicas(2));
    box.ok(['up']);
    box.write(withReplicas(3, failing('workspace')));
    const loop = box.start(['reconcile', '--heal', '--interval', '1', '--max-attempts', '2']);
    await loop.waitFor((e) => e.type === 'condition' && e.component === 'workspace' && e.condition === 'stalled', 180_000);
    await loop.waitFor((e) => e.type === 'pass' && e.phase === 'end' && loop.events.some((x) => x.type === 'condition' && x.condition === 'stalled'));
    loop.child.kill('SIGINT');
    assert.equal(await loop.exited, 130, loop.stderr);
    const done = loop.events.filter((e) => e.type === 'operation-done');
    assert.deepEqual(done.map((e) => e.type === 'operation-done' && e.result), ['cancelled']);

    // An attempt is the heal's preview and then its up; whichever fails ends it, and it counts.
    const failed = loop.events.filter((e): e is StepDone => e.type === 'step-done' && (e.action === 'preview' || e.action === 'up') && e.result === 'failed').map((e) => e.component);
    assert.deepEqual(failed, ['workspace', 'workspace'], `two failed attempts on workspace, nothing on its neighbours:\n${stepsOf(loop.events)}`);
    const ups = loop.events.filter((e): e is StepStart => e.type === 'step-start' && e.action === 'up').map((e) => e.component);
    assert.ok(ups.length >= 1 && ups.every((c) => c === 'workspace'), `only workspace is updated:\n${stepsOf(loop.events)}`);
    const stall = loop.events.find((e): e is Condition => e.type === 'condition' && e.condition === 'stalled')!;
    assert.equal(stall.reason, 'FailureBudgetSpent');
    assert.deepEqual([stall.attempt, stall.maxAttempts], [2, 2], 'stalled on the second failed attempt, not after waiting longer');
    assert.match(stall.command!, /^mops-infra repair workspace --config /);

    const status = components();
    assert.deepEqual(status.find((c) => c.name === 'workspace')!.reconcile && [status.find((c) => c.name === 'workspace')!.reconcile!.condition], ['stalled']);
    assert.ok((box.status().problems as Array<{ code: string }>).some((p) => p.code === 'component-stalled'));
    const still = box.events(['reconcile', '--once', '--heal', '--max-attempts', '2']);
    assert.equal(still.code, 1);
    assert.ok(!still.events.some((e) => e.type === 'step-start' && e.action === 'up'), 'stalled: not retried');

    assert.equal(component('workspace').reconcile?.message, stall.message, 'a later pass keeps the cause that spent the budget');
    assert.match(stall.message, /^2 attempts failed on this spec \(first: .+\); not retrying until workspace's section of azure\.yaml \(or a fault on it\) changes, or a person repairs it$/);

    // The same spec, the fault taken out: what the stall said would lift it does.
    box.write(withReplicas(3));
    const lifted = box.events(['reconcile', '--once', '--heal']);
    assert.equal(lifted.code, 0, lifted.stdout + lifted.stderr);
    assert.equal(component('workspace').status, 'ready');
    assert.equal(component('workspace').reconcile?.condition, 'ready');
  });

  it('a checkpoint that cannot be parsed stalls the component, naming the file and the .bak to copy over it; it never reads reconciling forever', () => {
    box.write(withReplicas(2));
    box.ok(['up']);
    const stacks = join(box.backendDir, '.pulumi', 'stacks');
    const project = readdirSync(stacks).find((p) => existsSync(join(stacks, p, 'modelops-workspace-dev.json')))!;
    const file = join(stacks, project, 'modelops-workspace-dev.json');
    assert.ok(existsSync(`${file}.bak`), 'Pulumi keeps the checkpoint before the last write');
    writeFileSync(file, '{"version": 3, "checkpoint": {"latest": {"resources": [');
    for (let pass = 1; pass <= 2; pass++) {
      const doc = box.json<ReconcileDocument>(['reconcile', '--once', '--heal']);
      const workspace = doc.conditions.find((c) => c.component === 'workspace')!;
      assert.deepEqual([workspace.condition, workspace.reason], ['stalled', 'StateCorrupt'], `pass ${pass}: ${workspace.message}`);
      assert.ok(workspace.message.includes(`${file} is not valid JSON`) && workspace.message.includes(`${file}.bak: copy that over it`), workspace.message);
      assert.match(workspace.command!, /^mops-infra repair workspace /);
    }
    writeFileSync(file, readFileSync(`${file}.bak`));
    const lifted = box.events(['reconcile', '--once', '--heal']);
    assert.equal(lifted.code, 0, lifted.stdout);
  });

  it('repair lifts a stall; reconcile never brings back what down destroyed', () => {
    box.write(withReplicas(2));
    box.ok(['up']);
    box.write(withReplicas(3, failing('workspace')));
    assert.equal(box.run(['reconcile', '--once', '--heal', '--max-attempts', '1']).code, 1);
    assert.equal(component('workspace').reconcile?.condition, 'stalled');
    box.write(withReplicas(3));
    box.ok(['repair', 'workspace']);
    assert.equal(component('workspace').reconcile, undefined, 'a person repaired it: the loop starts again');

    box.ok(['down', 'adaptive-default', '--yes']);
    const pass = box.json<ReconcileDocument>(['reconcile', '--once', '--heal']);
    assert.equal(pass.converged, false);
    const adaptive = pass.conditions.find((c) => c.component === 'adaptive-default')!;
    assert.deepEqual([adaptive.condition, adaptive.reason], ['stalled', 'Destroyed']);
    assert.match(adaptive.command!, /^mops-infra up adaptive-default /);
    assert.ok(!pass.steps.some((s) => s.component === 'adaptive-default' && s.action === 'up'));
    assert.equal(component('adaptive-default').status, 'absent');
  });
});
