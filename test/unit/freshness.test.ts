/** Ready means fresh (src/core/freshness.ts). */
import { strict as assert } from 'node:assert';
import { CONSUMED_OUTPUT, DIGESTS_OUTPUT, DIGEST_KEY_ROUNDS, consumedKey, describeChanged, describeReach, describeStale, digestKey, outputChanges, outputDigest, reachOf, readsUnchanged, staleUses } from '../../src/core/freshness';
import type { StackState } from '../../src/core/state';

const state = (outputs: Record<string, unknown>): StackState => ({
  stack: 's',
  exists: true,
  pendingOperations: [],
  resourceCount: 1,
  readAt: '',
  outputs: Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { secret: false, empty: false, value }])),
});

describe('freshness: output digests', () => {
  it('a digest is keyed (by the passphrase and the producer\'s stack), stable for equal values, never the value', async function () {
    this.timeout(20_000);
    const key = await digestKey('team passphrase', 'modelops-infra-dev');
    const kubeconfig = 'apiVersion: v1\nusers: [{ token: s3cr3t }]';
    assert.equal(outputDigest(key, kubeconfig), outputDigest(await digestKey('team passphrase', 'modelops-infra-dev'), kubeconfig), 'the same on every machine with the passphrase');
    assert.notEqual(outputDigest(key, kubeconfig), outputDigest(await digestKey('another', 'modelops-infra-dev'), kubeconfig), 'another passphrase, another digest');
    assert.notEqual(outputDigest(key, kubeconfig), outputDigest(await digestKey('team passphrase', 'modelops-infra-prod'), kubeconfig), 'another stack, another key: no table serves two');
    assert.notEqual(outputDigest(key, kubeconfig), outputDigest(key, `${kubeconfig} `));
    assert.equal(outputDigest(key, { b: 1, a: 2 }), outputDigest(key, { a: 2, b: 1 }), 'maps in any key order');
    assert.ok(!outputDigest(key, kubeconfig).includes('s3cr3t'));
    assert.match(outputDigest(key, kubeconfig), /^[0-9a-f]{32}$/);
    assert.equal(DIGEST_KEY_ROUNDS, 1_000_000, 'as slow to guess from as the salt Pulumi keeps for the same passphrase');
  });

  it('a consumer is stale when an output it read has another digest now; else, or without records, it is not', () => {
    const workspace = { uses: [{ from: 'cluster', outputs: ['kubeconfig'] }, { from: 'storage', outputs: ['connection_string', 'account_name'] }] };
    const read = { [consumedKey('cluster', 'kubeconfig')]: 'k1', [consumedKey('storage', 'connection_string')]: 'c1', [consumedKey('storage', 'account_name')]: 'a1' };
    const producers = (cluster: string, connection: string) =>
      new Map([
        ['cluster', state({ [DIGESTS_OUTPUT]: { kubeconfig: cluster } })],
        ['storage', state({ [DIGESTS_OUTPUT]: { connection_string: connection, account_name: 'a1' } })],
      ]);
    assert.deepEqual(staleUses(workspace, state({ [CONSUMED_OUTPUT]: read }), producers('k1', 'c1')), []);
    const rotated = staleUses(workspace, state({ [CONSUMED_OUTPUT]: read }), producers('k1', 'c2'));
    assert.deepEqual(rotated, [{ from: 'storage', output: 'connection_string' }]);
    assert.equal(describeStale(rotated), 'reads connection_string from storage, changed since its last up');
    assert.equal(describeStale(staleUses(workspace, state({ [CONSUMED_OUTPUT]: read }), producers('k2', 'c2'))), 'reads kubeconfig from cluster; reads connection_string from storage, changed since its last up');
    assert.deepEqual(staleUses(workspace, state({}), producers('k2', 'c2')), [], 'deployed before digests were recorded: as today');
    assert.deepEqual(staleUses(workspace, state({ [CONSUMED_OUTPUT]: read }), new Map()), [], 'a producer that records none');
  });

  it('reads unchanged only when every output it reads was recorded and equals its producer\'s now', () => {
    const workspace = { uses: [{ from: 'storage', outputs: ['connection_string', 'account_name'] }] };
    const storage = (connection: string) => new Map([['storage', state({ [DIGESTS_OUTPUT]: { connection_string: connection, account_name: 'a1' } })]]);
    const read = state({ [CONSUMED_OUTPUT]: { 'storage.connection_string': 'c1', 'storage.account_name': 'a1' } });
    assert.equal(readsUnchanged(workspace, read, storage('c1')), true);
    assert.equal(readsUnchanged(workspace, read, storage('c2')), false);
    assert.equal(readsUnchanged(workspace, state({}), storage('c1')), false, 'no record: nobody can tell');
    assert.equal(readsUnchanged(workspace, state({ [CONSUMED_OUTPUT]: { 'storage.connection_string': 'c1' } }), storage('c1')), false, 'one output unrecorded');
    assert.equal(readsUnchanged(workspace, read, new Map([['storage', state({})]])), false, 'a producer that records none');
  });

  it('says what changed, by producer, and when the producer was updated', () => {
    const uses = [{ from: 'storage', output: 'connection_string' }, { from: 'storage', output: 'account_name' }, { from: 'cluster', output: 'kubeconfig' }];
    assert.equal(describeChanged(uses), "storage's connection_string, account_name and cluster's kubeconfig changed");
    const storage = { ...state({}), lastUpdate: { kind: 'update', result: 'succeeded' as const, endTime: '2026-12-07T10:42:31.000Z' } };
    assert.equal(describeStale(uses.slice(0, 1), new Map([['storage', storage]])), 'reads connection_string from storage, changed since its last up (storage updated 2026-12-07 10:42 UTC)');
  });

  it('the reach of an update: who reads an output it changes (certain) or makes unknown (maybe), and who is stale on it already', () => {
    const components = [
      { name: 'storage', uses: [] },
      { name: 'workspace', uses: [{ from: 'storage', outputs: ['connection_string', 'account_name'] }] },
      { name: 'run', uses: [{ from: 'storage', outputs: ['connection_string'] }] },
      { name: 'other', uses: [{ from: 'cluster', outputs: ['kubeconfig'] }] },
    ];
    const storage = state({ [DIGESTS_OUTPUT]: { connection_string: 'c1', account_name: 'a1' } });
    const read = ['connection_string', 'account_name', 'never_recorded'];
    const renamed = outputChanges(storage, read, new Map([['account_name', 'a2']]));
    assert.deepEqual(renamed, { changes: ['account_name'], unknown: ['connection_string'] }, 'an output never recorded is not judged');
    const reach = reachOf(components, 'storage', renamed);
    assert.deepEqual(reach, [
      { component: 'workspace', outputs: ['account_name', 'connection_string'], certain: true },
      { component: 'run', outputs: ['connection_string'], certain: false },
    ]);
    assert.equal(describeReach(reach[0]!), 'workspace: will be re-applied — reads account_name, connection_string');
    assert.equal(describeReach(reach[1]!), 'run: may be re-applied — reads connection_string (known only after the update)');
    assert.deepEqual(reachOf(components, 'storage', outputChanges(storage, read, new Map([['account_name', 'a1'], ['connection_string', 'c1']]))), [], 'nothing changes: no reach');

    const states = new Map([
      ['storage', storage],
      ['run', state({ [CONSUMED_OUTPUT]: { 'storage.connection_string': 'c0' } })],
    ]);
    assert.deepEqual(reachOf(components, 'storage', { changes: [], unknown: [] }, states), [{ component: 'run', outputs: ['connection_string'], certain: true }], 'already stale on it');
  });
});
