/**
 * Truth and safety on the real engine: `ready` means ready, results and exit codes never
 * hide a failed step, a cancel never breaks a stack, and nothing is destroyed or created
 * that the user did not ask for.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { OperationEvent } from '../../src/core/events';
import { VERBS } from '../../src/core/verbs';
import { loadAutomation, workspaceFor } from '../../src/engine/automation';
import { loadSetup } from '../../src/engine/setup';
import { killIfThere, localConfig, processesOf, Sandbox, sleep, statusOf } from './harness';

type StepDone = Extract<OperationEvent, { type: 'step-done' }>;
const done = (events: OperationEvent[]) => events.filter((e): e is Extract<OperationEvent, { type: 'operation-done' }> => e.type === 'operation-done');
const slow = (component: string, ms: number, more = '') => `local:\n  faults:\n    ${component}:\n      step_delay_ms: ${ms}\n${more}`;

/** The history kinds of a stack on the file backend, oldest first. */
function historyKinds(box: Sandbox, project: string, stack: string): string[] {
  const dir = join(box.backendDir, '.pulumi', 'history', project, stack);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.history.json'))
    .sort((a, b) => (BigInt(/-(\d+)\.history/.exec(a)![1]) < BigInt(/-(\d+)\.history/.exec(b)![1]) ? -1 : 1))
    .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { kind: string }).kind);
}

