import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FileStore } from '../../src/engine/backends/stateStore';
import { OperationLocks, STALE_AFTER_MS, StackBusyError } from '../../src/engine/operationLock';

const claimName = (host: string, pid: number) => `${host}~${pid}~0123456789ab.json`;
/** This machine's id in these tests (liveness.machineId keeps one per MODELOPS_HOME). */
const MACHINE = 'machine-a';

/** Operation locks in a file backend's folder (`.modelops/locks/<stack>/`), as every machine sharing it sees them. */
describe('operation locks', () => {
  let root: string;
  let locks: OperationLocks;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mops-lock-'));
    locks = new OperationLocks(new FileStore(root), MACHINE);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const dir = (stack: string) => join(root, '.modelops', 'locks', stack);
  const claims = (stack: string): string[] => (existsSync(dir(stack)) ? readdirSync(dir(stack)).sort() : []);
  const heldStacks = (): string[] => readdirSync(join(root, '.modelops', 'locks')).filter((s) => claims(s).length > 0).sort();
  const writeClaim = (stack: string, host: string, pid: number, body: object | string) => {
    mkdirSync(dir(stack), { recursive: true });
    const file = join(dir(stack), claimName(host, pid));
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
    return file;
  };

  it('a second acquire of the same stack throws StackBusyError naming the holder', async () => {
    const release = await locks.acquire(['modelops-infra-dev'], 'up');
    try {
      await assert.rejects(
        () => locks.acquire(['modelops-infra-dev'], 'repair'),
        (error: unknown) => {
          assert.ok(error instanceof StackBusyError);
          assert.equal(error.stackName, 'modelops-infra-dev');
          assert.equal(error.holder.pid, process.pid);
          assert.equal(error.holder.operation, 'up');
          assert.match(error.message, new RegExp(`stack modelops-infra-dev is busy: up by (\\w+@)?${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pid ${process.pid}\\)`));
          return true;
        },
      );
      assert.equal(claims('modelops-infra-dev').length, 1, 'the refused claim withdrew; the holder is undisturbed');
    } finally {
      await release();
    }
  });

  it('all or nothing: when one of several stacks is held, none of the others stays locked', async () => {
    const holdStorage = await locks.acquire(['modelops-storage-dev'], 'up');
    await assert.rejects(() => locks.acquire(['modelops-infra-dev', 'modelops-storage-dev', 'modelops-workspace-dev'], 'up'), StackBusyError);
    assert.deepEqual(heldStacks(), ['modelops-storage-dev']);
    await holdStorage();
    const all = await locks.acquire(['modelops-infra-dev', 'modelops-storage-dev', 'modelops-workspace-dev'], 'up');
    assert.deepEqual(heldStacks(), ['modelops-infra-dev', 'modelops-storage-dev', 'modelops-workspace-dev']);
    await all();
  });

  it('a claim left by a dead process on this host is removed and taken over', async () => {
    const dead = spawnSync('true').pid!;
    writeClaim('modelops-infra-dev', hostname(), dead, { pid: dead, hostname: hostname(), machine: MACHINE, operation: 'up', startedAt: '2025-01-01T00:00:00.000Z' });
    assert.equal(await locks.holder('modelops-infra-dev'), undefined, 'a dead holder holds nothing');
    const release = await locks.acquire(['modelops-infra-dev'], 'repair');
    assert.equal(claims('modelops-infra-dev').length, 1, 'the stale claim is gone');
    assert.ok(claims('modelops-infra-dev')[0].includes(`~${process.pid}~`));
    await release();
  });

  it('a claim held on another host counts as live, whatever its pid; without a heartbeat it looks dead but still holds', async () => {
    // A pid that is dead here means nothing about a process on another machine.
    const pid = spawnSync('true').pid!;
    const now = new Date().toISOString();
    const file = writeClaim('modelops-infra-dev', 'host-b', pid, { pid, hostname: 'host-b', username: 'alice', operation: 'up', startedAt: now, heartbeatAt: now });
    const holder = await locks.holder('modelops-infra-dev');
    assert.equal(holder?.info.hostname, 'host-b');
    assert.equal(holder?.alive, true, 'a fresh heartbeat: alive as far as anyone here can tell');
    assert.equal(holder?.info.stale, undefined);
    await assert.rejects(() => locks.acquire(['modelops-infra-dev'], 'up'), (e: unknown) => e instanceof StackBusyError && /alice@host-b/.test(e.message) && /Wait for it/.test(e.message));
    const refused = await locks.forceUnlock('modelops-infra-dev');
    assert.deepEqual('live' in refused && refused.live.map((h) => h.hostname), ['host-b'], 'a run whose heartbeat is fresh is never cut off, even by a person');
    assert.equal(claims('modelops-infra-dev').length, 1);
    assert.equal(OperationLocks.looksDeadAt(holder!.info)?.getTime(), Date.parse(now) + STALE_AFTER_MS);

    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000).toISOString();
    writeFileSync(file, JSON.stringify({ pid, hostname: 'host-b', username: 'alice', operation: 'up', startedAt: old, heartbeatAt: old }));
    const silent = await locks.holder('modelops-infra-dev');
    assert.equal(silent?.alive, 'unknown');
    assert.match(silent?.info.stale ?? '', /^no heartbeat since /);
    await assert.rejects(() => locks.acquire(['modelops-infra-dev'], 'up'), (e: unknown) => e instanceof StackBusyError && /looks dead .*repair COMPONENT --force-unlock/.test(e.message));
    assert.equal(claims('modelops-infra-dev').length, 1, 'never cleared by itself');

    const cleared = await locks.forceUnlock('modelops-infra-dev');
    assert.deepEqual('cleared' in cleared && cleared.cleared.map((h) => [h.hostname, h.username]), [['host-b', 'alice']]);
    assert.deepEqual(claims('modelops-infra-dev'), []);
  });

  it("another machine with this machine's hostname is never taken for this one: its pid proves nothing here", async () => {
    const dead = spawnSync('true').pid!;
    const now = new Date().toISOString();
    writeClaim('modelops-infra-dev', hostname(), dead, { pid: dead, hostname: hostname(), machine: 'machine-b', operation: 'up', startedAt: now, heartbeatAt: now });
    assert.equal((await locks.holder('modelops-infra-dev'))?.alive, true);
    await assert.rejects(() => locks.acquire(['modelops-infra-dev'], 'up'), StackBusyError);
    assert.equal(claims('modelops-infra-dev').length, 1, 'never removed');
  });

  it('a holder whose claim was removed (by hand, in the backend) hears of it, and its heartbeat never brings the claim back', async function () {
    this.timeout(15_000);
    process.env.MODELOPS_LOCK_STALE_SECONDS = '2'; // heartbeats every 0.5 s
    try {
      const lost: string[] = [];
      const release = await locks.acquire(['modelops-infra-dev'], 'up', (stack) => lost.push(stack));
      const other = new OperationLocks(new FileStore(root), 'machine-b');
      await new Promise((r) => setTimeout(r, 1200));
      assert.ok('live' in (await other.forceUnlock('modelops-infra-dev')), 'its heartbeat is fresh: --force-unlock leaves it');
      for (const file of claims('modelops-infra-dev')) rmSync(join(dir('modelops-infra-dev'), file));
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(lost, ['modelops-infra-dev']);
      assert.deepEqual(claims('modelops-infra-dev'), [], 'not brought back');
      await release();
    } finally {
      delete process.env.MODELOPS_LOCK_STALE_SECONDS;
    }
  });

  it('a claim whose content cannot be read is never taken for stale: its name says who holds it; a person can still clear it', async () => {
    writeClaim('modelops-infra-dev', hostname(), process.pid, '');
    await assert.rejects(() => locks.acquire(['modelops-infra-dev'], 'up'), (error: unknown) => error instanceof StackBusyError && error.holder.pid === process.pid);
    assert.equal(claims('modelops-infra-dev').length, 1);
    const other = new OperationLocks(new FileStore(root), 'machine-b');
    const cleared = await other.forceUnlock('modelops-infra-dev');
    assert.ok('cleared' in cleared, 'no heartbeat can be read from it: --force-unlock clears it');
    assert.deepEqual(claims('modelops-infra-dev'), []);
  });

  it('release removes the claims, and a released stack can be locked again', async () => {
    const release = await locks.acquire(['b-stack', 'a-stack'], 'up');
    assert.deepEqual(heldStacks(), ['a-stack', 'b-stack']);
    await release();
    assert.deepEqual(heldStacks(), []);
    await release(); // twice is harmless
    await (await locks.acquire(['a-stack'], 'up'))();
  });
});

/**
 * Many processes race for one stack, many rounds each. Each holder appends "+pid" when it
 * gets the lock and "-pid" before it lets go; the log must never show two holders at once.
 */
describe('operation lock under contention', function () {
  this.timeout(120_000);
  const racer = resolve(__dirname, 'lockRacer.js');

  it('never has two holders: 8 processes × 100 rounds', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mops-lock-race-'));
    const log = join(home, 'holders.log');
    try {
      const exits = await Promise.all(
        Array.from({ length: 8 }, () => new Promise<number>((done) => {
          const child = spawn(process.execPath, [racer, home, log, '100'], { stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('exit', (code) => done(code ?? 1));
        })),
      );
      assert.deepEqual(exits, Array(8).fill(0));
      let holder: string | undefined;
      let acquired = 0;
      for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
        const [sign, pid] = [line[0], line.slice(1)];
        if (sign === '+') {
          assert.equal(holder, undefined, `pid ${pid} got the lock while pid ${holder} held it`);
          holder = pid;
          acquired++;
        } else {
          assert.equal(holder, pid, `pid ${pid} released a lock it did not hold`);
          holder = undefined;
        }
      }
      assert.ok(acquired >= 100, `only ${acquired} of 800 attempts got the lock: contention should delay, not starve`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
