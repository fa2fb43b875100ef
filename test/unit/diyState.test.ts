import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { outputStates, readDiyStack } from '../../src/engine/backends/diyState';
import { FileStore } from '../../src/engine/backends/stateStore';

/** A stack of a file backend, read through its store (the same reader reads a Blob Storage container). */
const readFileBackendStack = (dir: string, project: string, stack: string) => readDiyStack(new FileStore(dir), project, stack);

const SIG = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270' };
/** Real checkpoint samples: an encrypted "" and an encrypted non-empty string. */
const EMPTY_SECRET = { ...SIG, ciphertext: 'v1:+zNhDV9BsCFmijPJ:w0X2t4PKoUlUqYl1TjwwWOjm' };
const FULL_SECRET = { ...SIG, ciphertext: 'v1:yLPpW3jbDVo8Y+Wo:F7PlPazDhtY+NfzqnOEmxhStnYl7ducshExc53IYB4+40nHRxRqWxM/KNw==' };

const PROJECT = 'modelops-infra';
const STACK = 'modelops-infra-dev';

function checkpoint(outputs: Record<string, unknown>, extra: { resources?: unknown[]; pending?: unknown[] } = {}): unknown {
  return {
    version: 3,
    checkpoint: {
      stack: `organization/${PROJECT}/${STACK}`,
      latest: {
        manifest: { time: '2025-01-01T00:00:00Z' },
        resources: [
          { urn: `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`, type: 'pulumi:pulumi:Stack', outputs },
          { urn: `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:command::default`, type: 'pulumi:providers:command' },
          ...(extra.resources ?? []),
        ],
        ...(extra.pending ? { pending_operations: extra.pending } : {}),
      },
    },
  };
}

function resource(name: string): unknown {
  return { urn: `urn:pulumi:${STACK}::${PROJECT}::local:Thing::${name}`, type: 'local:Thing', parent: `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::x` };
}

