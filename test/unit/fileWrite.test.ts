/**
 * A write the system refuses names our file and what to do (src/engine/fileWrite.ts). Before,
 * `reconcile` on a full disk ended with "mops-infra: ENOSPC: no space left on device, write":
 * Node names no path for a failed write. /dev/full refuses every write with ENOSPC, as a full
 * disk does; it is reached through a symlink, so only the link is ever removed.
 */
import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileWriteError } from '../../src/core/errors';
import { FileStore } from '../../src/engine/backends/stateStore';
import { writeAside } from '../../src/engine/fileWrite';

describe('writing our files on a full disk', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mops-full-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file it was writing and says to free space, and leaves no partial file', () => {
    assert.ok(lstatSync('/dev/full').isCharacterDevice(), 'this machine has /dev/full');
    const tmp = join(dir, 'records.json.123.tmp');
    symlinkSync('/dev/full', tmp);
    const target = join(dir, 'records.json');
    assert.throws(
      () => writeAside(tmp, target, '{"attempts":1}', { mode: 0o600 }),
      (error: unknown) => error instanceof FileWriteError && error.message === `cannot write ${target}: no space left on the disk that holds it: free some, then run it again`,
    );
    assert.equal(existsSync(tmp), false, 'the half-written file beside it is gone');
    assert.ok(lstatSync('/dev/full').isCharacterDevice(), '/dev/full itself was not touched');
  });

  it('other refusals keep their own words, with the file named', () => {
    const error = new FileWriteError('/x/y.json', Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }));
    assert.equal(error.message, 'cannot write /x/y.json: EIO: i/o error, write');
    assert.match(new FileWriteError('/x/y.json', Object.assign(new Error('read-only'), { code: 'EROFS' })).message, /read-only file system: point MODELOPS_HOME/);
  });

  it('a file backend writes whole files as before', async () => {
    const store = new FileStore(dir);
    await store.write('.modelops/records/s/drift.json', '{"drifted":false}');
    assert.equal(readFileSync(join(dir, '.modelops', 'records', 's', 'drift.json'), 'utf8'), '{"drifted":false}');
  });
});
