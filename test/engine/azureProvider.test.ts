/**
 * `provider: azure` where a real subscription and a user's machine differ from the happy path, through
 * the real CLI and Pulumi engine. Azure cannot run here, so azure-native is the TEST DOUBLE of
 * test/doubles/providerDouble.ts, which answers a second agent pool operation on a cluster while one
 * runs with AKS's 409 OperationNotAllowed (Azure/AKS#1913).
 */
import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEntry } from '../doubles/providerDouble';
import { installDoubles } from '../doubles/install';
import { ORIGINAL_CONFIG } from './originalState';
import { pulumiCli, Sandbox } from './harness';

const POOLS = /  node_pools:\n(?: {4}.*\n)+/;
const withPools = (...names: string[]): string =>
  ORIGINAL_CONFIG.replace(POOLS, `  node_pools:\n    - { name: system, vm_size: Standard_B2s, mode: System }\n${names.map((n) => `    - { name: ${n}, vm_size: Standard_D4s_v3, mode: User, count: 1 }\n`).join('')}`);

describe('AKS node pools, one operation at a time (provider double of AKS)', function () {
  this.timeout(20 * 60_000);
  const sandbox = new Sandbox();
  const world = join(sandbox.dir, 'world.json');
  const journalFile = join(sandbox.dir, 'journal.jsonl');
  let env: NodeJS.ProcessEnv;
  const poolOps = (): string[] =>
    readFileSync(journalFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JournalEntry)
      .filter((e) => e.type === 'azure-native:containerservice:AgentPool' && e.op !== 'read')
      .map((e) => `${e.op} ${e.id.split('/').pop()}`);

  before(() => {
    writeFileSync(world, '{}');
    writeFileSync(journalFile, '');
    env = { PATH: `${installDoubles(sandbox.dir)}:${process.env.PATH}`, MOPS_DOUBLE_WORLD: world, MOPS_DOUBLE_JOURNAL: journalFile };
  });
  after(() => sandbox.dispose());

  it('a cluster with three extra pools is created: each pool waits for the one before it', () => {
    sandbox.write(withPools('cpu', 'mem', 'gpu'));
    const r = sandbox.run(['up', 'cluster'], ['--skip-preflight'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(poolOps(), ['create cpu', 'create mem', 'create gpu']);
  });

  it('removing two pools deletes them one at a time too', () => {
    writeFileSync(journalFile, '');
    sandbox.write(withPools('cpu'));
    const r = sandbox.run(['up', 'cluster'], ['--skip-preflight'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(poolOps(), ['delete gpu', 'delete mem']);
  });
});

describe('a Pulumi CLI older than provider: azure needs', function () {
  this.timeout(10 * 60_000);
  const sandbox = new Sandbox();
  after(() => sandbox.dispose());

  it('up changes nothing and says which version it found and which it needs', () => {
    // A DOUBLE of Pulumi 3.140: the real CLI, except that it says it is 3.140.0 (as `pulumi version` prints it).
    const old = join(sandbox.dir, 'pulumi-3.140');
    writeFileSync(old, `#!/bin/sh\nif [ "$1" = version ]; then echo v3.140.0; exit 0; fi\nexec "${pulumiCli()}" "$@"\n`);
    chmodSync(old, 0o755);
    const world = join(sandbox.dir, 'world.json');
    writeFileSync(world, '{}');
    sandbox.write(ORIGINAL_CONFIG);
    const r = sandbox.run(['up', 'resource-group'], ['--skip-preflight'], { PATH: `${installDoubles(sandbox.dir)}:${process.env.PATH}`, MOPS_DOUBLE_WORLD: world, MOPS_PULUMI: old });
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /resource-group: nothing was changed: the Pulumi CLI is 3\.140\.0, and provider: azure needs 3\.151\.0 or newer/);
    assert.equal(readFileSync(world, 'utf8'), '{}', 'nothing was created');
  });
});
