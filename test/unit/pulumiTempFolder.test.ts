/**
 * Pulumi's temporary folder (src/engine/pulumiTempFolder.ts) is where the Kubernetes provider
 * leaves kubeconfigs. A run killed with its watchdog leaves it; the next run removes it, and
 * nothing else: a folder whose run or watchdog lives, another namespace's, another tool's, a file, a link.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderPrefix, removeLeftFolders } from '../../src/engine/pulumiTempFolder';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.equal(child.status, 0);
  return child.pid;
}

describe("Pulumi's temporary folder, left by a run killed with its watchdog", () => {
  let parent: string;
  beforeEach(() => (parent = mkdtempSync(join(tmpdir(), 'mops-left-'))));
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  const folder = (name: string, file = 'kubeconfig-1234'): string => {
    const path = join(parent, name);
    mkdirSync(path);
    writeFileSync(join(path, file), 'users: [{ user: { token: not-a-real-one } }]\n');
    return path;
  };

  it('is removed, credentials and all, once neither its run nor its watchdog lives', () => {
    const dead = deadPid();
    folder(`${folderPrefix(dead, deadPid())}AbC123`);
    folder(`${folderPrefix(dead, 0)}XyZ789`); // no watchdog (Windows)
    assert.equal(removeLeftFolders(parent).length, 2);
    assert.deepEqual(readdirSync(parent), []);
  });

  it("counts a process that exited but was never reaped as gone (a container's first process may never reap the watchdog)", async () => {
    // sh starts a short sleep and becomes a long one, which never waits for it: the short one stays a zombie.
    const parentOfZombie = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [line] = (await once(parentOfZombie.stdout!, 'data')) as [Buffer];
      const zombie = Number(line.toString().trim());
      while (!/\) Z/.test(readFileSync(`/proc/${zombie}/stat`, 'utf8'))) await new Promise((r) => setTimeout(r, 10));
      assert.doesNotThrow(() => process.kill(zombie, 0), 'a zombie still answers signal 0');
      folder(`${folderPrefix(deadPid(), zombie)}AbC123`);
      assert.equal(removeLeftFolders(parent).length, 1);
    } finally {
      parentOfZombie.kill();
    }
  });

  it('is kept while its run or its watchdog lives (the watchdog still cancelling the Pulumi that uses it)', () => {
    const dead = deadPid();
    const kept = [folder(`${folderPrefix(process.pid, dead)}AbC123`), folder(`${folderPrefix(dead, process.pid)}XyZ789`), folder(`${folderPrefix(process.pid, 0)}Qrs456`)];
    assert.deepEqual(removeLeftFolders(parent), []);
    assert.ok(kept.every((path) => existsSync(join(path, 'kubeconfig-1234'))));
  });

  it("is kept when it is another pid namespace's (a container sharing the temporary folder), whose pids mean other processes", () => {
    const dead = deadPid();
    const theirs = folder(`${folderPrefix(dead, dead, '1')}AbC123`);
    assert.deepEqual(removeLeftFolders(parent), []);
    assert.ok(existsSync(join(theirs, 'kubeconfig-1234')));
  });

  it('leaves what is not such a folder: an older name without pids, a file, a link (and what it points to)', () => {
    const dead = deadPid();
    const older = folder('mops-pulumi-AbC123');
    writeFileSync(join(parent, `${folderPrefix(dead, dead)}file`), 'x');
    const target = folder('elsewhere');
    symlinkSync(target, join(parent, `${folderPrefix(dead, dead)}link`));
    assert.deepEqual(removeLeftFolders(parent), []);
    assert.ok(existsSync(join(older, 'kubeconfig-1234')));
    assert.ok(existsSync(join(parent, `${folderPrefix(dead, dead)}file`)));
    assert.ok(existsSync(join(target, 'kubeconfig-1234')), 'the folder the link points to is untouched');
  });

  it('finds nothing to do in a folder it cannot read', () => {
    assert.deepEqual(removeLeftFolders(join(parent, 'missing')), []);
  });
});
