/**
 * An interrupted create of an azure-native resource, settled without a person: the real CLI and
 * Pulumi engine, the storage account's create killed (-9) while Azure is making it, then the next
 * run probes Resource Manager for it. Azure cannot run here, so three TEST DOUBLES stand in:
 * - azure-native: test/doubles/providerDouble.ts, whose create of the account never answers
 *   (MOPS_DOUBLE_HANG), with or without the cloud having made it by then;
 * - Resource Manager: test/azure/armDouble.ts, answering the GET by id as the REST reference
 *   documents it (https://learn.microsoft.com/rest/api/storagerp/storage-accounts/get-properties:
 *   200 with the account; 404 `ResourceNotFound`; a 5xx when it cannot say);
 * - the Azure CLI's `az account get-access-token --output json --resource …`, which the Azure
 *   SDK's AzureCliCredential runs (selected with AZURE_TOKEN_CREDENTIALS, as a user can), printing
 *   the fields https://learn.microsoft.com/cli/azure/account#az-account-get-access-token documents.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReconcileDocument } from '../../src/core/protocol';
import { routeKey, startArmDouble, type ArmDouble } from '../azure/armDouble';
import { installDoubles } from '../doubles/install';
import { readWorld, type JournalEntry } from '../doubles/providerDouble';
import { ORIGINAL_CONFIG } from './originalState';
import { Sandbox, sleep } from './harness';

const ACCOUNT_TYPE = 'azure-native:storage:StorageAccount';

/** The double of `az`: a token for whatever resource is asked, as Azure CLI 2.54+ prints it. */
function installAz(dir: string): string {
  const bin = join(dir, 'az-double');
  mkdirSync(bin, { recursive: true });
  const token = JSON.stringify({ accessToken: 'double-token', expiresOn: '2099-01-01 00:00:00.000000', expires_on: 4070908800, subscription: 'x', tenant: 'x', tokenType: 'Bearer' });
  writeFileSync(join(bin, 'az'), `#!/bin/sh\n[ "$1 $2" = "account get-access-token" ] || { echo "az double: only get-access-token" >&2; exit 1; }\necho '${token}'\n`);
  chmodSync(join(bin, 'az'), 0o755);
  return bin;
}

