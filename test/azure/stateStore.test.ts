/**
 * The two state stores keep one contract — a folder (file://) and a Blob Storage container
 * (azblob://, on Azurite: the real Storage API) — and a snapshot over either answers reads of
 * the folders it listed without asking the store again.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobBackend } from '../../src/core/backend';
import { BlobStore } from '../../src/engine/backends/blobStore';
import { readDiyStack } from '../../src/engine/backends/diyState';
import { DigestCache } from '../../src/engine/backends/digestCache';
import { FileStore, type StateStore, type StoredObject } from '../../src/engine/backends/stateStore';
import { StoreSnapshot } from '../../src/engine/backends/storeSnapshot';
import { Azurite } from '../azurite';

/** Counts what reaches the store underneath, by method. */
function counted(store: StateStore): { store: StateStore; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(key), (calls.get(String(key)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

const sorted = (names: string[]) => [...names].sort();
const paths = (found: StoredObject[]) => sorted(found.map((o) => o.path));

describe('state stores: a folder and a Blob Storage container (Azurite) keep one contract', function () {
  let azurite: Azurite;
  let dir: string;
  const stores: Array<[string, () => StateStore]> = [
    ['file://', () => new FileStore(dir)],
    ['azblob:// on Azurite', () => new BlobStore(blobBackend(azurite.backendUrl('contract'), azurite.env))],
  ];

  before(async function () {
    this.timeout(120_000);
    azurite = await Azurite.start();
    await azurite.createContainer('contract');
  });
  after(async () => azurite?.stop());
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mops-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, make] of stores) {
    describe(name, () => {
      let store: StateStore;
      const root = `.t${Math.random().toString(36).slice(2, 8)}`;
      beforeEach(async () => {
        store = make();
        for (const { path } of await store.listPrefix(`${root}/`)) await store.remove(path);
      });

      it('lists a folder (objects and sub-folders), a whole tree, and nothing where there is nothing', async () => {
        await store.write(`${root}/stacks/p/a.json`, '{"a":1}');
        await store.write(`${root}/stacks/p/deep/b.json`, '{}');
        await store.write(`${root}/locks/l.json`, '{}');
        assert.deepEqual(sorted(await store.list(`${root}/stacks/p`)), ['a.json', 'deep']);
        await store.write(`${root}/stacks-other/c.json`, '{}');
        assert.deepEqual(paths(await store.listPrefix(`${root}/stacks/`)), [`${root}/stacks/p/a.json`, `${root}/stacks/p/deep/b.json`]);
        assert.deepEqual(paths(await store.listPrefix(`${root}/stacks`)), [`${root}/stacks-other/c.json`, `${root}/stacks/p/a.json`, `${root}/stacks/p/deep/b.json`], 'a partial name matches as a prefix');
        assert.deepEqual(await store.list(`${root}/none`), []);
        assert.deepEqual(await store.listPrefix(`${root}/none/`), []);
        assert.equal((await store.read(`${root}/stacks/p/a.json`))?.toString(), '{"a":1}');
        assert.equal(await store.read(`${root}/stacks/p/missing.json`), undefined);
      });

      it('creates only what does not exist, rewrites only what still exists, removes idempotently', async () => {
        const path = `${root}/claims/c.json`;
        assert.equal(await store.create(path, 'first'), true);
        assert.equal(await store.create(path, 'second'), false);
        assert.equal((await store.read(path))?.toString(), 'first');
        assert.equal(await store.rewrite(path, 'beat'), true);
        assert.equal((await store.read(path))?.toString(), 'beat');
        await store.remove(path);
        await store.remove(path);
        assert.equal(await store.rewrite(path, 'ghost'), false, 'a removed claim must never come back');
        assert.equal(await store.read(path), undefined);
      });

      it('a snapshot lists once and then answers reads, absences and listings of what it listed without the store', async () => {
        await store.write(`${root}/stacks/p/a.json`, 'A');
        await store.write(`${root}/records/s/drift.json`, 'D');
        await store.write(`${root}/history/s/1.history.json`, 'H');
        const { store: underneath, calls } = counted(store);
        const view: StateStore = StoreSnapshot.take(underneath, [`${root}/stacks/`, `${root}/records/`, `${root}/history/s`]);
        assert.equal(calls.get('listPrefix'), 3);
        assert.equal(await view.read(`${root}/stacks/p/a.gz`), undefined);
        assert.equal(await view.read(`${root}/records/s/reconcile.json`), undefined);
        assert.deepEqual(await view.list(`${root}/records`), ['s']);
        assert.deepEqual(await view.list(`${root}/stacks/p/`), ['a.json']);
        assert.equal(calls.get('read'), undefined, 'an absence the listing shows needs no request');
        assert.equal(calls.get('list'), undefined);
        assert.equal((await view.read(`${root}/stacks/p/a.json`))?.toString(), 'A');
        assert.equal(calls.get('read'), 1);
        assert.deepEqual(await view.list(`${root}/history/s`), ['1.history.json'], 'a folder inside a listed prefix');
        // Outside what it listed, it asks the store.
        assert.deepEqual(await view.list(`${root}/other`), []);
        assert.equal(calls.get('list'), 1);
        await assert.rejects(view.write(`${root}/stacks/p/a.json`, 'B'), /read-only/);
        assert.equal((await store.read(`${root}/stacks/p/a.json`))?.toString(), 'A');
      });
    });
  }

  describe('a container read again: what has not changed is not downloaded again (DigestCache)', () => {
    const root = '.pulumi';
    const project = 'p';
    const stackName = `s${Math.random().toString(36).slice(2, 8)}`;
    const checkpointPath = `${root}/stacks/${project}/${stackName}.json`;
    const historyPath = `${root}/history/${project}/${stackName}/${stackName}-1700000000000000000.history.json`;
    const secret = (cipher: string) => ({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', ciphertext: cipher });
    const checkpoint = (url: string) =>
      JSON.stringify({ checkpoint: { latest: { resources: [{ type: 'pulumi:pulumi:Stack', urn: 'urn:stack', outputs: { url, key: secret('v1:nonce:SECRET-CIPHERTEXT-0123456789abcdef') } }] } } });
    const prefixes = [`${root}/stacks/`, `${root}/locks/`, `${root}/history/${project}/${stackName}`];
    let container: StateStore;
    const read = (digests: DigestCache) => {
      const { store, calls } = counted(container);
      return readDiyStack(StoreSnapshot.take(store, prefixes, digests), project, stackName).then((state) => ({ state, calls }));
    };

    beforeEach(async () => {
      container = new BlobStore(blobBackend(azurite.backendUrl('contract'), azurite.env));
      await container.write(checkpointPath, checkpoint('http://one'));
      await container.write(historyPath, JSON.stringify({ kind: 'update', result: 'failed', startTime: 1700000000, endTime: 1700000010 }));
    });

    it('lists each blob with a version (its ETag) that every write changes', async () => {
      const version = async () => (await container.listPrefix(checkpointPath)).find((o) => o.path === checkpointPath)?.version;
      const before = await version();
      assert.ok(before);
      await container.write(checkpointPath, checkpoint('http://one'));
      const after = await version();
      assert.ok(after && after !== before, 'the same bytes written again are a new version');
    });

    it('answers an unchanged checkpoint and history from the cache, and reads a rewritten one again', async () => {
      const home = join(dir, 'home');
      const first = await read(DigestCache.open(home, 'azblob://contract'));
      assert.equal(first.state.outputs.url?.value, 'http://one');
      assert.equal(first.state.lastUpdate?.result, 'failed');
      assert.equal(first.calls.get('read'), 2, 'the first read downloads the checkpoint and the history entry');
      await new Promise((r) => setImmediate(r));

      const again = await read(DigestCache.open(home, 'azblob://contract'));
      assert.deepEqual({ ...again.state, readAt: '' }, { ...first.state, readAt: '' }, 'the same state, from the cache');
      assert.equal(again.calls.get('read'), undefined, 'nothing downloaded: the listing shows both unchanged');

      await container.write(checkpointPath, checkpoint('http://two'));
      const changed = await read(DigestCache.open(home, 'azblob://contract'));
      assert.equal(changed.state.outputs.url?.value, 'http://two', 'a rewritten checkpoint is read again, never served stale');
      assert.equal(changed.calls.get('read'), 1);

      const [file] = readdirSync(join(home, 'cache'));
      const kept = readFileSync(join(home, 'cache', file), 'utf8');
      assert.match(kept, /http:\/\/one/, 'the cache holds the digests');
      assert.doesNotMatch(kept, /SECRET-CIPHERTEXT/, 'never a secret, not even its ciphertext');
    });

    it("lists an unchanged stack's history no more: it is kept by the checkpoint's version, never while the stack is locked or after a slow listing", async () => {
      const home = join(dir, 'home');
      const lockPath = `${root}/locks/organization/${project}/${stackName}/held.json`;
      const historyDir = `${root}/history/${project}/${stackName}`;
      const readDeferred = (delayStacks = 0) => {
        const { store, calls } = counted(container);
        const slow: StateStore = new Proxy(store, {
          get: (target, key, receiver) =>
            key === 'listPrefix' ? (prefix: string) => new Promise((r) => setTimeout(r, prefix === `${root}/stacks/` ? delayStacks : 0)).then(() => target.listPrefix(prefix)) : Reflect.get(target, key, receiver),
        });
        const snapshot = StoreSnapshot.take(slow, [`${root}/stacks/`, `${root}/locks/`], DigestCache.open(home, 'azblob://contract'), [historyDir]);
        return readDiyStack(snapshot, project, stackName).then(async (state) => (await new Promise((r) => setImmediate(r)), { state, calls }));
      };
      const first = await readDeferred();
      assert.equal(first.state.lastUpdate?.result, 'failed');
      assert.equal(first.calls.get('listPrefix'), 3, 'checkpoints, locks, then this history');
      const again = await readDeferred();
      assert.deepEqual({ ...again.state, readAt: '' }, { ...first.state, readAt: '' });
      assert.equal(again.calls.get('listPrefix'), 2, 'the history is not listed: the checkpoint is unchanged');

      // An update: Pulumi locks, rewrites the checkpoint, writes the history entry, unlocks.
      await container.write(lockPath, JSON.stringify({ pid: 1, hostname: 'ci', username: 'ci' }));
      await container.write(checkpointPath, checkpoint('http://one'));
      const during = await readDeferred();
      assert.equal(during.calls.get('listPrefix'), 3, 'a locked stack: its history is listed');
      await container.write(`${historyDir}/${stackName}-1700000100000000000.history.json`, JSON.stringify({ kind: 'update', result: 'succeeded', startTime: 1700000090, endTime: 1700000100 }));
      const stillLocked = await readDeferred();
      assert.equal(stillLocked.state.lastUpdate?.result, 'succeeded', 'what was seen while locked was not kept');
      await container.remove(lockPath);
      const after = await readDeferred();
      assert.equal(after.state.lastUpdate?.result, 'succeeded');
      assert.equal(after.calls.get('listPrefix'), 3, 'nothing kept for this checkpoint yet: listed');
      assert.equal((await readDeferred()).calls.get('listPrefix'), 2, 'kept now');

      await container.write(checkpointPath, checkpoint('http://two'));
      const slowRead = await readDeferred(1200);
      assert.equal(slowRead.calls.get('listPrefix'), 3);
      assert.equal((await readDeferred()).calls.get('listPrefix'), 3, 'after a slow listing nothing was kept: an update could have run between the listings');
    });

    it('a read that follows at once in the same process finds what the first one kept, once its snapshot saved its digests', async () => {
      const home = join(dir, 'home');
      const historyDir = `${root}/history/${project}/${stackName}`;
      const readNow = async () => {
        const { store, calls } = counted(container);
        const snapshot = StoreSnapshot.take(store, [`${root}/stacks/`, `${root}/locks/`], DigestCache.open(home, 'azblob://contract'), [historyDir]);
        const state = await readDiyStack(snapshot, project, stackName);
        snapshot.saveDigests(); // what readStackStates does once every stack is read
        return { state, calls };
      };
      const first = await readNow();
      assert.equal(first.calls.get('listPrefix'), 3, 'checkpoints, locks, then this history');
      const next = await readNow(); // no turn of the event loop in between, as in a reconcile pass or the extension
      assert.equal(next.calls.get('listPrefix'), 2, 'the history is not listed again');
      assert.deepEqual(next.state.lastUpdate, first.state.lastUpdate);
    });

    it("reads the container without loading Node's fetch (undici, ~40 ms of every CLI run): no request looks at FormData", () => {
      const script = `
        const { BlobStore } = require(${JSON.stringify(join(__dirname, '../../src/engine/backends/blobStore'))});
        const { blobBackend } = require(${JSON.stringify(join(__dirname, '../../src/core/backend'))});
        const store = new BlobStore(blobBackend(process.env.URL, process.env));
        (async () => {
          const listed = await store.listPrefix(${JSON.stringify(`${root}/`)});
          const body = await store.read(${JSON.stringify(checkpointPath)});
          const undici = process.moduleLoadList.some((m) => m.includes('undici'));
          process.stdout.write(JSON.stringify({ listed: listed.length > 0, read: body.length > 0, undici }));
        })();`;
      const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...azurite.env, URL: azurite.backendUrl('contract') }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { listed: true, read: true, undici: false });
    });

    it('takes a damaged or foreign cache file for an empty cache', async () => {
      const home = join(dir, 'home');
      await read(DigestCache.open(home, 'azblob://contract'));
      await new Promise((r) => setImmediate(r));
      const [file] = readdirSync(join(home, 'cache'));
      for (const damaged of ['{"format":1,"entries":', '{"format":99,"entries":{}}', '[]', '{"format":1,"entries":{"checkpoint/1 x y":"not an entry"}}']) {
        writeFileSync(join(home, 'cache', file), damaged);
        const { state, calls } = await read(DigestCache.open(home, 'azblob://contract'));
        assert.equal(state.outputs.url?.value, 'http://one', damaged);
        assert.equal(calls.get('read'), 2, `${damaged}: read from the container`);
      }
    });
  });
});
