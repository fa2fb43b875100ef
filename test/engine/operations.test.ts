/** up's scheduling, force-recreate, health and bad input, on the real engine. */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { OperationEvent } from '../../src/core/events';
import type { EnvironmentsReport, StateReport } from '../../src/core/protocol';
import { Engine } from '../../src/engine/engine';
import { environmentsReport } from '../../src/engine/operations/environments';
import { loadSetup } from '../../src/engine/setup';
import { withProcessEnv } from '../processEnv';
import { localConfig, Sandbox } from './harness';

type StepDone = Extract<OperationEvent, { type: 'step-done' }>;
type StepStart = Extract<OperationEvent, { type: 'step-start' }>;

describe('operations on the real engine', function () {
  this.timeout(300_000);
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  it('provisions independent components at the same time', () => {
    box.write(localConfig('local:\n  faults:\n    cluster:\n      step_delay_ms: 800\n    storage:\n      step_delay_ms: 800\n'));
    const up = box.events(['up', 'cluster', 'storage']);
    assert.equal(up.code, 0, up.stderr);
    const t = (type: string, component: string) => up.events.findIndex((e) => e.type === type && (e as StepStart).component === component);
    assert.ok(t('step-start', 'storage') < t('step-done', 'cluster'), 'storage starts before cluster finishes');
    assert.ok(t('step-start', 'cluster') < t('step-done', 'storage'), 'cluster starts before storage finishes');
  });

  it('a run says which azure.yaml it read: the file and a digest of its text, in --events and --json', () => {
    box.write(localConfig());
    const expected = { file: box.config, digest: createHash('sha256').update(readFileSync(box.config, 'utf8')).digest('hex').slice(0, 12) };
    const start = box.events(['validate']).events.find((e) => e.type === 'operation-start');
    assert.deepEqual(start && 'config' in start ? start.config : undefined, expected);
    box.write(`${localConfig()}# changed\n`);
    const doc = box.json<{ config?: { file: string; digest: string } }>(['validate']);
    assert.equal(doc.config?.file, box.config);
    assert.notEqual(doc.config?.digest, expected.digest, 'another text, another digest');
  });

  it("a passphrase that does not decrypt, while the original's passphrase file holds the one that does, is named with that file", () => {
    box.write(localConfig());
    box.ok(['up', 'storage']);
    // The stacks were made with the sandbox's passphrase; the original's file holds the same one.
    mkdirSync(join(box.home, 'secrets'), { recursive: true });
    writeFileSync(join(box.home, 'secrets', 'pulumi-passphrase'), 'engine-suite', { mode: 0o600 });
    const wrong = box.run(['outputs', 'storage'], ['--show-secrets'], { PULUMI_CONFIG_PASSPHRASE: 'not-this-one' });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /does not decrypt modelops-storage-dev's secrets; PULUMI_CONFIG_PASSPHRASE .* differs from .*secrets\/pulumi-passphrase, the passphrase the original modelops always uses/);
    assert.ok(!`${wrong.stdout}${wrong.stderr}`.includes('engine-suite'), 'no passphrase in the output');
  });

  it('a failure stops only its dependents', () => {
    box.write(localConfig('local:\n  faults:\n    storage:\n      fail_after_resources: 0\n'));
    const up = box.events(['up']);
    assert.equal(up.code, 1);
    const result = (c: string) => up.events.filter((e): e is StepDone => e.type === 'step-done' && e.component === c).pop()?.result;
    assert.equal(result('cluster'), 'succeeded');
    assert.equal(result('storage'), 'failed');
    assert.equal(result('workspace'), 'skipped');
    assert.equal(result('adaptive-default'), 'skipped');
  });

  it('force-recreate shows what it destroys, needs --yes, and destroys in reverse dependency order', () => {
    box.write(localConfig());
    box.ok(['up']);
    const dry = box.json<{ plan: Array<{ component: string; action: string }> }>(['up'], ['--force-recreate', '--dry-run']);
    const destroys = dry.plan.filter((s) => s.action === 'destroy').map((s) => s.component);
    assert.deepEqual(destroys, ['adaptive-default', 'workspace', 'storage', 'cluster']);

    const refused = box.events(['up'], ['--force-recreate']);
    assert.equal(refused.code, 3);
    const done = refused.events.find((e) => e.type === 'operation-done');
    assert.match(done && done.type === 'operation-done' ? done.summary : '', /Re-run with --yes/);
    assert.deepEqual(box.status().components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready'], 'nothing destroyed without confirmation');

    const run = box.events(['up'], ['--force-recreate', '--yes']);
    assert.equal(run.code, 0, run.stderr);
    const order = run.events.filter((e): e is StepDone => e.type === 'step-done' && e.result === 'succeeded').map((e) => `${e.action} ${e.component}`);
    const at = (s: string) => order.indexOf(s);
    assert.ok(at('destroy adaptive-default') < at('destroy workspace'));
    assert.ok(at('destroy workspace') < at('destroy cluster') && at('destroy workspace') < at('destroy storage'));
    assert.ok(Math.max(at('destroy cluster'), at('destroy storage')) < at('up cluster'));
    assert.ok(at('up workspace') < at('up adaptive-default'));
    assert.deepEqual(box.status().components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready']);
  });

  it('outputs masks secrets unless --show-secrets is given; state shows the resources with every secret masked', () => {
    box.write(localConfig());
    box.ok(['up', 'storage']);
    type Outputs = { outputs: Record<string, { value: unknown; secret: boolean }> };
    const masked = box.json<Outputs>(['outputs', 'storage']);
    assert.deepEqual(masked.outputs.connection_string, { value: '[secret]', secret: true });
    assert.equal(masked.outputs.account_name.secret, false);
    const shown = box.json<Outputs>(['outputs', 'storage'], ['--show-secrets']);
    assert.match(String(shown.outputs.connection_string.value), /^DefaultEndpointsProtocol=file;AccountName=/);
    const absent = box.run(['outputs', 'workspace']);
    assert.equal(absent.code, 2);
    assert.match(absent.stderr, /workspace has no stack yet/);
    // No component, as the original's `mops infra outputs`: every component that has a stack, secrets masked.
    const all = box.json<{ components: Array<Outputs & { component: string }> }>(['outputs']);
    assert.deepEqual(all.components.map((c) => c.component), ['storage']);
    assert.deepEqual(all.components[0].outputs.connection_string, { value: '[secret]', secret: true });

    // state: what the stack holds, resource by resource, with every secret masked.
    const state = box.json<StateReport>(['state', 'storage']);
    assert.equal(state.stack, 'modelops-storage-dev');
    assert.deepEqual(state.resources.filter((r) => r.type.includes('LocalResource')).map((r) => r.urn.slice(r.urn.lastIndexOf('::') + 2)).sort(), ['bundle-blobs-container', 'jobs-container', 'results-container', 'storage-account', 'workspace-container']);
    assert.equal(state.outputs.connection_string, '[secret]');
    assert.equal(state.outputs.account_name, masked.outputs.account_name.value);
    const text = JSON.stringify(state);
    for (const o of Object.values(shown.outputs)) if (o.secret) assert.ok(!text.includes(String(o.value)), 'no secret value in the state view');
    assert.ok(!text.includes('__provider'), "Pulumi's own bookkeeping is left out");
    assert.equal(box.run(['state', 'workspace']).code, 2, 'no stack yet: exit 2');
  });

  it('environments lists every environment with stacks in the backend and how ready each is, directly and through the Pulumi CLI alike', async () => {
    box.write(localConfig());
    box.ok(['up']);
    assert.equal(box.run(['up', 'storage'], ['--env', 'staging']).code, 0);
    const report = box.json<EnvironmentsReport>(['environments'], ['--env', 'prod']);
    assert.deepEqual(report.environments, [
      { name: 'dev', current: false, ready: 4, total: 4, deployed: 4 },
      { name: 'prod', current: true, ready: 0, total: 4, deployed: 0 },
      { name: 'staging', current: false, ready: 1, total: 4, deployed: 1 },
    ]);
    // Any backend other than a folder or a container is listed through `pulumi stack ls`.
    await withProcessEnv(box.env(), async () => {
      const setup = loadSetup({ configFile: box.config, processEnv: box.env() });
      const viaCli = new Engine({ ...setup, settings: { ...setup.settings, backend: { kind: 'cli', url: setup.settings.backendUrl } } }, () => undefined);
      const names = (await environmentsReport(viaCli, { configFile: box.config, processEnv: box.env() })).environments.map((e) => `${e.name} ${e.ready}/${e.total}`);
      assert.deepEqual(names, ['dev 4/4', 'staging 1/4']);
    });
  });

  it("--wait waits on Pulumi's own lock too (a plain `pulumi up` of a live process): one waiting line, refused when the time is up; once that process is gone, up goes ahead", async () => {
    box.write(localConfig());
    box.ok(['up', 'storage']);
    const stacks = join(box.backendDir, '.pulumi', 'stacks');
    const project = readdirSync(stacks).find((p) => readdirSync(join(stacks, p)).some((f) => f.startsWith('modelops-storage-dev.json')))!;
    const lockDir = join(box.backendDir, '.pulumi', 'locks', 'organization', project, 'modelops-storage-dev');
    const pulumiElsewhere = spawn('sleep', ['120']);
    try {
      mkdirSync(lockDir, { recursive: true });
      writeFileSync(join(lockDir, 'a1b2c3.json'), JSON.stringify({ pid: pulumiElsewhere.pid, username: 'bob', hostname: hostname(), timestamp: new Date().toISOString() }));
      const waited = box.events(['up', 'storage'], ['--wait=3s']);
      assert.equal(waited.code, 3, waited.stdout + waited.stderr);
      const said = waited.events.filter((e): e is Extract<OperationEvent, { type: 'waiting' }> => e.type === 'waiting');
      assert.deepEqual(said.map((e) => [e.component, e.operation, e.holder]), [['storage', 'Pulumi update', `bob@${hostname()} (pid ${pulumiElsewhere.pid})`]]);
      const done = waited.events.find((e) => e.type === 'operation-done');
      assert.match(done?.type === 'operation-done' ? done.summary : '', /modelops-storage-dev is busy: Pulumi update by bob@.* Waited [34] s \(--wait\); it is still held\./);
    } finally {
      pulumiElsewhere.kill('SIGKILL');
    }
    await new Promise((r) => pulumiElsewhere.on('exit', r));
    const after = box.events(['up', 'storage'], ['--wait=30s']);
    assert.equal(after.code, 0, after.stdout + after.stderr);
    assert.ok(!after.events.some((e) => e.type === 'waiting'), "a dead process's lock is not waited on: up clears it, as without --wait");
  });

  it('health checks what the local outputs point at', () => {
    box.write(localConfig());
    box.ok(['up']);
    const healthy = box.events(['health']);
    assert.equal(healthy.code, 0, healthy.stdout);
    assert.ok(healthy.events.filter((e) => e.type === 'health').every((e) => e.type === 'health' && e.verdict === 'healthy'));
    rmSync(join(box.home, 'local-cloud', 'dev', 'storage'), { recursive: true, force: true });
    const broken = box.events(['health']);
    assert.equal(broken.code, 1);
    const storage = broken.events.filter((e) => e.type === 'health' && e.component === 'storage');
    assert.ok(storage.some((e) => e.type === 'health' && e.verdict === 'unhealthy' && /is gone/.test(e.reason)));
    assert.ok(!broken.stdout.includes('AccountKey='), 'health never prints secrets');
  });

  it('refuses a cycle in depends_on, naming it', () => {
    box.write(localConfig('depends_on:\n  cluster: [workspace]\n'));
    const r = box.run(['status']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /azure\.yaml:\d+:\d+ .*dependency-cycle: dependency cycle: (cluster → workspace → cluster|workspace → cluster → workspace)/);
  });

  it('bad config gets file, line and a fix, and up refuses to run', () => {
    box.write('provider: local\nstorage: {}\nworkspace: 5\n');
    const r = box.run(['up']);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /azure\.yaml:3:\d+ .*error/);
    const missing = box.run(['status'], ['--config', join(box.dir, 'nope.yaml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.yaml does not exist\. Create it/);
  });
});
