/**
 * Ready means fresh, on the real engine (local provider): a dependent built from outputs that have
 * changed since reads `stale`, preview says which dependents a change reaches, and `up` re-applies
 * exactly those.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationEvent } from '../../src/core/events';
import type { PreviewDocument } from '../../src/core/protocol';
import { localConfig, Sandbox } from './harness';

type StepDone = Extract<OperationEvent, { type: 'step-done' }>;
type Done = Extract<OperationEvent, { type: 'operation-done' }>;
type ComponentJson = { name: string; status: string; reason?: string };

/** The same environment with the storage account named `name` (a new account: the old one is replaced). */
const withAccount = (name?: string, location?: string) =>
  localConfig().replace('storage: {}', `storage: { ${[name ? `account_name: ${name}` : '', location ? `location: ${location}` : ''].filter(Boolean).join(', ')} }`);

const summaryOf = (events: OperationEvent[]) => (events.find((e): e is Done => e.type === 'operation-done')?.summary ?? '');
const upSteps = (events: OperationEvent[]) => events.filter((e): e is StepDone => e.type === 'step-done' && e.action === 'up').map((e) => `${e.component} ${e.result}`);

describe('ready means fresh, on the real engine', function () {
  this.timeout(300_000);
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  const components = () => box.status().components as unknown as ComponentJson[];
  const statusOf = () => components().map((c) => [c.name, c.status]);
  /** The account the workspace's storage Secret names (the local provider's stand-in for that Secret). */
  const secretAccount = () => {
    const found = readdirSync(join(box.home, 'local-cloud'), { recursive: true, encoding: 'utf8' }).find((p) => p.endsWith(join('secrets', 'modelops-storage.json')));
    assert.ok(found, 'the workspace has its storage Secret');
    return (JSON.parse(readFileSync(join(box.home, 'local-cloud', found), 'utf8')) as { account: string }).account;
  };

  it("a replaced storage account makes its readers stale; preview names them; one up re-applies exactly those, then nothing", () => {
    box.write(withAccount());
    box.ok(['up']);
    assert.deepEqual(statusOf(), [['cluster', 'ready'], ['storage', 'ready'], ['workspace', 'ready'], ['adaptive-default', 'ready']]);
    const first = secretAccount();

    box.write(withAccount('modelopsrenamed'));
    const preview = box.json<PreviewDocument>(['preview']);
    const storage = preview.components.find((c) => c.name === 'storage')!;
    assert.deepEqual(
      storage.reaches?.map((r) => [r.component, r.outputs, r.certain]),
      [['workspace', ['account_name', 'connection_string'], true], ['adaptive-default', ['account_name', 'connection_string'], true]],
      'the account name changes (known now); the connection string is known only after the new account exists',
    );
    const text = box.run(['preview']);
    assert.match(text.stdout, /→ workspace: will be re-applied — reads account_name, connection_string\n/);
    assert.match(text.stdout, /reaches: workspace \(account_name, connection_string from storage\), adaptive-default/);

    // Storage alone, with consent to replace it: its readers were built from the old account.
    box.ok(['up', 'storage', '--allow-replace']);
    assert.equal(secretAccount(), first, 'the Secret still names the old account');
    const stale = components().filter((c) => c.status !== 'ready');
    assert.deepEqual(stale.map((c) => [c.name, c.status]), [['workspace', 'stale'], ['adaptive-default', 'stale']]);
    assert.match(stale[0]!.reason!, /^reads connection_string, account_name from storage, changed since its last up \(storage updated \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
    const statusExit = box.run(['status']);
    assert.equal(statusExit.code, 1, `stale is not ready: status exits 1\n${statusExit.stdout}`);
    assert.match(statusExit.stdout, /workspace +modelops-workspace-dev +stale +since \d\d:\d\d · reads connection_string, account_name from storage/);
    // Its own preview shows the reach as certain now: they read what storage holds now, not what they were built from.
    const after = box.json<PreviewDocument>(['preview']).components.find((c) => c.name === 'storage')!;
    assert.deepEqual(after.reaches?.map((r) => [r.component, r.certain]), [['workspace', true], ['adaptive-default', true]]);

    const up = box.events(['up']);
    assert.equal(up.code, 0, up.stdout);
    assert.deepEqual(upSteps(up.events), ['workspace succeeded', 'adaptive-default succeeded']);
    // The run can hold data (its database), protected in its state: Pulumi's own preview looked at
    // it first, inside its up (no preview run of its own); the workspace holds none.
    const previewedInUp = (name: string) => up.events.some((e) => e.type === 'step-output' && e.component === name && /^Previewing update/.test(e.line));
    assert.deepEqual([previewedInUp('adaptive-default'), previewedInUp('workspace')], [true, false]);
    assert.ok(!up.events.some((e) => e.type === 'step-done' && e.action === 'preview'));
    assert.match(summaryOf(up.events), /re-applied workspace: storage's connection_string, account_name changed; re-applied adaptive-default: storage's connection_string, account_name changed/);
    assert.deepEqual(statusOf(), [['cluster', 'ready'], ['storage', 'ready'], ['workspace', 'ready'], ['adaptive-default', 'ready']]);
    assert.equal(secretAccount(), 'modelopsrenamed', 'the Secret holds what storage holds now');

    const again = box.events(['up']);
    assert.equal(again.code, 0);
    assert.ok(!again.events.some((e) => e.type === 'step-start'), 'converged: no step, no Pulumi process');
  });

  it('in one up: a change that reaches nothing re-applies nothing, and a change that reaches them re-applies them', () => {
    box.write(withAccount());
    box.ok(['up']);

    // Storage's location changes; nobody reads it.
    box.write(withAccount(undefined, 'westeurope'));
    const quiet = box.events(['up']);
    assert.equal(quiet.code, 0, quiet.stdout);
    assert.deepEqual(upSteps(quiet.events), ['storage succeeded', 'workspace skipped', 'adaptive-default skipped']);
    const skipped = quiet.events.find((e): e is StepDone => e.type === 'step-done' && e.component === 'workspace')!;
    assert.equal(skipped.message, 'ready: what it reads from storage is unchanged; not re-applied');
    assert.match(summaryOf(quiet.events), /^1 provisioned, 3 already ready; all ready$/);

    box.write(withAccount('modelopsrenamed', 'westeurope'));
    const loud = box.events(['up'], ['--allow-replace']);
    assert.equal(loud.code, 0, loud.stdout);
    assert.deepEqual(upSteps(loud.events), ['storage succeeded', 'workspace succeeded', 'adaptive-default succeeded']);
    assert.match(summaryOf(loud.events), /re-applied workspace: storage's connection_string, account_name changed/);
    assert.deepEqual(statusOf().map(([, s]) => s), ['ready', 'ready', 'ready', 'ready']);
  });

  it('reconcile --once --heal does not call a stale component converged: it re-applies it, and the next pass finds nothing to do', () => {
    box.write(withAccount());
    box.ok(['up']);
    box.write(withAccount('modelopsrenamed'));
    box.ok(['up', 'storage', '--allow-replace']);
    const dry = box.run(['reconcile', '--once']);
    assert.equal(dry.code, 1, `not converged, and without --heal nothing is done\n${dry.stdout}`);
    assert.match(dry.stdout, /workspace +\S.*Stale: reads connection_string, account_name from storage/);

    const heal = box.events(['reconcile', '--once', '--heal']);
    assert.equal(heal.code, 0, heal.stdout);
    assert.deepEqual(upSteps(heal.events), ['workspace succeeded', 'adaptive-default succeeded']);
    assert.deepEqual(statusOf().map(([, s]) => s), ['ready', 'ready', 'ready', 'ready']);
    const again = box.events(['reconcile', '--once', '--heal']);
    assert.equal(again.code, 0);
    assert.ok(!again.events.some((e) => e.type === 'step-start' && e.action === 'up'), 'converged: nothing re-applied');
  });
});
