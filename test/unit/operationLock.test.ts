import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireOperationLocks, readOperationLock, StackBusyError } from '../../src/engine/operationLock';

const claimName = (host: string, pid: number) => `${host}~${pid}~0123456789ab.json`;

describe('operation locks', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'mops-lock-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const claims = (stack: string): string[] => (existsSync(join(home, 'locks', stack)) ? readdirSync(join(home, 'locks', stack)).sort() : []);
  const heldStacks = (): string[] => readdirSync(join(home, 'locks')).filter((s) => claims(s).length > 0).sort();

  it('a second acquire of the same stack throws StackBusyError naming the holder', () => {
    const release = acquireOperationLocks(home, ['modelops-infra-dev'], 'up');
    try {
      assert.throws(
        () => acquireOperationLocks(home, ['modelops-infra-dev'], 'repair'),
        (error: unknown) => {
          assert.ok(error instanceof StackBusyError);
          assert.equal(error.stackName, 'modelops-infra-dev');
          assert.equal(error.holder.pid, process.pid);
          assert.equal(error.holder.operation, 'up');
          assert.match(error.message, new RegExp(`stack modelops-infra-dev is busy: up by pid ${process.pid} on ${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
          return true;
        },
      );
      assert.equal(readOperationLock(home, 'modelops-infra-dev')?.operation, 'up', 'the failed attempt did not disturb the holder');
      assert.equal(claims('modelops-infra-dev').length, 1, 'the refused claim withdrew');
    } finally {
      release();
    }
  });

  it('all or nothing: when one of several stacks is held, none of the others stays locked', () => {
    const holdStorage = acquireOperationLocks(home, ['modelops-storage-dev'], 'up');
    assert.throws(() => acquireOperationLocks(home, ['modelops-infra-dev', 'modelops-storage-dev', 'modelops-workspace-dev'], 'up'), StackBusyError);
    assert.deepEqual(heldStacks(), ['modelops-storage-dev']);
    holdStorage();
    const all = acquireOperationLocks(home, ['modelops-infra-dev', 'modelops-storage-dev', 'modelops-workspace-dev'], 'up');
    assert.deepEqual(heldStacks(), ['modelops-infra-dev', 'modelops-storage-dev', 'modelops-workspace-dev']);
    all();
  });

  it('a claim left by a dead process on this host is removed and taken over', () => {
    const dead = spawnSync('true').pid!;
    mkdirSync(join(home, 'locks', 'modelops-infra-dev'), { recursive: true });
    writeFileSync(join(home, 'locks', 'modelops-infra-dev', claimName(hostname(), dead)), JSON.stringify({ pid: dead, hostname: hostname(), operation: 'up', startedAt: '2025-01-01T00:00:00.000Z' }));
    assert.equal(readOperationLock(home, 'modelops-infra-dev'), undefined, 'a dead holder holds nothing');
    const release = acquireOperationLocks(home, ['modelops-infra-dev'], 'repair');
    const now = readOperationLock(home, 'modelops-infra-dev');
    assert.equal(now?.pid, process.pid);
    assert.equal(now?.operation, 'repair');
    assert.equal(claims('modelops-infra-dev').length, 1, 'the stale claim is gone');
    release();
  });

  it('a claim held on another host counts as live, whatever its pid', () => {
    mkdirSync(join(home, 'locks', 'modelops-infra-dev'), { recursive: true });
    // A pid that is dead here means nothing about a process on another machine.
    const pid = spawnSync('true').pid!;
    writeFileSync(join(home, 'locks', 'modelops-infra-dev', claimName(`${hostname()}-ci`, pid)), JSON.stringify({ pid, hostname: `${hostname()}-ci`, operation: 'up', startedAt: '2025-01-01T00:00:00.000Z' }));
    assert.equal(readOperationLock(home, 'modelops-infra-dev')?.hostname, `${hostname()}-ci`);
    assert.throws(() => acquireOperationLocks(home, ['modelops-infra-dev'], 'up'), StackBusyError);
  });

  it('a claim whose content cannot be read is never taken for stale: its name says who holds it', () => {
    mkdirSync(join(home, 'locks', 'modelops-infra-dev'), { recursive: true });
    writeFileSync(join(home, 'locks', 'modelops-infra-dev', claimName(hostname(), process.pid)), '');
    assert.throws(() => acquireOperationLocks(home, ['modelops-infra-dev'], 'up'), (error: unknown) => error instanceof StackBusyError && error.holder.pid === process.pid);
    assert.equal(claims('modelops-infra-dev').length, 1);
  });

  it('release removes the claims, and a released stack can be locked again', () => {
    const release = acquireOperationLocks(home, ['b-stack', 'a-stack'], 'up');
    assert.deepEqual(heldStacks(), ['a-stack', 'b-stack']);
    release();
    assert.deepEqual(heldStacks(), []);
    release(); // twice is harmless
    acquireOperationLocks(home, ['a-stack'], 'up')();
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
