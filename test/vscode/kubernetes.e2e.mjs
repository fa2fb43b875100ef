// provider: kubernetes from VS Code: Up, Health and Down from the palette, on a real kube-apiserver
// through the real Pulumi Kubernetes provider (setup builds it; it is installed into this session's
// PULUMI_HOME with `pulumi plugin install … --file`, as a team without downloads would install it:
// the VS Code server gives the extension host its login shell's PATH, not ours).
// The named double of the kubelet and controllers (test/doubles/cluster/) runs the
// pods: nothing else can here. Down destroys what Up made on the cluster, and not the cluster.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pulumiCliPath } from '../../scripts/setup/pulumi-cli.mjs';
import { PULUMI_KUBERNETES_VERSION, pulumiKubernetesBinDir } from '../../scripts/setup/pulumi-kubernetes.mjs';
import { openComponents, scenarioHooks, startSession, waitFor, waitForComponents } from './lib/harness.mjs';

// The API server and the double are TypeScript, compiled by `npm test` before the suites run.
const require = createRequire(import.meta.url);
const { Objects, startApiServer } = require('../../out/test/azure/apiserver.js');
const { startClusterControllers } = require('../../out/test/doubles/cluster/index.js');

const IMAGE = 'ghcr.io/dask/dask:2024.12.1';

/** A Pulumi home with the Kubernetes provider plugin installed from setup's build. */
function pulumiHomeWithPlugin(root) {
  const home = join(root, 'pulumi-home');
  const plugin = join(pulumiKubernetesBinDir(), 'pulumi-resource-kubernetes');
  const r = spawnSync(pulumiCliPath(), ['plugin', 'install', 'resource', 'kubernetes', PULUMI_KUBERNETES_VERSION, '--file', plugin], { encoding: 'utf8', env: { ...process.env, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: 'true' } });
  assert.equal(r.status, 0, `pulumi plugin install: ${r.stderr}`);
  return home;
}
const yaml = (kubeconfig) => `provider: kubernetes
environment: kube
kubernetes:
  kubeconfig: ${kubeconfig}
  ready_timeout: 2m
workspace:
  kind: Workspace
  metadata: { name: e2e }
  spec:
    scheduler: { image: "${IMAGE}" }
    workers: { image: "${IMAGE}", replicas: 2 }
    autoscaling: { enabled: false }
adaptive:
  default: { algorithm: optuna, central_store: { kind: none }, workers: { image: "${IMAGE}" } }
`;

describe('provider: kubernetes from VS Code, on a real API server', function () {
  let s;
  let api;
  let controllers;
  before(async function () {
    api = await startApiServer();
    controllers = await startClusterControllers(api);
    await new Objects(api).node('node-1', 'workers', true);
    const root = mkdtempSync(join(tmpdir(), 'mops-e2e-kubernetes-'));
    const kubeconfig = join(root, 'kubeconfig.yaml');
    writeFileSync(kubeconfig, api.kubeconfig());
    s = await startSession({ name: 'kubernetes', root, yaml: yaml(kubeconfig), env: { PULUMI_HOME: pulumiHomeWithPlugin(root) } });
  });
  after(async () => {
    await s?.stop();
    await controllers?.stop();
    await api?.stop();
  });
  scenarioHooks(() => s);

  it('Up makes the cluster you have, the workspace and the run ready', async function () {
    const components = ['cluster', 'workspace', 'adaptive-default'];
    assert.deepEqual(Object.keys(await openComponents(s.wb, { components })), components, 'no resource group, registry or storage: a cluster you have');
    await s.wb.runCommand('ModelOps: Up');
    await s.wb.waitForProgressToFinish(/^ModelOps: Up/, { timeout: 480_000 });
    await s.wb.waitForNotification(/^ModelOps: Up succeeded in \d+:\d\d: .*; all ready\.$/, { timeout: 60_000 });
    await waitForComponents(s.wb, { cluster: /^ready$/, workspace: /^ready$/, 'adaptive-default': /^ready$/ }, { timeout: 120_000 });
    await waitFor(async () => (await s.wb.statusBarTexts()).some((t) => /ModelOps · kube · 3\/3 ready/.test(t)), {
      timeout: 30_000, message: 'status bar "ModelOps · kube · 3/3 ready"', describe: async () => JSON.stringify(await s.wb.statusBarTexts()),
    });
    const deployment = await api.call('GET', '/apis/apps/v1/namespaces/modelops-dask-kube/deployments/dask-workers');
    assert.equal(deployment.status, 200);
    assert.equal(deployment.body.status.availableReplicas, 2, 'the workers are available, as Up waited for');
  });

  it('Health checks the scheduler and the workers on the cluster', async function () {
    await s.wb.runCommand('ModelOps: Health');
    await s.wb.waitForProgressToFinish(/^ModelOps: Health/, { timeout: 240_000 });
    const click = (label, level) => s.wb.selectRow(label, undefined, { level });
    await click('workspace', 1);
    await s.wb.waitForRows((rows) => rows.some((r) => r.label === 'Health' && r.level === 2), { timeout: 30_000, message: 'a Health group under workspace' });
    await click('Health', 2);
    const rows = await s.wb.waitForRows((r) => r.some((x) => x.level === 3 && x.label === 'scheduler'), { timeout: 30_000, message: 'workspace health checks' });
    const checks = rows.filter((r) => r.level === 3);
    assert.deepEqual(checks.map((r) => r.label), ['scheduler', 'workers']);
    for (const r of checks) assert.equal(r.status, 'healthy', `${r.label}: ${r.description}`);
  });

  it('Down asks first, then removes what Up made and leaves the cluster alone', async function () {
    await s.wb.runCommand('ModelOps: Down');
    const modal = await s.wb.waitForDialog({ timeout: 120_000 });
    assert.match(`${modal.message}\n${modal.detail}`, /1\. modelops-adaptive-kube-default \(adaptive-default\)[^\n]*\n2\. modelops-workspace-kube \(workspace\)\n3\. modelops-infra-kube \(cluster\)/);
    await s.wb.answerDialog('Destroy');
    await s.wb.waitForProgressToFinish(/^ModelOps: Down/, { timeout: 480_000 });
    await waitForComponents(s.wb, { cluster: 'absent', workspace: 'absent', 'adaptive-default': 'absent' }, { timeout: 120_000 });
    for (const ns of ['modelops-dask-kube', 'modelops-adaptive-kube-default']) assert.equal((await api.call('GET', `/api/v1/namespaces/${ns}`)).status, 404, `${ns} is gone`);
    assert.equal((await api.call('GET', '/api/v1/nodes/node-1')).status, 200, 'the cluster is untouched');
    assert.equal((await api.call('GET', '/api/v1/namespaces/kube-system')).status, 200);
  });
});