describe('an interrupted Azure create, probed through Resource Manager (provider, ARM and az doubles)', function () {
  this.timeout(20 * 60_000);
  const box = new Sandbox();
  const world = join(box.dir, 'world.json');
  const journalFile = join(box.dir, 'journal.jsonl');
  let arm: ArmDouble;
  let env: NodeJS.ProcessEnv;
  /** The account's id, as the first create made it (the name is the stack's, so every create here makes the same). */
  let id = '';

  const accountIds = (): string[] => Object.values(readWorld(world)).filter((o) => o.type === ACCOUNT_TYPE).map((o) => o.id);
  const accountCreates = (): string[] =>
    readFileSync(journalFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as JournalEntry).filter((e) => e.type === ACCOUNT_TYPE && e.op === 'create').map((e) => e.id);
  const statusOf = async (name: string) => {
    const r = await box.runAsync(['status'], ['--json'], env);
    const c = (JSON.parse(r.stdout) as { components: Array<{ name: string; status: string; reason: string }> }).components.find((x) => x.name === name)!;
    return `${c.status}: ${c.reason}`;
  };

  /**
   * `up storage` killed (-9) while the account's create runs; `made`: Azure had made it by then.
   * What an earlier case left is taken down first, and the journal starts empty.
   */
  async function killedCreate(made: boolean): Promise<void> {
    const down = await box.runAsync(['down', 'storage'], ['--yes'], env);
    assert.equal(down.code, 0, down.stdout + down.stderr);
    writeFileSync(journalFile, '');
    const run = box.start(['up', 'storage'], ['--skip-preflight'], { ...env, MOPS_DOUBLE_HANG: JSON.stringify({ type: ACCOUNT_TYPE, made }) });
    try {
      await run.waitFor((e) => e.type === 'step-output' && e.component === 'storage' && /StorageAccount.*creating/.test(e.line), 240_000);
      await sleep(1000);
    } finally {
      run.killTree();
      await run.exited;
    }
    assert.match(await statusOf('storage'), /^interrupted: /);
  }

  before(async () => {
    arm = await startArmDouble(new Map());
    writeFileSync(join(box.dir, 'arm-double.pem'), arm.ca);
    writeFileSync(world, '{}');
    writeFileSync(journalFile, '');
    env = {
      PATH: `${installDoubles(box.dir)}:${installAz(box.dir)}:${process.env.PATH}`,
      MOPS_DOUBLE_WORLD: world,
      MOPS_DOUBLE_JOURNAL: journalFile,
      MODELOPS_ARM_ENDPOINT: arm.endpoint,
      NODE_EXTRA_CA_CERTS: join(box.dir, 'arm-double.pem'),
      AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    };
    box.write(ORIGINAL_CONFIG);
    const rg = await box.runAsync(['up', 'resource-group'], ['--skip-preflight'], env);
    assert.equal(rg.code, 0, rg.stdout + rg.stderr);
  });
  after(async () => {
    await arm.close();
    box.dispose();
  });

  it('made by Azure → repair adopts it (found by id, signed in through az): one account, never created twice, ready', async () => {
    await killedCreate(true);
    id = accountIds()[0] ?? '';
    assert.ok(id, 'Azure made the account before the run was killed');
    arm.routes.set(routeKey('GET', id), { status: 200, body: { id, name: id.split('/').pop(), type: 'Microsoft.Storage/storageAccounts', location: 'eastus2', kind: 'StorageV2', properties: { provisioningState: 'Succeeded' } } });

    const repair = await box.runAsync(['repair', 'storage'], ['--events'], env);
    assert.equal(repair.code, 0, repair.stdout + repair.stderr);
    const probe = arm.requests.find((r) => r.path.toLowerCase() === id.toLowerCase());
    assert.ok(probe, `Resource Manager was asked for ${id}`);
    assert.equal(probe.query.get('api-version'), '2023-01-01');
    assert.equal(probe.authorization, 'Bearer double-token', 'signed in as a user is, through az');
    assert.deepEqual(accountCreates(), [id], 'created once, by the killed run; adopted since');
    assert.match(await statusOf('storage'), /^ready: /);
  });

  it('not made → repair clears the create and makes it: one account, ready', async () => {
    await killedCreate(false);
    assert.deepEqual(accountIds(), [], 'Azure had not made it');
    arm.requests.length = 0;
    const group = id.split('/')[4];
    arm.routes.set(routeKey('GET', id), { status: 404, body: { error: { code: 'ResourceNotFound', message: `The Resource 'Microsoft.Storage/storageAccounts/${id.split('/').pop()}' under resource group '${group}' was not found.` } } });
    const repair = await box.runAsync(['repair', 'storage'], ['--events'], env);
    assert.equal(repair.code, 0, repair.stdout + repair.stderr);
    assert.ok(arm.requests.some((r) => r.path.toLowerCase() === id.toLowerCase()), 'Resource Manager was asked for it');
    assert.deepEqual(accountCreates(), [id], 'made once, by the repair');
    assert.match(await statusOf('storage'), /^ready: /);
  });

  it('Resource Manager cannot say (503) → reconcile --heal stalls it with the commands, and creates nothing', async () => {
    await killedCreate(true);
    assert.deepEqual(accountIds(), [id]);
    arm.routes.set(routeKey('GET', id), { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' } } });
    const pass = await box.runAsync(['reconcile', '--once', '--heal'], ['--json'], env);
    const doc = JSON.parse(pass.stdout) as ReconcileDocument;
    const storage = doc.conditions.find((c) => c.component === 'storage')!;
    assert.deepEqual([storage.condition, storage.reason], ['stalled', 'PendingCreateUnprobed'], storage.message);
    assert.match(storage.message, new RegExp(`HTTP 503.*check whether ${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} exists`));
    assert.match(storage.message, /pulumi refresh --stack .* --import-pending-creates /);
    assert.deepEqual(accountCreates(), [id], 'nothing created besides what the killed run made');
  });
});
