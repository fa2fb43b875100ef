/**
 * The seed plan's scenario and its relatives, on the real Pulumi engine:
 * readiness comes from verified outputs, never from "the update succeeded".
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { localConfig, Sandbox, statusOf } from './harness';

describe('readiness on the real engine', function () {
  this.timeout(300_000);
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  it('reports every component absent on an empty backend, without creating any stack', () => {
    box.write(localConfig());
    const status = box.status();
    assert.deepEqual(status.components.map((c) => [c.name, c.status]), [
      ['cluster', 'absent'],
      ['storage', 'absent'],
      ['workspace', 'absent'],
      ['adaptive-default', 'absent'],
    ]);
    assert.equal(existsSync(box.backendDir), false, 'status must not create the backend or any stack');
  });

  it('up provisions all four components in dependency order and status then says ready', () => {
    box.write(localConfig());
    const up = box.events(['up']);
    assert.equal(up.code, 0, up.stderr);
    const starts = up.events.filter((e) => e.type === 'step-start').map((e) => (e as { component: string }).component);
    assert.ok(starts.indexOf('workspace') > starts.indexOf('cluster') && starts.indexOf('workspace') > starts.indexOf('storage'));
    assert.ok(starts.indexOf('adaptive-default') > starts.indexOf('workspace'));
    const status = box.status();
    assert.deepEqual(status.components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready']);
    const kubeconfig = status.components[0].outputs.find((o) => o.name === 'kubeconfig')!;
    assert.equal(kubeconfig.secret, true);
    assert.equal(kubeconfig.value, undefined, 'a secret value must never reach status output');
    assert.ok(!box.run(['status', '--json']).stdout.includes('token:'), 'no kubeconfig text in status');

    const again = box.events(['up']);
    assert.equal(again.code, 0);
    assert.equal(again.events.filter((e) => e.type === 'step-start').length, 0, 'a second up skips ready components');
  });

  it("the seed's scenario: an update succeeds without kubeconfig → outputs-missing, dependents blocked, diagnostics on the right lines", () => {
    box.write(localConfig());
    box.ok(['up']);
    box.write(localConfig('local:\n  faults:\n    cluster:\n      omit_outputs: [kubeconfig]\n'));
    const repair = box.events(['repair', 'cluster']);
    assert.equal(repair.code, 1, 'the update itself succeeds, but the component is not ready');
    const done = repair.events.find((e) => e.type === 'step-done' && e.action === 'up');
    assert.equal(done && done.type === 'step-done' && done.result, 'succeeded');

    const status = box.status();
    assert.equal(statusOf(status, 'cluster'), 'outputs-missing');
    assert.deepEqual(status.components[0].missingOutputs, ['kubeconfig']);
    assert.equal(statusOf(status, 'storage'), 'ready');
    assert.equal(statusOf(status, 'workspace'), 'blocked');
    assert.equal(statusOf(status, 'adaptive-default'), 'blocked');
    assert.match(status.components.find((c) => c.name === 'workspace')!.reason, /waiting on cluster \(outputs-missing\)/);

    const missing = status.problems.filter((p) => p.output === 'kubeconfig');
    const byCode = (code: string) => missing.filter((p) => p.code === code).map((p) => p.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(byCode('missing-output'), [2], 'on the line that owns the cluster (provider: for a config without aks)');
    assert.deepEqual(byCode('missing-dependency-output'), [6, 15], 'on the workspace and adaptive sections that read it');

    const validate = box.run(['validate']);
    assert.equal(validate.code, 1);
    assert.match(validate.stdout, /missing-output/);

    box.write(localConfig());
    const fixed = box.events(['repair', 'cluster']);
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.deepEqual(box.status().components.map((c) => c.status), ['ready', 'ready', 'ready', 'ready']);
    box.ok(['validate']);
  });

  it('a failed update keeps the old outputs, and status still says failed', () => {
    box.write(localConfig());
    box.ok(['up']);
    box.write(localConfig('local:\n  faults:\n    storage:\n      fail_after_resources: 1\n'));
    const repair = box.events(['repair', 'storage']);
    assert.equal(repair.code, 1);
    const up = repair.events.find((e) => e.type === 'step-done' && e.action === 'up');
    assert.ok(up && up.type === 'step-done' && up.result === 'failed');
    assert.match(up.message, /injected fault: storage fails after creating 1 resource/);

    const status = box.status();
    const storage = status.components.find((c) => c.name === 'storage')!;
    assert.equal(storage.status, 'failed');
    const conn = storage.outputs.find((o) => o.name === 'connection_string')!;
    assert.ok(conn.present && !conn.empty, 'outputs survive the failed update');
    assert.equal(statusOf(status, 'workspace'), 'blocked');
    assert.equal(statusOf(status, 'cluster'), 'ready', 'unrelated components are untouched');
  });

  it('reads stacks made by another tool under the same names', async () => {
    box.write(localConfig());
    // Another tool (here: the Automation API directly, as the original Python did) makes modelops-storage-dev.
    const env = box.env();
    const auto = require('@pulumi/pulumi/automation') as typeof import('@pulumi/pulumi/automation');
    const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
    // A work dir in the sandbox: without one the SDK makes an automation-* folder in /tmp and leaves it.
    const workDir = require('node:path').join(box.dir, 'other-tool');
    require('node:fs').mkdirSync(workDir);
    const ws = await auto.LocalWorkspace.create({
      workDir,
      program: async () => ({ account_name: 'x', connection_string: pulumi.secret('DefaultEndpointsProtocol=https;AccountName=x'), sas_connection_string: pulumi.secret('sas'), primary_endpoint: 'https://x/' }),
      pulumiCommand: await auto.PulumiCommand.get({ root: require('node:path').dirname(require('node:path').dirname(env.MOPS_PULUMI!)) }),
      envVars: { PULUMI_BACKEND_URL: `file://${box.backendDir}`, PULUMI_CONFIG_PASSPHRASE: 'engine-suite', PULUMI_HOME: env.PULUMI_HOME!, PULUMI_SKIP_UPDATE_CHECK: 'true' },
      projectSettings: { name: 'modelops-storage', runtime: 'nodejs' },
    });
    require('node:fs').mkdirSync(box.backendDir, { recursive: true });
    const stack = await auto.Stack.createOrSelect('modelops-storage-dev', ws);
    await stack.up();
    const status = box.status();
    assert.equal(statusOf(status, 'storage'), 'ready');
    assert.equal(statusOf(status, 'cluster'), 'absent');
    assert.deepEqual(readdirSync(`${box.backendDir}/.pulumi/stacks`).sort(), ['modelops-storage'], 'status created no other stack');
    assert.equal((status.components.find((c) => c.name === 'storage') as unknown as { spec: string }).spec, 'unknown', 'no spec recorded by the other tool');
    const history = box.json<{ updates: Array<{ kind: string; result: string; specHash?: string }> }>(['history', 'storage']);
    assert.deepEqual(history.updates.map((u) => [u.kind, u.result, u.specHash]), [['update', 'succeeded', undefined]], 'its history is still listed');
  });
});