describe('truth and safety on the real engine', function () {
  this.timeout(300_000);
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  it('force-recreate of workspace recreates it and the adaptive run that depends on it, and never touches the cluster or storage', () => {
    box.write(localConfig());
    box.ok(['up']);
    const marker = join(box.home, 'local-cloud', 'dev', 'storage');
    const storageFiles = readdirSync(marker).sort();

    const dry = box.json<{ env: string; plan: Array<{ component: string; action: string }> }>(['up', 'workspace'], ['--force-recreate', '--dry-run']);
    assert.equal(dry.env, 'dev');
    assert.deepEqual(dry.plan.filter((s) => s.action === 'destroy').map((s) => s.component), ['adaptive-default', 'workspace']);
    assert.deepEqual(dry.plan.filter((s) => s.action === 'up').map((s) => s.component), ['workspace', 'adaptive-default']);

    const run = box.events(['up', 'workspace'], ['--force-recreate', '--yes']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const ran = run.events.filter((e): e is StepDone => e.type === 'step-done' && e.result === 'succeeded').map((e) => `${e.action} ${e.component}`);
    assert.deepEqual(ran, ['destroy adaptive-default', 'destroy workspace', 'up workspace', 'up adaptive-default']);
    assert.deepEqual(historyKinds(box, 'modelops-storage', 'modelops-storage-dev'), ['update'], 'storage was never destroyed');
    assert.deepEqual(historyKinds(box, 'modelops-infra', 'modelops-infra-dev'), ['update'], 'the cluster was never destroyed');
    assert.deepEqual(readdirSync(marker).sort(), storageFiles, "the users' data is where it was");
    assert.deepEqual(box.status().components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready']);
  });

  it('a refresh after a failed update does not turn the component ready: status says failed and validate exits 1', async () => {
    box.write(localConfig('local:\n  faults:\n    cluster:\n      fail_after_resources: 1\n'));
    assert.equal(box.run(['up', 'cluster']).code, 1);
    assert.equal(statusOf(box.status(), 'cluster'), 'failed');

    // A bare refresh, as another tool or a teammate would run it: it succeeds and writes history.
    const setup = loadSetup({ configFile: box.config, processEnv: box.env() });
    const auto = await loadAutomation();
    const component = setup.byName.get('cluster')!;
    const ws = await workspaceFor(setup.settings, box.env().MOPS_PULUMI!, component, async () => ({}), 'write');
    await (await auto.Stack.select(component.stack, ws)).refresh();
    assert.deepEqual(historyKinds(box, 'modelops-infra', 'modelops-infra-dev'), ['update', 'refresh']);

    const status = box.run(['status']);
    assert.equal(status.code, 1);
    assert.equal(statusOf(box.status(), 'cluster'), 'failed', 'the fault is still in azure.yaml: the cluster is not ready');
    assert.equal(box.run(['validate']).code, 1);
  });

  it("an up whose steps fail without changing anything never ends \"1 failed …; all ready\"", () => {
    box.write(localConfig());
    box.ok(['up']);
    box.write(localConfig().replace('replicas: 2', 'replicas: 3'));
    const up = box.run(['up'], ['--events'], { PULUMI_CONFIG_PASSPHRASE: 'not-the-passphrase' });
    assert.equal(up.code, 1, up.stdout);
    const summary = done(up.events)[0].summary;
    assert.match(summary, /1 failed/);
    assert.doesNotMatch(summary, /; all ready/, summary);
  });

  it('repair exits 1 when its refresh fails, and says the passphrase is wrong in one line', () => {
    box.write(localConfig());
    box.ok(['up', 'storage']);
    const repair = box.run(['repair', 'storage'], ['--events'], { PULUMI_CONFIG_PASSPHRASE: 'not-the-passphrase' });
    const events = repair.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as OperationEvent);
    assert.equal(repair.code, 1, repair.stdout);
    const refresh = events.find((e): e is StepDone => e.type === 'step-done' && e.action === 'refresh');
    assert.equal(refresh?.result, 'failed');
    assert.match(refresh!.message, /the passphrase does not decrypt modelops-storage-dev's secrets; set PULUMI_CONFIG_PASSPHRASE/);
    assert.doesNotMatch(refresh!.message, /code: -?\d|stdout:|stderr:/);
    assert.equal(done(events).length, 1);
    assert.equal(done(events)[0].result, 'failed');

    const outputs = box.run(['outputs', 'storage'], [], { PULUMI_CONFIG_PASSPHRASE: 'not-the-passphrase' });
    assert.equal(outputs.code, 1);
    assert.equal(outputs.stderr.trim().split('\n').length, 1, outputs.stderr);
    assert.match(outputs.stderr, /the passphrase does not decrypt modelops-storage-dev's secrets/);

    const health = box.run(['health'], ['--events'], { PULUMI_CONFIG_PASSPHRASE: 'not-the-passphrase' });
    const healthEvents = health.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as OperationEvent);
    assert.equal(health.code, 1);
    assert.equal(done(healthEvents).length, 1, 'the stream ends with one operation-done');
    assert.match(done(healthEvents)[0].summary, /the passphrase does not decrypt modelops-storage-dev's secrets/);
    assert.doesNotMatch(health.stdout + health.stderr, /code: -?\d|stdout:/);
  });

  // Pulumi records a destroy that a cancel stopped part-way as succeeded, and the stack keeps the
  // outputs of what it destroyed (here: the scheduler and workers gone, the namespace left).
  it('a force recreate cancelled while it destroys the workspace leaves it interrupted, never ready; an up brings it back', async () => {
    box.write(localConfig(slow('workspace', 1500)));
    box.ok(['up', 'workspace']);
    const run = box.start(['up', 'workspace'], ['--force-recreate', '--yes']);
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'workspace' && e.action === 'destroy' && /deleting/.test(e.line));
    await sleep(2000);
    run.child.kill('SIGINT');
    await run.exited;
    const summary = done(run.events)[0];
    assert.equal(summary.result, 'cancelled');
    assert.match(summary.summary, /not ready: workspace \(interrupted/, summary.summary);
    const workspace = box.status().components.find((c) => c.name === 'workspace')!;
    assert.equal(workspace.status, 'interrupted', `${workspace.status}: ${workspace.reason}`);
    assert.match(workspace.reason, /^a force recreate stopped part-way \(the last destroy stopped part-way: \d+ resources are left, and the outputs are of what it destroyed\): up recreates it$/);
    assert.equal(box.run(['status']).code, 1, 'status does not exit 0');
    box.ok(['up', 'workspace']);
    assert.equal(statusOf(box.status(), 'workspace'), 'ready');
  });

  it('Ctrl-C to the whole process group without a terminal cancels gracefully and leaves no pending operation', async () => {
    box.write(localConfig(slow('cluster', 4000)));
    const run = box.start(['up', 'cluster']);
    // In the middle of a resource's create: where a second signal would leave a pending create.
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'cluster' && /dynamic.*creating/.test(e.line));
    await sleep(1500);
    process.kill(-run.child.pid!, 'SIGINT'); // what a CI runner or `setsid … </dev/null` does
    assert.equal(await run.exited, 130, run.stderr);
    assert.equal(done(run.events).length, 1);
    assert.equal(done(run.events)[0].result, 'cancelled');
    const output = run.events.flatMap((e) => (e.type === 'step-output' ? [e.line] : []));
    assert.equal(output.filter((l) => /\^C received; cancelling/.test(l)).length, 1, `Pulumi heard one SIGINT:\n${output.join('\n')}`);
    assert.ok(!output.some((l) => /\^C received; terminating/.test(l)), `Pulumi heard one SIGINT, not two:\n${output.join('\n')}`);
    const status = box.status();
    const cluster = status.components.find((c) => c.name === 'cluster')!;
    assert.notEqual(cluster.status, 'interrupted', cluster.reason);
    assert.notEqual(cluster.status, 'busy', cluster.reason);
    // Pulumi's history says "failed"; the run's own record says it was a cancel.
    assert.equal(cluster.status, 'cancelled', cluster.reason);
    assert.equal(cluster.reason, 'last update was cancelled');
  });

  it('a step ends only once the state it left is read: a view never shows a finished step beside the status from before it', async () => {
    box.write(localConfig(`local:\n  faults:\n    cluster:\n      step_delay_ms: 4000\n    storage:\n      step_delay_ms: 4000\n`));
    const run = box.start(['up']);
    // Cancelled as its stacks are being made: the stacks exist, nothing is deployed in them.
    await run.waitFor((e) => e.type === 'step-start');
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 130, run.stderr);
    const fresh = new Map(box.status().components.map((c) => [c.name, c.status]));
    let seen = new Map<string, string>();
    const ended: string[] = [];
    for (const e of run.events) {
      if (e.type === 'readiness') seen = new Map(e.components.map((c) => [c.name, c.status]));
      if (e.type !== 'step-done' || e.action !== 'up' || e.result === 'skipped') continue;
      ended.push(e.component);
      assert.equal(seen.get(e.component), fresh.get(e.component), `${e.component}: the readiness before its step-done is the one it left`);
    }
    assert.deepEqual(ended.sort(), ['cluster', 'storage']);
  });

  it('every verb ends its --events stream with exactly one operation-done: reports, errors and usage errors included', () => {
    box.write(localConfig());
    const dones = (r: { events: OperationEvent[] }) => done(r.events).length;
    for (const verb of VERBS) {
      const bad = box.events([verb], ['--bogus']);
      assert.equal(bad.code, 2, `${verb} --bogus: ${bad.stderr}`);
      assert.equal(dones(bad), 1, `${verb} --bogus:\n${bad.stdout}`);
      assert.equal(done(bad.events)[0].result, 'refused');
    }
    // What only reads: its report, then the end of the stream; an error reading is an end too.
    for (const verb of [['outputs'], ['environments'], ['status'], ['validate'], ['state', 'cluster'], ['outputs', 'cluster'], ['history', 'cluster']]) {
      const r = box.events(verb);
      assert.equal(dones(r), 1, `${verb.join(' ')} with no stack (exit ${r.code}):\n${r.stdout}`);
    }
    box.ok(['up', 'cluster']);
    for (const verb of [['outputs'], ['state', 'cluster'], ['outputs', 'cluster'], ['history', 'cluster']]) {
      const r = box.events(verb);
      assert.equal(dones(r), 1, `${verb.join(' ')} (exit ${r.code}):\n${r.stdout}`);
    }
  });

  it('a double Ctrl-C still ends the event stream with exactly one operation-done', async () => {
    box.write(localConfig(slow('cluster', 3000)));
    const run = box.start(['up', 'cluster']);
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'cluster' && /creating/.test(e.line));
    run.child.kill('SIGINT');
    await sleep(300);
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 130, `${run.stderr}\n${run.events.map((e) => JSON.stringify(e)).join('\n')}`);
    assert.equal(done(run.events).length, 1, run.events.map((e) => e.type).join(' '));
    assert.equal(done(run.events)[0].result, 'cancelled');
  });

  it('after the CLI and its process group are killed, nothing it started lives on, nor its temporary folder', async () => {
    box.write(localConfig(slow('cluster', 4000)));
    const run = box.start(['up', 'cluster']);
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'cluster' && /dynamic.*creating/.test(e.line));
    assert.ok(processesOf(box).length >= 2, 'Pulumi and its dynamic provider run');
    assert.equal(box.pulumiTempFolders().length, 1, "Pulumi's temporary folder, of this run's own (where the Kubernetes provider leaves kubeconfigs)");
    process.kill(-run.child.pid!, 'SIGKILL'); // the CLI's whole process group, as a closing terminal or a CI timeout does
    await run.exited;
    const deadline = Date.now() + 60_000;
    while (processesOf(box).length && Date.now() < deadline) await sleep(500);
    assert.deepEqual(processesOf(box), [], 'Pulumi, its plugins and the watchdog are gone within a minute');
    assert.deepEqual(box.pulumiTempFolders(), [], 'the watchdog removed the temporary folder on its way out');
  });

  it('killed with its watchdog (a cancelled CI job ends the whole tree), a run leaves its temporary folder, and the next run of Pulumi removes it', async () => {
    box.write(localConfig(slow('cluster', 4000)));
    const run = box.start(['up', 'cluster']);
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'cluster' && /dynamic.*creating/.test(e.line));
    const [left] = box.pulumiTempFolders();
    // What the Kubernetes provider writes there and never removes (pulumi-kubernetes provider.go, writeKubeconfigToFile).
    writeFileSync(join(box.tmp, left, 'kubeconfig-1234'), 'users: [{ user: { token: not-a-real-one } }]\n');
    // Every process of the run, the watchdog included, again until none is left (one may be starting a child just then).
    const deadline = Date.now() + 10_000;
    while (processesOf(box).length && Date.now() < deadline) {
      for (const pid of processesOf(box)) killIfThere(pid);
      await sleep(100);
    }
    await run.exited;
    assert.deepEqual(processesOf(box), [], 'the CLI, Pulumi, its plugins and the watchdog are gone');
    assert.deepEqual(box.pulumiTempFolders(), [left], 'nothing was left alive to remove it');

    box.write(localConfig());
    const up = box.run(['up', 'cluster']);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.deepEqual(box.pulumiTempFolders(), [], 'the next run of Pulumi removed the folder, credentials and all, and its own on the way out');
  });

  it('when whoever reads its output goes away (the editor closed or crashed), it cancels gracefully and ends, instead of spinning on a broken pipe', async () => {
    box.write(localConfig(slow('cluster', 4000)));
    const run = box.start(['up', 'cluster']);
    await run.waitFor((e) => e.type === 'step-output' && e.component === 'cluster' && /dynamic.*creating/.test(e.line));
    run.child.stdout!.destroy(); // the reading end closes: the next event the CLI writes meets EPIPE
    run.child.stderr!.destroy();
    const deadline = Date.now() + 120_000;
    while (run.child.exitCode === null && Date.now() < deadline) await sleep(250);
    assert.equal(run.child.exitCode, 130, 'ended as a cancelled run');
    while (processesOf(box).length && Date.now() < deadline) await sleep(250);
    assert.deepEqual(processesOf(box), [], 'nothing it started lives on');
    const cluster = box.status().components.find((c) => c.name === 'cluster')!;
    assert.ok(!['interrupted', 'busy'].includes(cluster.status), `${cluster.status}: ${cluster.reason}`);
  });

  it('--env goes through the rules of environment: (exit 2, no stack, nothing written outside the local root)', () => {
    box.write(localConfig());
    for (const env of ['..', '../../x', 'a b', 'Prod']) {
      const r = box.run(['up', 'storage'], ['--env', env]);
      assert.equal(r.code, 2, `--env ${env}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /--env: ".*" is not a valid environment name: 1–\d+ lowercase letters, digits and '-'/);
    }
    assert.equal(existsSync(join(box.backendDir, '.pulumi', 'stacks')), false, 'no stack was created');
    assert.equal(existsSync(join(box.home, 'storage')), false);
  });

  it('status exits 0 only when everything is ready, and says what failed on an unreachable backend', () => {
    box.write(localConfig());
    assert.equal(box.run(['status']).code, 1, 'all absent');
    assert.equal(existsSync(join(box.home, 'secrets', 'pulumi-passphrase')), false);
    const noPassphrase = box.run(['status'], [], { PULUMI_CONFIG_PASSPHRASE: undefined });
    assert.equal(noPassphrase.code, 1);
    assert.equal(existsSync(join(box.home, 'secrets', 'pulumi-passphrase')), false, 'a read-only status creates no passphrase');

    const azurite = ['--backend', 'azblob://state?domain=127.0.0.1:9&protocol=http&localemu=true'];
    const unreachable = box.run(['status'], ['--json', ...azurite], { AZURE_STORAGE_ACCOUNT: 'devstoreaccount1', AZURE_STORAGE_KEY: Buffer.from('k').toString('base64') });
    assert.equal(unreachable.code, 1, unreachable.stderr);
    const report = JSON.parse(unreachable.stdout) as { components: Array<{ status: string; reason: string }> };
    for (const c of report.components) {
      assert.equal(c.status, 'unknown');
      assert.doesNotMatch(c.reason, /code: -?\d/);
      assert.match(c.reason, /127\.0\.0\.1:9|connection refused|dial tcp/i);
    }
  });

  it('bad config is exit 2 for every verb, with the file, line and fix, and nothing echoed that is not text', () => {
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['duplicate keys', 'provider: local\nstorage: {}\nstorage: {}\n', /azure\.yaml:3:1 error duplicate-key/],
      ['tab indentation', 'provider: local\nstorage:\n\tsku: Standard_LRS\n', /azure\.yaml:3:1 error yaml-tab-indent: .*Indent with spaces/],
      ['an unterminated quote', 'provider: local\nlocation: "eastus\nstorage: {}\n', /azure\.yaml:\d+:\d+ error yaml-syntax/],
      ['UTF-16', Buffer.from('\ufeffprovider: local\nstorage: {}\n', 'utf16le'), /not UTF-8 text: it looks like UTF-16/],
      ['binary data', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x0a]), /not UTF-8 text: it holds binary data/],
    ];
    for (const [name, text, says] of cases) {
      writeFileSync(box.config, text);
      for (const verb of [['status'], ['validate'], ['up'], ['repair', 'storage'], ['health']]) {
        const r = box.run(verb);
        assert.equal(r.code, 2, `${name}, ${verb.join(' ')}: exit ${r.code}\n${r.stdout}${r.stderr}`);
        assert.match(r.stdout + r.stderr, says, `${name}, ${verb.join(' ')}`);
        assert.doesNotMatch(r.stdout + r.stderr, /[\u0000-\u0008\u000e-\u001f\ufffd]|\u00de\u00ad/, `${name}: nothing but text is printed`);
        if (name === 'tab indentation') assert.doesNotMatch(r.stdout + r.stderr, /unknown-key/, 'a tab-indented key is not reported as unknown');
      }
    }
  });

  it("a failed update says Pulumi's own first error, never the Automation API's dump", () => {
    box.write(localConfig('local:\n  faults:\n    storage:\n      fail_after_resources: 1\n'));
    const up = box.events(['up', 'storage']);
    assert.equal(up.code, 1);
    const failed = up.events.find((e): e is StepDone => e.type === 'step-done' && e.result === 'failed')!;
    assert.match(failed.message, /injected fault: storage fails after creating 1 resource/);
    assert.doesNotMatch(failed.message, /code: -?\d|stdout:|stderr:/);
  });

  it('status, validate, up and repair agree on exit codes for every readiness (the README\'s table)', () => {
    const codes = (component: string, verbs: string[]) => Object.fromEntries(verbs.map((v) => [v, box.run(v === 'status' || v === 'validate' ? [v] : [v, component]).code]));
    const fault = (f: string) => localConfig(`local:\n  faults:\n    cluster:\n      ${f}\n`);
    const lock = (pid: number) => {
      const dir = join(box.backendDir, '.pulumi', 'locks', 'organization', 'modelops-storage', 'modelops-storage-dev');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'test.json'), JSON.stringify({ pid, username: 'someone', hostname: hostname(), timestamp: new Date().toISOString() }));
      return dir;
    };

    box.write(localConfig());
    assert.deepEqual(codes('storage', ['status', 'validate']), { status: 1, validate: 1 }, 'absent');
    box.ok(['up']);
    assert.deepEqual(codes('storage', ['status', 'validate', 'up', 'repair']), { status: 0, validate: 0, up: 0, repair: 0 }, 'ready');

    box.write(fault('fail_after_resources: 0'));
    assert.equal(box.run(['repair', 'cluster']).code, 1, 'failed: the fault is still there');
    assert.equal(statusOf(box.status(), 'cluster'), 'failed');
    assert.equal(statusOf(box.status(), 'workspace'), 'blocked');
    assert.deepEqual(codes('cluster', ['status', 'validate', 'up']), { status: 1, validate: 1, up: 1 }, 'failed');
    const blocked = box.events(['repair', 'workspace']);
    assert.equal(blocked.code, 3, 'blocked: repair is refused until its dependency is repaired');
    assert.equal(done(blocked.events)[0]?.refusal, 'blocked');
    assert.equal(box.run(['up', 'workspace']).code, 1, 'blocked: up runs the failed cluster first, which fails');

    box.write(fault('omit_outputs: [kubeconfig]'));
    assert.equal(box.run(['repair', 'cluster']).code, 1, 'outputs-missing after the repair');
    assert.equal(statusOf(box.status(), 'cluster'), 'outputs-missing');
    assert.deepEqual(codes('cluster', ['status', 'validate', 'up']), { status: 1, validate: 1, up: 1 }, 'outputs-missing');
    box.write(localConfig());
    box.ok(['repair', 'cluster']);

    const live = lock(process.pid);
    assert.equal(statusOf(box.status(), 'storage'), 'busy');
    assert.deepEqual(codes('storage', ['status', 'validate', 'up', 'repair']), { status: 1, validate: 1, up: 3, repair: 3 }, 'busy');
    rmSync(live, { recursive: true });

    lock(spawnSync('true').pid!);
    assert.equal(statusOf(box.status(), 'storage'), 'interrupted');
    assert.deepEqual(codes('storage', ['status', 'validate', 'repair']), { status: 1, validate: 1, repair: 0 }, 'interrupted: repair clears the dead lock');
    lock(spawnSync('true').pid!);
    assert.equal(box.run(['up', 'storage']).code, 0, 'interrupted: up clears the dead lock too');
    assert.deepEqual(codes('storage', ['status', 'validate']), { status: 0, validate: 0 });
    assert.equal(box.run(['up'], ['--force-recreate']).code, 3, 'destruction without --yes is refused');
  });
});
