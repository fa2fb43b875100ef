/** The whole lifecycle on the real engine: specs, up that converges, preview, down, history, rollback. */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationEvent } from '../../src/core/events';
import type { HistoryDocument, PreviewDocument } from '../../src/core/protocol';
import { localConfig, Sandbox, statusOf } from './harness';

type StepDone = Extract<OperationEvent, { type: 'step-done' }>;
type Component = { name: string; status: string; spec?: string; outputs: Array<{ name: string; value?: unknown }> };
const withReplicas = (n: number, extra = '') => localConfig(extra).replace('replicas: 2', `replicas: ${n}`);
const summaryOf = (events: OperationEvent[]) => events.filter((e): e is Extract<OperationEvent, { type: 'operation-done' }> => e.type === 'operation-done').pop()?.summary ?? '';
const workers = (box: Sandbox) => JSON.parse(readFileSync(workersFile(box), 'utf8')) as { replicas: number };

/** The local provider's file for the Dask workers: clusters/<cluster>/namespaces/<ns>/deployments/dask-workers.json. */
function workersFile(box: Sandbox): string {
  const clusters = join(box.home, 'local-cloud', 'dev', 'clusters');
  const cluster = join(clusters, readdirSync(clusters)[0], 'namespaces');
  return join(cluster, readdirSync(cluster).find((ns) => ns.includes('dask'))!, 'deployments', 'dask-workers.json');
}

