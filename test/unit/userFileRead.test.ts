/**
 * A user's file that names a device is never read to the end (src/engine/userFiles.ts): the
 * config was bounded (`--config /dev/zero` once took 23.5 GB); the same shape was left in the
 * kubeconfig of `provider: kubernetes`, `ssh.public_key_path`, ~/.modelops/config.yaml and the
 * kubeconfig a cluster's context is merged into. Each now reads at most its bound.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshPublicKey } from '../../src/engine/programs/azure/cluster';
import { readAtMost, readSmallFile } from '../../src/engine/userFiles';
import { RSA_SSH_KEY } from '../fixtures';

describe("reading a user's file, bounded", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mops-read-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads no more than the bound, and says there was more', () => {
    const file = join(dir, 'big');
    writeFileSync(file, 'x'.repeat(5000));
    assert.deepEqual(readAtMost(file, 4096), { text: 'x'.repeat(4096), truncated: true });
    assert.deepEqual(readAtMost(file, 5000), { text: 'x'.repeat(5000), truncated: false });
  });

  it('a device or a directory is refused, naming the path and what was expected; a missing file is undefined', () => {
    assert.throws(() => readSmallFile('/dev/zero', 'a kubeconfig', 1024), /^Error: \/dev\/zero is a device, not a kubeconfig$/);
    assert.throws(() => readSmallFile(dir, 'a kubeconfig', 1024), /is a directory, not a kubeconfig$/);
    assert.equal(readSmallFile(join(dir, 'nothing'), 'a kubeconfig', 1024), undefined);
    const big = join(dir, 'config');
    writeFileSync(big, 'a: b\n'.repeat(1000));
    assert.throws(() => readSmallFile(big, 'a kubeconfig', 1024), /config is larger than 1 KB, too large for a kubeconfig; check the path/);
  });

  it('ssh.public_key_path: /dev/zero is refused at once, with the fix', () => {
    assert.throws(() => sshPublicKey({ publicKeyPath: '/dev/zero' }), /^Error: ssh\.public_key_path: \/dev\/zero is a device, not an SSH public key\. Point it at an existing public key/);
    assert.throws(() => sshPublicKey({ publicKeyPath: join(dir, 'id.pub') }), /does not exist\. Point it at/);
    writeFileSync(join(dir, 'id.pub'), `${RSA_SSH_KEY}\n`);
    assert.equal(sshPublicKey({ publicKeyPath: join(dir, 'id.pub') }), RSA_SSH_KEY);
  });
});
