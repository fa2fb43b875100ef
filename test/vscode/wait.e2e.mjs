// Behind another run's live lock (a teammate's `mops-infra up` in a terminal), Up is refused
// with who holds it, and the refusal's Wait runs it again with --wait: it waits for that run,
// then finds the components ready and does nothing twice.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentRows, configYaml, openComponents, PASSPHRASE, prepare, scenarioHooks, startSession, waitFor, waitForComponents } from './lib/harness.mjs';

const CLI = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'bin', 'mops-infra.js');

describe('Up behind a run that holds the stacks: refused, then Wait', function () {
  let s;
  let other;
  let otherExit;
  before(async function () {
    s = await startSession({ name: 'wait', yaml: configYaml({ faults: { storage: { step_delay_ms: 3000 } } }) });
  });
  after(async () => {
    other?.kill('SIGKILL');
    await s?.stop();
  });
  scenarioHooks(() => s);

  it("while a terminal's up creates storage, the editor's Up is refused naming that run, and offers Wait", async function () {
    const { pulumi } = await prepare();
    other = spawn(process.execPath, [CLI, 'up', '--events', '--config', join(s.folder, 'azure.yaml')], {
      env: { ...process.env, MODELOPS_HOME: s.home, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE, MOPS_PULUMI: pulumi, PULUMI_SKIP_UPDATE_CHECK: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    otherExit = new Promise((done) => other.on('exit', (code) => done(code)));
    let out = '';
    let err = '';
    other.stdout.on('data', (chunk) => (out += chunk));
    other.stderr.on('data', (chunk) => (err += chunk));
    const events = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    await waitFor(async () => events().some((e) => e.type === 'step-output' && e.component === 'storage' && /creating/.test(e.line)), {
      timeout: 180_000,
      message: "the terminal's up creating storage",
      describe: async () => `${out.slice(-2000)}\n${err.slice(-2000)}`,
    });
    await openComponents(s.wb);
    await s.wb.runCommand('ModelOps: Up');
    const note = await s.wb.waitForNotification(/^ModelOps: Up was refused/, { timeout: 120_000 });
    assert.match(note.message, /is busy: up by .*\(pid \d+\).* Wait runs it once that run is done \(up to 30 min\)\./, note.message);
    assert.ok(note.buttons.includes('Wait'), `Wait is offered: ${JSON.stringify(note.buttons)}`);
    await s.wb.clickNotificationButton(/^ModelOps: Up was refused/, 'Wait');
  });

  it('Wait runs Up again with --wait: it waits for that run, then finds every component ready and changes nothing', async function () {
    await s.wb.waitForNotification(/^ModelOps: Up \(waiting for the run that holds it\)/, { timeout: 60_000 });
    assert.equal(await otherExit, 0, "the terminal's up finishes on its own");
    const note = await s.wb.waitForNotification(/^ModelOps: Up \(waiting for the run that holds it\)(:| succeeded)/, { timeout: 300_000 });
    assert.doesNotMatch(note.message, /refused|failed/, note.message);
    await waitForComponents(s.wb, { cluster: 'ready', storage: 'ready', workspace: 'ready', 'adaptive-default': 'ready' });
    const rows = await componentRows(s.wb);
    assert.deepEqual(Object.values(rows).map((r) => r.status), ['ready', 'ready', 'ready', 'ready']);
    await s.wb.screenshot('wait');
  });
});