describe('the lifecycle on the real engine', function () {
  this.timeout(300_000);
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  const component = (name: string): Component => (box.status().components as unknown as Component[]).find((c) => c.name === name)!;
  const output = (name: string, key: string) => component(name).outputs.find((o) => o.name === key)?.value;

  it('up applies what changed in azure.yaml, only there, and a no-op up runs no Pulumi', () => {
    box.write(withReplicas(2));
    box.ok(['up']);
    assert.deepEqual(box.status().components.map((c) => (c as unknown as Component).spec), ['current', 'current', 'current', 'current']);

    box.write(withReplicas(5));
    assert.deepEqual(box.status().components.map((c) => (c as unknown as Component).spec), ['current', 'current', 'changed', 'current']);
    const status = box.run(['status']);
    assert.match(status.stdout, /workspace .* ready .*changed since last up/);
    assert.match(status.stdout, /azure\.yaml:\d+:1 warning spec-changed: workspace: this section changed since the last up/);

    const up = box.events(['up']);
    assert.equal(up.code, 0, up.stdout);
    const done = up.events.filter((e): e is StepDone => e.type === 'step-done' && e.result === 'succeeded');
    const ran = done.filter((e) => e.action !== 'preview').map((e) => e.component);
    assert.deepEqual(ran, ['workspace'], 'the changed workspace; what depends on it reads nothing that changed');
    const dependent = up.events.find((e): e is StepDone => e.type === 'step-done' && e.component === 'adaptive-default')!;
    assert.deepEqual([dependent.result, dependent.message], ['skipped', 'ready: what it reads from workspace is unchanged; not re-applied']);
    const previewedInUp = (name: string) => up.events.some((e) => e.type === 'step-output' && e.component === name && /^Previewing update/.test(e.line));
    assert.equal(previewedInUp('workspace'), false, 'the workspace holds no data: no preview of its own inside its up');
    assert.deepEqual(done.filter((e) => e.action === 'preview').map((e) => e.component), []);
    // Our dynamic-provider plugin is the project's own: Pulumi no longer warns, on every run, that it came from $PATH.
    const pathWarnings = up.events.filter((e) => e.type === 'step-output' && /pulumi-resource-pulumi-nodejs from \$PATH/.test(e.line));
    assert.deepEqual(pathWarnings, []);
    assert.equal(output('workspace', 'worker_count'), 5);
    assert.equal(workers(box).replicas, 5);
    assert.equal(component('workspace').spec, 'current');

    const again = box.events(['up']);
    assert.equal(again.code, 0);
    assert.ok(!again.events.some((e) => e.type === 'step-start'), 'nothing to do: no step, no Pulumi process');
    assert.match(summaryOf(again.events), /0 provisioned, 4 already ready/);
  });

  it('preview says nothing would change on an unchanged environment, and exactly the changed component after an edit', () => {
    box.write(withReplicas(2));
    box.ok(['up']);
    const clean = box.json<PreviewDocument>(['preview']);
    assert.equal(clean.env, 'dev');
    assert.deepEqual(clean.components.map((c) => [c.name, c.changes.create + c.changes.update + c.changes.replace + c.changes.delete]), [['cluster', 0], ['storage', 0], ['workspace', 0], ['adaptive-default', 0]]);

    box.write(withReplicas(5));
    const edited = box.json<PreviewDocument>(['preview']);
    const changed = edited.components.filter((c) => c.changes.update + c.changes.create + c.changes.replace + c.changes.delete > 0);
    assert.deepEqual(changed.map((c) => c.name), ['workspace']);
    assert.deepEqual(changed[0].resources.filter((r) => r.op !== 'same').map((r) => [r.op, r.urn.split('::').pop()]), [['update', 'dask-workers']]);
    assert.equal(output('workspace', 'worker_count'), 2, 'preview changes nothing');
    const human = box.run(['preview', 'workspace']);
    assert.match(human.stdout, /workspace +\+0 ~1 ±0 -0\n +~ update +dask-workers/);
  });

  it('preview of a component not provisioned yet says so instead of creating its stack', () => {
    box.write(withReplicas(2));
    const doc = box.json<PreviewDocument>(['preview', 'storage']);
    assert.match(doc.components[0].note ?? '', /no stack yet: up creates modelops-storage-dev/);
    assert.equal(doc.components[0].creates, true);
    // The summary counts it: an up changes it most of all (before: "0 of 1 would change" beside "up creates").
    const events = box.events(['preview', 'storage']).events;
    const done = events.find((e) => e.type === 'operation-done');
    assert.equal(done?.type === 'operation-done' && done.summary, '1 of 1 would change (1 created: no stack yet)');
    assert.equal(statusOf(box.status(), 'storage'), 'absent');
  });

  it('down destroys in reverse dependency order, keeps storage unless named, and refuses to orphan a dependent', () => {
    box.write(withReplicas(2));
    box.ok(['up']);
    const orphan = box.run(['down', 'cluster'], ['--yes']);
    assert.equal(orphan.code, 3);
    assert.match(orphan.stdout, /cluster cannot go while workspace, adaptive-default depend on it and stay\. Add --with-dependents/);
    const unconfirmed = box.run(['down']);
    assert.equal(unconfirmed.code, 3, 'no --yes and no terminal: refused');
    assert.deepEqual(box.status().components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready'], 'nothing destroyed without confirmation');

    const down = box.events(['down'], ['--yes']);
    assert.equal(down.code, 0, down.stdout);
    const order = down.events.filter((e): e is StepDone => e.type === 'step-done' && e.result === 'succeeded').map((e) => e.component);
    assert.deepEqual(order, ['adaptive-default', 'workspace', 'cluster']);
    assert.match(summaryOf(down.events), /kept \(they hold data; name them or use --all\): storage/);
    assert.deepEqual(box.status().components.map((c) => c.status), ['absent', 'ready', 'absent', 'absent']);

    assert.equal(box.run(['down', 'storage'], ['--yes']).code, 0);
    assert.equal(statusOf(box.status(), 'storage'), 'absent');
  });

  it('on a terminal, down and up --force-recreate show what they would destroy and change nothing unless a person types yes', () => {
    box.write(withReplicas(2));
    box.ok(['up']);
    const statuses = () => box.status().components.map((c) => c.status);
    const no = box.onTerminal(['down', 'workspace', '--with-dependents'], [], 'no\n');
    assert.equal(no.code, 3, no.stdout);
    assert.match(no.stdout, /These stacks of environment "dev" \(from .*azure\.yaml\) are destroyed, in this order:\n {2}modelops-adaptive-dev-default \(adaptive-default\) — holds data: the run's study database\n {2}modelops-workspace-dev \(workspace\)\n.*lifts that protection.*\nType "yes" to go ahead: no\nNothing was changed\./);
    const recreate = box.onTerminal(['up', 'storage', '--force-recreate'], [], 'n\n');
    assert.equal(recreate.code, 3, recreate.stdout);
    assert.match(recreate.stdout, /in this order, then provisioned again:\n(.|\n)* {2}modelops-storage-dev \(storage\) — holds data: the storage account(.|\n)*Type "yes" to go ahead: n\nNothing was changed\./);
    assert.deepEqual(statuses(), ['ready', 'ready', 'ready', 'ready'], 'nothing destroyed without "yes"');

    const yes = box.onTerminal(['down', 'workspace', '--with-dependents'], [], 'yes\n');
    assert.equal(yes.code, 0, yes.stdout);
    assert.deepEqual(statuses(), ['ready', 'ready', 'absent', 'absent']);
  });

  it('down --dry-run changes nothing; down --all takes what holds data too', () => {
    box.write(withReplicas(2));
    box.ok(['up']);
    const dry = box.json<{ result: string; plan: Array<{ component: string; action: string }> }>(['down', '--all', '--dry-run']);
    assert.equal(dry.result, 'succeeded');
    assert.deepEqual(dry.plan.map((s) => [s.action, s.component]), [['destroy', 'adaptive-default'], ['destroy', 'workspace'], ['destroy', 'storage'], ['destroy', 'cluster']]);
    assert.deepEqual(box.status().components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready'], 'a dry run destroys nothing');
    assert.equal(box.run(['down', '--all'], ['--yes']).code, 0);
    assert.deepEqual(box.status().components.map((c) => c.status), ['absent', 'absent', 'absent', 'absent']);
  });

  it('rollback refuses to replace what holds data unless --allow-replace, and goes --to the version asked for', () => {
    const withAccount = (name: string) => withReplicas(2).replace('storage: {}', `storage:\n  account_name: ${name}`);
    box.write(withAccount('firstaccount'));
    box.ok(['up']);
    box.write(withAccount('secondaccount'));
    box.ok(['up', 'storage'], ['--allow-replace']);
    box.write(withAccount('thirdaccount'));
    box.ok(['up', 'storage'], ['--allow-replace']);
    assert.equal(output('storage', 'account_name'), 'thirdaccount');

    const refused = box.events(['rollback', 'storage'], ['--yes']);
    assert.equal(refused.code, 3, refused.stdout);
    assert.match(summaryOf(refused.events), /storage-account/);
    assert.match(summaryOf(refused.events), /--allow-replace/);
    assert.equal(output('storage', 'account_name'), 'thirdaccount', 'nothing was replaced');

    const back = box.events(['rollback', 'storage'], ['--to', '1', '--allow-replace', '--yes']);
    assert.equal(back.code, 0, back.stdout);
    assert.match(summaryOf(back.events), /rolled back storage to version 1/);
    assert.equal(output('storage', 'account_name'), 'firstaccount', 'version 1, not the one before the newest');
  });

  it('history lists the updates newest first with how each spec changed; rollback puts the previous spec back and says what to revert', () => {
    box.write(withReplicas(2));
    box.ok(['up']);
    box.write(withReplicas(5));
    box.ok(['up']);
    assert.equal(workers(box).replicas, 5);

    const history = box.json<HistoryDocument>(['history', 'workspace']);
    assert.deepEqual(history.updates.map((u) => [u.version, u.kind, u.result]), [[2, 'update', 'succeeded'], [1, 'update', 'succeeded']]);
    assert.deepEqual(history.updates[0].specChanges, ['workspace.spec.workers.replicas']);
    assert.ok(!JSON.stringify(history).includes('"replicas"'), 'history shows paths, never values');

    const refused = box.run(['rollback', 'workspace']);
    assert.equal(refused.code, 3, 'no --yes and no terminal');
    const rollback = box.events(['rollback', 'workspace'], ['--yes']);
    assert.equal(rollback.code, 0, rollback.stdout);
    assert.match(summaryOf(rollback.events), /rolled back workspace to version 1; workspace: ready; azure\.yaml still holds the newer spec: revert workspace\.spec\.workers\.replicas \(.*azure\.yaml:\d+\)/);
    assert.ok(rollback.events.some((e) => e.type === 'step-done' && e.action === 'verify' && e.component === 'adaptive-default' && e.result === 'succeeded'), 'dependents re-verified');
    assert.equal(output('workspace', 'worker_count'), 2);
    assert.equal(workers(box).replicas, 2, 'the file the local provider made is back too');
    assert.equal(component('workspace').status, 'ready');
    assert.equal(component('workspace').spec, 'changed', 'azure.yaml still asks for 5');
  });

  it('up --rollback-on-failure puts back what it changed when a later component fails', () => {
    box.write(withReplicas(2));
    box.ok(['up']);
    // The run changes too, so it runs after the workspace (a dependent whose reads did not change would not) and fails.
    box.write(withReplicas(5, 'local:\n  faults:\n    adaptive-default:\n      fail_after_resources: 0\n').replace('algorithm: optuna', 'algorithm: optuna\n    workers: { replicas: 3 }'));
    const up = box.events(['up'], ['--rollback-on-failure']);
    assert.equal(up.code, 1);
    assert.match(summaryOf(up.events), /rolled back: workspace \(to version 1\)/);
    assert.equal(output('workspace', 'worker_count'), 2);
    assert.equal(workers(box).replicas, 2);
  });
});
