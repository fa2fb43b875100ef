/** Interrupted, locked and cancelled runs, and how status and repair deal with them. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { OperationEvent } from '../../src/core/events';
import { localConfig, Sandbox, sleep, statusOf } from './harness';

const slow = (component: string, ms: number) => `local:\n  faults:\n    ${component}:\n      step_delay_ms: ${ms}\n`;

function lockDir(box: Sandbox, project: string, stack: string): string {
  return join(box.backendDir, '.pulumi', 'locks', 'organization', project, stack);
}

function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('recovery on the real engine', function () {
  this.timeout(300_000);
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  it('a killed update leaves an interrupted stack; repair brings it back and re-verifies dependents', async () => {
    box.write(localConfig(slow('cluster', 2500)));
    const run = box.start(['up']);
    await run.waitFor((e) => e.type === 'step-start' && e.component === 'cluster');
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'cluster' && /creating/.test(e.line));
    await sleep(1500);
    run.killTree();
    await run.exited;

    const status = box.status();
    const cluster = status.components.find((c) => c.name === 'cluster')!;
    assert.equal(cluster.status, 'interrupted', cluster.reason);
    assert.match(cluster.reason, /no longer running|pending operation/);
    assert.ok(status.problems.some((p) => p.code === 'component-interrupted' && p.component === 'cluster'));

    const stacks = join(box.backendDir, '.pulumi', 'stacks');
    const project = readdirSync(stacks).find((p) => existsSync(join(stacks, p, 'modelops-infra-dev.json')))!;
    const left = JSON.parse(readFileSync(join(stacks, project, 'modelops-infra-dev.json'), 'utf8')) as { checkpoint: { latest?: { pending_operations?: Array<{ type: string }> } } };
    const leftCreates = (left.checkpoint.latest?.pending_operations ?? []).some((o) => o.type === 'creating');

    box.write(localConfig());
    const repair = box.events(['repair', 'cluster']);
    assert.equal(repair.code, 0, repair.stdout + repair.stderr);
    const actions = repair.events.filter((e) => e.type === 'step-start').map((e) => (e as { action: string }).action);
    // What the kill left (it depends on the instant of the kill) decides the middle step: pending
    // creates are probed and settled (what exists adopted, then a refresh); anything else, a refresh.
    assert.deepEqual(actions, ['clear-lock', leftCreates ? 'resolve-pending' : 'refresh', 'up']);
    const verified = repair.events.filter((e): e is Extract<OperationEvent, { type: 'step-done' }> => e.type === 'step-done' && e.action === 'verify').map((e) => e.component);
    assert.deepEqual(verified, ['workspace', 'adaptive-default']);
    assert.equal(statusOf(box.status(), 'cluster'), 'ready');
    assert.equal(box.run(['up']).code, 0, 'the rest provisions after the repair');
    assert.deepEqual(box.status().components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready']);
  });

  it('a stale lock of a dead process is interrupted; a live one is busy and refused', () => {
    box.write(localConfig());
    box.ok(['up', 'cluster']);
    const dir = lockDir(box, 'modelops-infra', 'modelops-infra-dev');
    mkdirSync(dir, { recursive: true });
    const lock = (pid: number) => JSON.stringify({ pid, username: 'someone', hostname: hostname(), timestamp: new Date().toISOString() });

    writeFileSync(join(dir, 'live.json'), lock(process.pid));
    let status = box.status();
    assert.equal(statusOf(status, 'cluster'), 'busy');
    const refused = box.events(['repair', 'cluster']);
    assert.equal(refused.code, 3);
    const done = refused.events.find((e) => e.type === 'operation-done');
    assert.match(done && done.type === 'operation-done' ? done.summary : '', /busy: pid \d+ .*holds its lock/);

    writeFileSync(join(dir, 'live.json'), lock(deadPid()));
    status = box.status();
    assert.equal(statusOf(status, 'cluster'), 'interrupted');
    assert.match(status.components[0].reason, /no longer running/);
    const up = box.events(['up']);
    assert.equal(up.code, 0, up.stdout);
    assert.ok(up.events.some((e) => e.type === 'step-done' && e.action === 'clear-lock' && e.result === 'succeeded'));
    assert.deepEqual(readdirSync(dir), [], 'the stale lock is gone');
    assert.deepEqual(box.status().components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready']);
  });

  it('Ctrl-C cancels gracefully and leaves a truthful state; a second up finishes the job', async () => {
    box.write(localConfig(slow('storage', 1500)));
    const run = box.start(['up']);
    await run.waitFor((e) => e.type === 'step-done' && e.component === 'cluster');
    await run.waitFor((e) => e.type === 'step-start' && e.component === 'storage');
    run.child.kill('SIGINT');
    const code = await run.exited;
    assert.equal(code, 130, run.stderr);
    const done = await run.waitFor((e) => e.type === 'operation-done');
    assert.equal(done.type === 'operation-done' && done.result, 'cancelled');
    assert.ok(run.events.some((e) => e.type === 'step-done' && e.component === 'workspace' && e.result === 'skipped'), 'nothing new starts');

    const status = box.status();
    assert.equal(statusOf(status, 'cluster'), 'ready');
    assert.notEqual(statusOf(status, 'storage'), 'ready');
    assert.notEqual(statusOf(status, 'storage'), 'busy');
    assert.equal(statusOf(status, 'workspace'), 'absent');

    box.write(localConfig());
    box.ok(['up']);
    assert.deepEqual(box.status().components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready']);
  });

  it('a cancel Pulumi does not honour (a step that blocks past it) ends on a second Ctrl-C, says what that costs, and repair settles it with no duplicate', async () => {
    // Ten minutes per resource: Pulumi's graceful cancel waits for the step in flight, so only a force ends this run.
    box.write(localConfig(slow('storage', 600_000)));
    const run = box.start(['up', 'storage']);
    let forcedAt = 0;
    try {
      await run.waitFor((e) => e.type === 'step-output' && e.component === 'storage' && /dynamic.*creating/.test(e.line));
      run.child.kill('SIGINT');
      await sleep(5000);
      assert.equal(run.child.exitCode, null, `the graceful cancel waits for the blocked step\n${run.stderr}`);
      assert.match(run.stderr, /cancelling gracefully: .*press Ctrl-C again to stop Pulumi now \(the state may record pending operations/);
      forcedAt = Date.now();
      run.child.kill('SIGINT');
      assert.equal(await Promise.race([run.exited, sleep(60_000).then(() => 'still running a minute later')]), 130, run.stderr);
    } finally {
      // A failed check must not leave a run blocked for ten minutes behind it.
      if (run.child.exitCode === null) run.killTree();
    }
    assert.ok(Date.now() - forcedAt < 30_000, `a force stop ends the run at once (took ${Date.now() - forcedAt} ms)`);
    assert.match(run.stderr, /stopping Pulumi now: the state may record pending operations, and the component reads interrupted; the next repair, up or reconcile settles them/);
    const done = await run.waitFor((e) => e.type === 'operation-done');
    assert.equal(done.type === 'operation-done' && done.result, 'cancelled');
    // The run still ends by its own account, read from the state the force left.
    assert.match(done.type === 'operation-done' ? done.summary : '', /not ready: storage \(interrupted — 1 pending operation/);

    const storage = box.status().components.find((c) => c.name === 'storage')!;
    assert.equal(storage.status, 'interrupted', storage.reason);

    box.write(localConfig());
    const repair = box.events(['repair', 'storage']);
    assert.equal(repair.code, 0, repair.stdout + repair.stderr);
    assert.equal(statusOf(box.status(), 'storage'), 'ready');
    assert.equal(readdirSync(join(box.home, 'local-cloud', 'dev', 'storage')).length, 1, 'one storage account, not two');
  });

  it('refuses a second operation on a busy stack with a clear message', async () => {
    box.write(localConfig(slow('cluster', 1500)));
    const first = box.start(['up']);
    await first.waitFor((e) => e.type === 'step-start' && e.component === 'cluster');
    const second = box.events(['up']);
    assert.equal(second.code, 3);
    const done = second.events.find((e) => e.type === 'operation-done');
    assert.ok(done && done.type === 'operation-done' && done.result === 'refused');
    assert.match(done.summary, /stack modelops-\S+ is busy: up by \S+ \(pid \d+\)/);
    assert.equal(statusOf(box.status(), 'cluster'), 'busy');
    first.child.kill('SIGINT');
    await first.exited;
  });
});
