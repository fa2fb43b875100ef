/**
 * A team sharing state in Azure Blob Storage, on the real Storage API (Azurite) and the real
 * Pulumi engine. Two machines: this one (A) and another (B), each with its own home, B under
 * its own hostname (a UTS namespace). The local provider's "cloud" is one folder both see,
 * as a team's real resources are. Nothing here is a double.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperationEvent } from '../../src/core/events';
import { Azurite } from '../azurite';
import { localConfig, Sandbox, sleep, type Status } from './harness';

const slowStorage = '  faults:\n    storage:\n      step_delay_ms: 3000\n';
const done = (events: OperationEvent[]) => events.filter((e): e is Extract<OperationEvent, { type: 'operation-done' }> => e.type === 'operation-done');

describe('a team sharing state in Azure Blob Storage (Azurite, the real Storage API)', function () {
  this.timeout(300_000);
  let azurite: Azurite;
  let containers = 0;
  let cloud: string;
  let a: Sandbox;
  let b: Sandbox;

  /** The team's azure.yaml: the same file on both machines, the local provider's resources in one shared folder. */
  const config = (faults = '') => localConfig(`local:\n  root: ${cloud}\n${faults}`);
  const write = (text: string) => {
    a.write(text);
    b.write(text);
  };
  const component = (status: Status, name: string) => status.components.find((c) => c.name === name)!;

  before(async () => {
    azurite = await Azurite.start();
  });
  after(async () => azurite?.stop());

  beforeEach(async () => {
    const container = `state${++containers}`;
    await azurite.createContainer(container);
    const backend = { url: azurite.backendUrl(container), env: azurite.env };
    cloud = mkdtempSync(join(tmpdir(), 'mops-team-cloud-'));
    a = new Sandbox({ backend });
    b = new Sandbox({ backend, hostname: 'host-b' });
    write(config());
  });
  afterEach(() => {
    a.dispose();
    b.dispose();
    rmSync(cloud, { recursive: true, force: true });
  });

  it("B reads A's stacks straight from the container as ready, with no Pulumi at all; drift works there too", () => {
    const up = a.run(['up']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    // Without a Pulumi CLI anywhere, status can only have read the blobs itself.
    const status = b.run(['status', '--json'], [], { MOPS_PULUMI: '/nonexistent/pulumi', PATH: '/usr/bin:/bin' });
    assert.equal(status.code, 0, status.stdout + status.stderr);
    const report = JSON.parse(status.stdout) as Status;
    assert.deepEqual(report.components.map((c) => [c.name, c.status]), [['cluster', 'ready'], ['storage', 'ready'], ['workspace', 'ready'], ['adaptive-default', 'ready']]);
    assert.deepEqual(report.components.map((c) => (c as { spec?: string }).spec), ['current', 'current', 'current', 'current'], "B's azure.yaml is what A deployed");
    assert.equal(b.run(['drift']).code, 0, 'in sync, checked from B');
    rmSync(join(cloud, 'dev', 'storage', readdirSync(join(cloud, 'dev', 'storage'))[0], 'results'), { recursive: true });
    assert.equal(b.run(['drift']).code, 1, 'a container deleted outside Pulumi, seen from B');
  });

  it("B's status, which keeps what it read by version, sees A's failed update at once", () => {
    assert.equal(a.run(['up']).code, 0);
    // The second status answers the history from what the first kept (the checkpoints are unchanged).
    for (let i = 0; i < 2; i++) assert.equal(component(b.status(), 'storage').status, 'ready');
    // A changed storage spec, so up updates it, and a fault that fails that update.
    write(config('  faults:\n    storage:\n      fail_after_resources: 0\n').replace('storage: {}', 'storage: { sku: Standard_GRS }'));
    const failed = a.run(['up', 'storage']);
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    for (let i = 0; i < 2; i++) {
      const storage = component(b.status(), 'storage');
      assert.equal(storage.status, 'failed', `Pulumi rewrites the checkpoint in a failed update too, so its history is read again: ${storage.reason}`);
    }
  });

  it("while A provisions, B sees the stack busy with who holds it, and B's up, repair and down are refused (exit 3)", async () => {
    write(config(slowStorage));
    const run = a.start(['up']);
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'storage' && /creating/.test(e.line));
    const seen = b.status();
    const storage = component(seen, 'storage');
    assert.equal(storage.status, 'busy', storage.reason);
    assert.match(storage.reason, new RegExp(`holds the lock`));
    assert.ok(storage.reason.includes(hostname()), `names A's machine: ${storage.reason}`);
    for (const verb of [['up', 'storage'], ['repair', 'storage'], ['down', 'storage']]) {
      const refused = b.events(verb, verb[0] === 'down' ? ['--yes'] : []);
      assert.equal(refused.code, 3, `${verb.join(' ')}: ${refused.stdout}${refused.stderr}`);
      const summary = done(refused.events)[0]?.summary ?? '';
      assert.match(summary, /busy|locked/, `${verb.join(' ')} says who holds it: ${summary}`);
    }
    assert.equal(await run.exited, 0, run.stderr);
    assert.equal(component(b.status(), 'storage').status, 'ready', "B sees A's finished update");
  });

  it("B's up --wait waits behind A's live up, saying whose and for how long, then goes ahead; a wait that runs out is refused as without it", async () => {
    write(config(slowStorage));
    const run = a.start(['up', 'storage']);
    const aEnded = run.exited.then((code) => ({ code, at: Date.now() }));
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'storage' && /creating/.test(e.line));

    const started = Date.now();
    const short = b.events(['up', 'storage'], ['--wait=3s']);
    assert.equal(short.code, 3, short.stdout + short.stderr);
    assert.ok(Date.now() - started >= 3000, 'it waited the 3 s it was given');
    const said = short.events.filter((e): e is Extract<OperationEvent, { type: 'waiting' }> => e.type === 'waiting');
    assert.equal(said.length, 1, 'one line while the holder stays the same');
    assert.equal(said[0]!.component, 'storage');
    assert.equal(said[0]!.operation, 'up');
    assert.ok(said[0]!.holder.includes(hostname()), `names A's machine: ${said[0]!.holder}`);
    assert.match(said[0]!.message, new RegExp(`^waiting for (\\S+@)?${hostname()}'s up of storage, running \\d+ s$`));
    assert.match(done(short.events)[0]?.summary ?? '', /busy: up by .* Waited [34] s \(--wait\); it is still held\./);
    assert.equal(done(short.events)[0]?.refusal, 'busy');

    const waited = await b.runAsync(['up', 'storage'], ['--events', '--wait']);
    const end = await aEnded;
    assert.equal(end.code, 0, run.stderr);
    assert.equal(waited.code, 0, waited.stdout + waited.stderr);
    assert.ok(waited.events.some((e) => e.type === 'waiting'), 'it said it was waiting');
    const last = done(waited.events)[0];
    assert.equal(last?.result, 'succeeded', last?.summary);
    assert.match(last?.summary ?? '', /already ready/, 'what A provisioned, B finds ready: nothing done twice');
    assert.ok(!waited.events.some((e) => e.type === 'step-start' && e.component === 'storage'), 'B ran no step on storage');
  });

  it("B's reconcile --once --wait makes its one pass once A's up lets go: converged, where without --wait it reports the stack busy", async () => {
    write(config(slowStorage));
    const run = a.start(['up']);
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'storage' && /creating/.test(e.line));
    const busy = b.events(['reconcile', '--once']);
    assert.equal(busy.code, 1, 'without --wait: not converged');
    assert.ok(busy.events.some((e) => e.type === 'condition' && e.component === 'storage' && e.reason === 'Busy'), 'storage reported busy');
    const waited = await b.runAsync(['reconcile', '--once', '--wait'], ['--events']);
    assert.equal(await run.exited, 0, run.stderr);
    assert.equal(waited.code, 0, waited.stdout + waited.stderr);
    assert.ok(waited.events.some((e) => e.type === 'waiting' && e.operation === 'up'), "it waited for A's up");
    assert.ok(waited.events.filter((e) => e.type === 'condition').every((e) => e.type === 'condition' && e.condition === 'ready'), 'every component converged');
  });

  it("a killed machine's locks look dead once their heartbeat stops; only repair --force-unlock clears them, and nothing is lost", async () => {
    write(config(slowStorage));
    const run = a.start(['up', 'storage']);
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'storage' && /creating/.test(e.line));
    await sleep(500);
    run.killTree(); // machine A dies mid-update: its locks stay in the container
    await run.exited;
    write(config());

    const stale = { MODELOPS_LOCK_STALE_SECONDS: '2' };
    await sleep(2500);
    const seen = JSON.parse(b.run(['status', '--json'], [], stale).stdout) as Status;
    const storage = component(seen, 'storage');
    assert.equal(storage.status, 'busy', `another machine's lock is never taken for dead by itself: ${storage.reason}`);
    assert.match(storage.reason, /looks dead \(no heartbeat since .*repair --force-unlock/);
    const refused = b.run(['up', 'storage'], [], stale);
    assert.equal(refused.code, 3, refused.stdout + refused.stderr);
    assert.match(refused.stdout + refused.stderr, /--force-unlock/);
    const before = Date.now();
    const notWaited = b.run(['up', 'storage'], ['--events', '--wait=5m'], stale);
    assert.equal(notWaited.code, 3, notWaited.stdout + notWaited.stderr);
    assert.match(done(notWaited.events)[0]?.summary ?? '', /--force-unlock/);
    assert.equal(done(notWaited.events)[0]?.refusal, 'looks-dead', 'refused as a lock only a person clears (the editor offers no Wait)');
    assert.ok(Date.now() - before < 60_000, 'a lock that looks dead is never waited on');

    const repair = b.run(['repair', 'storage'], ['--events', '--force-unlock'], stale);
    assert.equal(repair.code, 0, repair.stdout + repair.stderr);
    assert.ok(repair.events.some((e) => e.type === 'log' && /cleared the operation lock of up by .*@?vm|cleared the operation lock/.test(e.message)), 'says whose lock it cleared');
    assert.ok(repair.events.some((e) => e.type === 'step-done' && e.action === 'clear-lock' && e.result === 'succeeded'), "Pulumi's lock of the dead machine is cleared too");
    const after = a.status();
    assert.equal(component(after, 'storage').status, 'ready');
    const account = join(cloud, 'dev', 'storage', readdirSync(join(cloud, 'dev', 'storage'))[0]);
    assert.deepEqual(readdirSync(account).filter((f) => !f.startsWith('.')).sort(), ['bundle-blobs', 'jobs', 'results', 'workspace'], 'the account and every container are there, once');
  });

  it("repair --force-unlock never breaks the lock of a run that is still working: refused with its heartbeat's age; with --wait it waits, and clears nothing", async () => {
    write(config(slowStorage));
    const run = a.start(['up', 'storage']);
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'storage' && /creating/.test(e.line));
    write(config());
    const forced = b.events(['repair', 'storage'], ['--force-unlock']);
    assert.equal(forced.code, 3, forced.stdout + forced.stderr);
    const summary = done(forced.events)[0]?.summary ?? '';
    assert.match(summary, /^--force-unlock refused: up by .* holds modelops-storage-dev since .* and is still working \(its last heartbeat \d+ s ago; it looks dead if none comes by \S+ \(MODELOPS_LOCK_STALE_SECONDS\)\)\. Nothing was cleared/);
    assert.ok(!forced.events.some((e) => e.type === 'step-start'), 'B started nothing');
    assert.equal(done(forced.events)[0]?.refusal, 'busy', 'that run may be working: waiting can help');
    const waited = await b.runAsync(['repair', 'storage'], ['--events', '--force-unlock', '--wait']);
    assert.equal(waited.code, 0, waited.stdout + waited.stderr);
    assert.ok(waited.events.some((e) => e.type === 'waiting' && e.operation === 'up'), "it waited for A's up");
    assert.ok(!waited.events.some((e) => e.type === 'log' && /cleared the operation lock/.test(e.message)), "A's lock, let go by A, was never broken");
    assert.equal(await run.exited, 0, run.stderr);
    const account = join(cloud, 'dev', 'storage', readdirSync(join(cloud, 'dev', 'storage'))[0]);
    assert.deepEqual(readdirSync(account).filter((f) => !f.startsWith('.')).sort(), ['bundle-blobs', 'jobs', 'results', 'workspace'], 'made once, by A');
    assert.equal(component(b.status(), 'storage').status, 'ready');
  });
});
