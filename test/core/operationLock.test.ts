import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireOperationLocks, isLockLive, readOperationLock, StackBusyError } from '../../src/engine/operationLock';

describe('operation locks', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'mops-lock-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const lockFiles = (): string[] => readdirSync(join(home, 'locks')).sort();

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
    } finally {
      release();
    }
  });

  it('all or nothing: when one of several stacks is held, none of the others stays locked', () => {
    const holdStorage = acquireOperationLocks(home, ['modelops-storage-dev'], 'up');
    assert.throws(() => acquireOperationLocks(home, ['modelops-infra-dev', 'modelops-storage-dev', 'modelops-workspace-dev'], 'up'), StackBusyError);
    assert.deepEqual(lockFiles(), ['modelops-storage-dev.lock']);
    holdStorage();
    const all = acquireOperationLocks(home, ['modelops-infra-dev', 'modelops-storage-dev', 'modelops-workspace-dev'], 'up');
    assert.deepEqual(lockFiles(), ['modelops-infra-dev.lock', 'modelops-storage-dev.lock', 'modelops-workspace-dev.lock']);
    all();
  });

  it('a lock file left by a dead process is taken over', () => {
    const dead = spawnSync('true').pid!;
    mkdirSync(join(home, 'locks'), { recursive: true });
    const stale = { pid: dead, hostname: hostname(), operation: 'up', startedAt: '2025-01-01T00:00:00.000Z' };
    writeFileSync(join(home, 'locks', 'modelops-infra-dev.lock'), JSON.stringify(stale));
    assert.equal(isLockLive(stale), false);
    const release = acquireOperationLocks(home, ['modelops-infra-dev'], 'repair');
    const now = readOperationLock(home, 'modelops-infra-dev');
    assert.equal(now?.pid, process.pid);
    assert.equal(now?.operation, 'repair');
    release();
  });

  it('a lock held on another host counts as live', () => {
    mkdirSync(join(home, 'locks'), { recursive: true });
    // A pid that is dead here means nothing about a process on another machine.
    const remote = { pid: spawnSync('true').pid!, hostname: `${hostname()}-ci`, operation: 'up', startedAt: '2025-01-01T00:00:00.000Z' };
    writeFileSync(join(home, 'locks', 'modelops-infra-dev.lock'), JSON.stringify(remote));
    assert.equal(isLockLive(remote), true);
    assert.throws(() => acquireOperationLocks(home, ['modelops-infra-dev'], 'up'), StackBusyError);
  });

  it('release removes the files, and a released stack can be locked again', () => {
    const release = acquireOperationLocks(home, ['b-stack', 'a-stack'], 'up');
    assert.equal(lockFiles().length, 2);
    release();
    assert.deepEqual(lockFiles(), []);
    assert.equal(existsSync(join(home, 'locks', 'a-stack.lock')), false);
    release(); // twice is harmless
    acquireOperationLocks(home, ['a-stack'], 'up')();
  });
});
