/**
 * The data guard on the real engine (local provider): a change that makes Pulumi replace what
 * holds data is refused by every path that applies changes before anything of it changes (where
 * the state protects what holds data, by the preview `pulumi up` runs first), and goes through
 * only with --allow-replace. Before the guard, `up` with a renamed storage
 * account deleted the old account with the results in it and exited 0.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationEvent } from '../../src/core/events';
import { localConfig, Sandbox, statusOf } from './harness';

const summaryOf = (events: OperationEvent[]) => events.filter((e): e is Extract<OperationEvent, { type: 'operation-done' }> => e.type === 'operation-done').pop()?.summary ?? '';
const withAccount = (name: string, extra = '') => localConfig(extra).replace('storage: {}', `storage:\n  account_name: ${name}`);

describe('the data guard on the real engine', function () {
  this.timeout(600_000);
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  /** The local provider's storage account: local-cloud/dev/storage/<name>. */
  const account = (name: string) => join(box.home, 'local-cloud', 'dev', 'storage', name);
  const results = (name: string) => join(account(name), 'results', 'run-1.parquet');
  /** The storage stack's checkpoint, as the engine wrote it. */
  const storageState = () => {
    const file = join(box.backendDir, '.pulumi', 'stacks', 'modelops-storage', 'modelops-storage-dev.json');
    return JSON.parse(readFileSync(file, 'utf8')) as { checkpoint: { latest: { resources: Array<{ type: string; urn: string; protect?: boolean }> } } };
  };

  it('a renamed storage account is refused by up, repair and reconcile --heal (exit 3, the results kept) and replaced only with --allow-replace', () => {
    box.write(withAccount('firstaccount'));
    box.ok(['up']);
    mkdirSync(join(account('firstaccount'), 'results'), { recursive: true });
    writeFileSync(results('firstaccount'), 'the results of a week of runs');
    const data = storageState().checkpoint.latest.resources.filter((r) => r.type.startsWith('pulumi-nodejs:dynamic'));
    assert.ok(data.length && data.every((r) => r.protect === true), `what holds data is protected in the state: ${JSON.stringify(data.map((r) => [r.urn.split('::').pop(), r.protect ?? false]))}`);

    box.write(withAccount('secondaccount'));
    const storageFiles = () => box.backendFiles((path) => path.includes('modelops-storage-dev'));
    const before = storageFiles();
    const up = box.events(['up']);
    assert.equal(up.code, 3, `refused, not failed or done\n${up.stdout}${up.stderr}`);
    assert.match(summaryOf(up.events), /^updating storage would replace LocalResource storage-account \(replaced because of path\); replace LocalResource bundle-blobs-container .*, which holds data\. Nothing of storage was changed; re-run with --allow-replace/);
    const step = up.events.find((e) => e.type === 'step-done' && e.component === 'storage');
    assert.equal(step && step.type === 'step-done' && step.result, 'skipped', 'the step is refused, not failed');
    assert.deepEqual(storageFiles(), before, 'Pulumi stopped in its preview: no checkpoint, history entry or backup of storage was written');
    assert.equal(readFileSync(results('firstaccount'), 'utf8'), 'the results of a week of runs');
    assert.equal(statusOf(box.status(), 'storage'), 'ready', 'the refused update left it as it was');

    const repair = box.run(['repair', 'storage']);
    assert.equal(repair.code, 3, `repair is refused too\n${repair.stdout}${repair.stderr}`);
    assert.match(repair.stdout + repair.stderr, /would replace LocalResource storage-account/);
    assert.ok(existsSync(results('firstaccount')), 'repair kept the results');

    const heal = box.run(['reconcile', '--once', '--heal']);
    assert.equal(heal.code, 3, `the loop's heal is refused too: a person must consent\n${heal.stdout}${heal.stderr}`);
    assert.match(heal.stdout, /storage +stalled: StatefulChange +StatefulChange: healing would replace LocalResource storage-account \(replaced because of path\)/);
    assert.ok(existsSync(results('firstaccount')), 'the heal kept the results');

    // Force-recreating what depends on it looks at the kept storage before destroying anything.
    const recreate = box.run(['up', 'workspace', '--force-recreate'], ['--yes']);
    assert.equal(recreate.code, 3, `refused before any destroy\n${recreate.stdout}${recreate.stderr}`);
    assert.match(recreate.stdout + recreate.stderr, /would replace LocalResource storage-account .* Nothing was destroyed\./);
    assert.deepEqual(box.status().components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready'], 'workspace and the run were not destroyed');

    const consented = box.events(['up'], ['--allow-replace']);
    assert.equal(consented.code, 0, consented.stdout);
    assert.ok(!existsSync(account('firstaccount')), 'the old account went, as consented');
    assert.ok(existsSync(account('secondaccount')));
    assert.ok(storageState().checkpoint.latest.resources.filter((r) => r.type.startsWith('pulumi-nodejs:dynamic')).every((r) => r.protect === true), 'and the new one is protected again');
  });

  it('the engine itself refuses what a path forgot to look at: rolling back a consented rename after a failure leaves the new account', () => {
    box.write(withAccount('firstaccount'));
    box.ok(['up']);
    // The rename is consented; the workspace then fails, and --rollback-on-failure would put the first name back.
    box.write(withAccount('secondaccount', 'local:\n  faults:\n    workspace:\n      fail_after_resources: 0\n').replace('replicas: 2', 'replicas: 3'));
    const up = box.events(['up'], ['--allow-replace', '--rollback-on-failure']);
    assert.equal(up.code, 1, up.stdout);
    assert.match(summaryOf(up.events), /rolled back: storage \(FAILED: the engine refused to replace storage-account of modelops-storage-dev: it holds data and is protected/);
    assert.ok(existsSync(account('secondaccount')), 'the account was not replaced a second time');

    box.write(withAccount('secondaccount'));
    const down = box.run(['down', '--all'], ['--yes']);
    assert.equal(down.code, 0, `a confirmed down unprotects what it destroys\n${down.stdout}${down.stderr}`);
    assert.ok(!existsSync(account('secondaccount')));
  });
});
