/** The DigestCache (src/engine/backends/digestCache.ts): what a status kept is there for the next one. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigestCache } from '../../src/engine/backends/digestCache';

describe('digest cache', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'mops-digests-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('keeps what a process kept last, even when it ends with process.exit() (as the CLI does)', () => {
    const script = `
      const { DigestCache } = require(${JSON.stringify(join(__dirname, '../../src/engine/backends/digestCache'))});
      const cache = DigestCache.open(process.argv[1], 'azblob://c');
      cache.keep('history/1', 'a.json', 'etag-1', { first: true });
      setImmediate(() => {
        cache.keep('history/1', 'b.json', 'etag-2', { last: true });
        process.exit(0);
      });`;
    const r = spawnSync(process.execPath, ['-e', script, home], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const cache = DigestCache.open(home, 'azblob://c');
    assert.deepEqual(cache.get('history/1', 'a.json', 'etag-1'), { first: true });
    assert.deepEqual(cache.get('history/1', 'b.json', 'etag-2'), { last: true }, 'the digest kept just before exit');
  });

  it('leaves no exit listener behind once it has written', async () => {
    const before = process.listenerCount('exit');
    const cache = DigestCache.open(home, 'azblob://c');
    cache.keep('history/1', 'a.json', 'etag-1', 1);
    assert.equal(process.listenerCount('exit'), before + 1);
    await new Promise((r) => setImmediate(r));
    assert.equal(process.listenerCount('exit'), before);
    assert.equal(DigestCache.open(home, 'azblob://c').get('history/1', 'a.json', 'etag-1'), 1);
  });
});