/** Every path under `dir` with its size and mtime: to prove a read changed nothing. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      out.push(`${relative(dir, p)} ${s.isDirectory() ? 'dir' : s.size} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

function deadPid(): number {
  const child = spawnSync('true');
  assert.ok(child.pid, 'spawned a process');
  return child.pid;
}

describe('file backend', () => {
  describe('outputStates', () => {
    it('plain values keep their value; empty ones are empty', () => {
      const states = outputStates({ cluster_name: 'modelops-dev-aks', count: 0, blank: '', none: null, obj: {}, list: [], ok: [1] });
      assert.deepEqual(states.cluster_name, { secret: false, empty: false, value: 'modelops-dev-aks' });
      assert.deepEqual(states.count, { secret: false, empty: false, value: 0 });
      for (const name of ['blank', 'none', 'obj', 'list']) assert.equal(states[name].empty, true, name);
      assert.equal(states.ok.empty, false);
    });

    it('a checkpoint secret is secret with no value; its emptiness comes from the ciphertext length', () => {
      const states = outputStates({ empty: EMPTY_SECRET, kubeconfig: FULL_SECRET });
      assert.deepEqual(states.empty, { secret: true, empty: true });
      assert.deepEqual(states.kubeconfig, { secret: true, empty: false });
      assert.ok(!('value' in states.kubeconfig));
    });

    it('ciphertext of 16-byte tag + 2 bytes is empty, + 3 bytes is not', () => {
      const ct = (plainBytes: number): unknown => ({ ...SIG, ciphertext: `v1:AAAAAAAAAAAAAAAA:${Buffer.alloc(16 + plainBytes, 7).toString('base64')}` });
      const states = outputStates({ two: ct(2), three: ct(3), big: ct(4000) });
      assert.equal(states.two.empty, true);
      assert.equal(states.three.empty, false);
      assert.equal(states.big.empty, false);
    });

    it('a secret in plaintext form (unencrypted checkpoint) is judged by its value and still not shown', () => {
      const states = outputStates({ a: { ...SIG, plaintext: '""' }, b: { ...SIG, plaintext: '"abc"' } });
      assert.deepEqual(states.a, { secret: true, empty: true });
      assert.deepEqual(states.b, { secret: true, empty: false });
    });

    it('secrets nested inside a plain value are masked', () => {
      const states = outputStates({ config: { host: 'h', password: FULL_SECRET, list: [EMPTY_SECRET, 'x'] } });
      assert.deepEqual(states.config, { secret: false, empty: false, value: { host: 'h', password: '[secret]', list: ['[secret]', 'x'] } });
      assert.ok(!JSON.stringify(states).includes('ciphertext'));
    });
  });

  describe('readDiyStack on a file backend', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mops-fb-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const write = (path: string, body: string | Buffer): void => {
      const full = join(dir, '.pulumi', path);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, body);
    };
    const history = (nanos: string, kind: string, result: string, startTime = 1735689600): void =>
      write(`history/${PROJECT}/${STACK}/${STACK}-${nanos}.history.json`, JSON.stringify({ kind, result, startTime, endTime: startTime + 60, resourceChanges: {} }));
    const lock = (body: object): void => write(`locks/organization/${PROJECT}/${STACK}/8d7f1e5c-0b8a-4d39-9a9c-1f2e3d4c5b6a.json`, JSON.stringify(body));

    it('a missing stack: exists false, and nothing is created on disk', async () => {
      write(`stacks/${PROJECT}/other-stack.json`, JSON.stringify(checkpoint({})));
      const before = snapshot(dir);
      const state = await readFileBackendStack(dir, PROJECT, STACK);
      assert.equal(state.exists, false);
      assert.equal(state.unreadable, undefined);
      assert.deepEqual(state.outputs, {});
      assert.deepEqual(snapshot(dir), before);

      const empty = mkdtempSync(join(tmpdir(), 'mops-fb-empty-'));
      try {
        const s = await readFileBackendStack(empty, PROJECT, STACK);
        assert.equal(s.exists, false);
        assert.deepEqual(readdirSync(empty), [], 'no .pulumi created');
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });

    it('a corrupted checkpoint or lock is unreadable, naming the file and what to do (the .bak Pulumi keeps; the lock file to delete)', async () => {
      write(`stacks/${PROJECT}/${STACK}.json`, '{"version": 3, "checkpoint": {"latest": {"resources": [');
      let state = await readFileBackendStack(dir, PROJECT, STACK);
      const file = `${dir}/.pulumi/stacks/${PROJECT}/${STACK}.json`;
      assert.match(state.unreadable ?? '', new RegExp(`^cannot read ${STACK}: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON \\(.+\\); no \\.bak beside it`));
      write(`stacks/${PROJECT}/${STACK}.json.bak`, JSON.stringify(checkpoint({})));
      state = await readFileBackendStack(dir, PROJECT, STACK);
      assert.match(state.unreadable ?? '', /Pulumi kept the one before it as .*\.json\.bak: copy that over it/);
      write(`stacks/${PROJECT}/${STACK}.json`, JSON.stringify(checkpoint({})));
      write(`locks/organization/${PROJECT}/${STACK}/8d7f1e5c-0b8a-4d39-9a9c-1f2e3d4c5b6a.json`, 'garbage');
      state = await readFileBackendStack(dir, PROJECT, STACK);
      assert.match(state.unreadable ?? '', /the lock .*8d7f1e5c-0b8a-4d39-9a9c-1f2e3d4c5b6a\.json is not valid JSON .*: once no Pulumi runs on this stack, delete that file, then Refresh$/);
      assert.equal(state.corrupt, 'lock');
    });

    it('reads outputs, resource count and pending operations from the checkpoint', async () => {
      write(
        `stacks/${PROJECT}/${STACK}.json`,
        JSON.stringify(
          checkpoint(
            { kubeconfig: FULL_SECRET, cluster_name: 'modelops-dev-aks', location: '' },
            { resources: [resource('a'), resource('b')], pending: [{ type: 'creating', resource: { urn: 'urn:pulumi:x::y::local:Thing::c' } }] },
          ),
        ),
      );
      const state = await readFileBackendStack(dir, PROJECT, STACK);
      assert.equal(state.exists, true);
      assert.equal(state.stack, STACK);
      assert.equal(state.resourceCount, 2, 'the stack and providers are not resources');
      assert.deepEqual(state.pendingOperations, [{ type: 'creating', urn: 'urn:pulumi:x::y::local:Thing::c' }]);
      assert.deepEqual(state.outputs, {
        kubeconfig: { secret: true, empty: false },
        cluster_name: { secret: false, empty: false, value: 'modelops-dev-aks' },
        location: { secret: false, empty: true, value: '' },
      });
      assert.equal(state.lastUpdate, undefined);
      assert.equal(state.lock, undefined);
    });

    it('the newest history entry by nanoseconds wins (not by name order)', async () => {
      write(`stacks/${PROJECT}/${STACK}.json`, JSON.stringify(checkpoint({})));
      history('1735689600000000000', 'update', 'succeeded');
      history('999999999999999999', 'destroy', 'failed'); // sorts last as text, but older
      history('1735689700000000000', 'update', 'failed', 1735689700);
      write(`history/${PROJECT}/${STACK}/${STACK}-1735689800000000000.checkpoint.json`, '{}');
      const state = await readFileBackendStack(dir, PROJECT, STACK);
      assert.deepEqual(state.lastUpdate, {
        kind: 'update',
        result: 'failed',
        startTime: new Date(1735689700 * 1000).toISOString(),
        endTime: new Date(1735689760 * 1000).toISOString(),
      });
    });

    it('a refresh after a failed update does not hide the failure: the newest update or destroy counts', async () => {
      write(`stacks/${PROJECT}/${STACK}.json`, JSON.stringify(checkpoint({})));
      history('1735689600000000000', 'update', 'failed');
      history('1735689700000000000', 'refresh', 'succeeded', 1735689700);
      history('1735689800000000000', 'preview', 'succeeded', 1735689800);
      const state = await readFileBackendStack(dir, PROJECT, STACK);
      assert.equal(state.lastUpdate?.kind, 'update');
      assert.equal(state.lastUpdate?.result, 'failed');
    });

    it('a lock left by a dead process: ownerAlive false', async () => {
      write(`stacks/${PROJECT}/${STACK}.json`, JSON.stringify(checkpoint({})));
      const pid = deadPid();
      lock({ pid, hostname: hostname(), username: 'alice', timestamp: '2025-01-01T00:00:00Z' });
      const state = await readFileBackendStack(dir, PROJECT, STACK);
      assert.deepEqual(state.lock, { pid, hostname: hostname(), username: 'alice', timestamp: '2025-01-01T00:00:00Z', ownerAlive: false });
    });

    it('a lock held by a live process: ownerAlive true; on another host: unknown', async () => {
      write(`stacks/${PROJECT}/${STACK}.json`, JSON.stringify(checkpoint({})));
      lock({ pid: process.pid, hostname: hostname(), username: 'alice', timestamp: '2025-01-01T00:00:00Z' });
      assert.equal((await readFileBackendStack(dir, PROJECT, STACK)).lock?.ownerAlive, true);
      lock({ pid: process.pid, hostname: `${hostname()}-elsewhere`, username: 'bob', timestamp: '2025-01-01T00:00:00Z' });
      assert.equal((await readFileBackendStack(dir, PROJECT, STACK)).lock?.ownerAlive, 'unknown');
    });

    it('reads a gzipped checkpoint', async () => {
      write(`stacks/${PROJECT}/${STACK}.json.gz`, gzipSync(JSON.stringify(checkpoint({ cluster_name: 'gz', kubeconfig: EMPTY_SECRET }, { resources: [resource('a')] }))));
      const state = await readFileBackendStack(dir, PROJECT, STACK);
      assert.equal(state.exists, true);
      assert.equal(state.resourceCount, 1);
      assert.deepEqual(state.outputs.cluster_name, { secret: false, empty: false, value: 'gz' });
      assert.deepEqual(state.outputs.kubeconfig, { secret: true, empty: true });
    });

    it('a checkpoint after a destroy (latest null) exists with nothing in it', async () => {
      write(`stacks/${PROJECT}/${STACK}.json`, JSON.stringify({ version: 3, checkpoint: { stack: STACK, latest: null } }));
      history('1735689600000000000', 'destroy', 'succeeded');
      const state = await readFileBackendStack(dir, PROJECT, STACK);
      assert.equal(state.exists, true);
      assert.equal(state.resourceCount, 0);
      assert.deepEqual(state.outputs, {});
      assert.deepEqual(state.lastUpdate?.kind, 'destroy');
    });

    it('a corrupt checkpoint is unreadable, not absent', async () => {
      write(`stacks/${PROJECT}/${STACK}.json`, '{ not json');
      const state = await readFileBackendStack(dir, PROJECT, STACK);
      assert.match(state.unreadable ?? '', /cannot read modelops-infra-dev/);
    });
  });
});
