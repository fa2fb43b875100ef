/**
 * A down killed part-way is finished, never undone (local provider, real engine): the next `down`
 * settles what the killed one left (its dead lock, its pending deletes) and finishes; until then
 * `status` says a down stopped part-way, and the reconcile loop leaves it alone.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationEvent } from '../../src/core/events';
import type { ReconcileDocument } from '../../src/core/protocol';
import { localConfig, Sandbox, sleep } from './harness';

type Done = Extract<OperationEvent, { type: 'operation-done' }>;
type ComponentJson = { name: string; status: string; reason: string };

describe('a down killed part-way', function () {
  this.timeout(300_000);
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  const component = (name: string) => (box.status().components as unknown as ComponentJson[]).find((c) => c.name === name)!;
  const accounts = () => readdirSync(join(box.home, 'local-cloud', 'dev', 'storage'));

  /** Everything up, then `down --all --yes` killed (-9) while the storage account is being deleted. */
  async function killedDown(): Promise<void> {
    // The local provider keeps a resource's delay in its state: its delete is as slow as its create.
    box.write(localConfig('local:\n  faults:\n    storage:\n      step_delay_ms: 3000\n'));
    box.ok(['up']);
    const down = box.start(['down', '--all', '--yes']);
    await down.waitFor((e) => e.type === 'step-output' && e.component === 'storage' && /deleting/.test(e.line), 120_000);
    await sleep(1000);
    down.killTree();
    await down.exited;
  }

  it('status says a down stopped part-way, and reconcile --heal neither finishes nor undoes it', async () => {
    await killedDown();
    const storage = component('storage');
    assert.equal(storage.status, 'interrupted');
    assert.match(storage.reason, /a down stopped part-way .*: down again finishes it/);
    const problems = (box.status().problems as Array<{ code: string; component?: string; message: string }>).filter((p) => p.component === 'storage');
    assert.deepEqual(problems.map((p) => p.code), ['down-interrupted'], problems.map((p) => p.message).join(' | '));
    assert.match(problems[0]!.message, /Run Down storage again to finish it \(or Up to bring it back\)\.$/, 'not "Repair storage to bring it back"');

    const pass = box.json<ReconcileDocument>(['reconcile', '--once', '--heal']);
    const condition = pass.conditions.find((c) => c.component === 'storage')!;
    assert.deepEqual([condition.condition, condition.reason], ['stalled', 'Destroyed'], condition.message);
    assert.match(condition.command!, /^mops-infra down storage .*--yes$/);
    assert.ok(!pass.steps.some((s) => s.component === 'storage' && s.action === 'up'), 'what down was removing is not created again');
  });

  it('down again settles what the killed one left and finishes: every stack absent, the account gone', async () => {
    await killedDown();
    const again = box.events(['down', '--all', '--yes']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    const summary = again.events.find((e): e is Done => e.type === 'operation-done')!.summary;
    assert.match(summary, /destroyed/);
    assert.deepEqual((box.status().components as unknown as ComponentJson[]).map((c) => c.status), ['absent', 'absent', 'absent', 'absent']);
    assert.deepEqual(existsSync(join(box.home, 'local-cloud', 'dev', 'storage')) ? accounts() : [], []);
  });
});
