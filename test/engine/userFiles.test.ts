/**
 * The files of the user's that the rest of ModelOps reads, kept as the original keeps them.
 *
 * On Azure, a cluster up merges the cluster's context into the user's kubeconfig and selects it, and a
 * cluster down removes it, as the original's `az aks get-credentials --overwrite-existing` and
 * `kubectl config delete-context` do. The real CLI and Pulumi engine; Azure and AKS cannot run here,
 * so azure-native is the TEST DOUBLE of test/doubles/providerDouble.ts, whose AKS hands out a
 * kubeconfig for a real kube-apiserver (scripts/kube-apiserver.mjs): the merged context must reach it.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { OutputsReport, PreviewDocument } from '../../src/core/protocol';
import { startApiServer, type ApiServer } from '../azure/apiserver';
import { installDoubles } from '../doubles/install';
import { registryName } from '../../src/core/names';
import { ORIGINAL_CONFIG, SUBSCRIPTION } from './originalState';
import { Sandbox } from './harness';

type Entry = { name: string; [key: string]: unknown };
type Kubeconfig = { clusters: Entry[]; users: Entry[]; contexts: Entry[]; 'current-context': string };

/** The user's own kubeconfig: a context they use daily, selected. */
const MINE = `# mine
apiVersion: v1
kind: Config
clusters:
  - name: kind-dev
    cluster: { server: "https://127.0.0.1:1" }
users:
  - name: kind-dev
    user: { token: kind-token }
contexts:
  - name: kind-dev
    context: { cluster: kind-dev, user: kind-dev }
current-context: kind-dev
`;

/** GET /version with the current context of `file`, as kubectl would use it. */
function versionWith(file: string): Promise<number> {
  const doc = parse(readFileSync(file, 'utf8')) as Kubeconfig;
  const context = doc.contexts.find((c) => c.name === doc['current-context'])!.context as { cluster: string; user: string };
  const cluster = doc.clusters.find((c) => c.name === context.cluster)!.cluster as { server: string; 'certificate-authority-data': string };
  const user = doc.users.find((u) => u.name === context.user)!.user as { token: string };
  return new Promise((done, fail) => {
    const req = request(`${cluster.server}/version`, { ca: Buffer.from(cluster['certificate-authority-data'], 'base64'), headers: { authorization: `Bearer ${user.token}` } }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
}

describe("the cluster's context in the user's kubeconfig, on Azure (provider doubles; AKS's kubeconfig reaches a real kube-apiserver)", function () {
  this.timeout(20 * 60_000);
  const sandbox = new Sandbox();
  let api: ApiServer;
  let env: NodeJS.ProcessEnv;
  const kube = join(sandbox.dir, 'kube');
  const missing = join(kube, 'not-there');
  const mine = join(kube, 'mine');
  const read = (): Kubeconfig => parse(readFileSync(mine, 'utf8')) as Kubeconfig;

  before(async () => {
    api = await startApiServer();
    mkdirSync(kube, { recursive: true });
    writeFileSync(mine, MINE, { mode: 0o600 });
    const world = join(sandbox.dir, 'world.json');
    writeFileSync(world, '{}');
    sandbox.write(ORIGINAL_CONFIG);
    env = {
      PATH: `${installDoubles(sandbox.dir)}:${process.env.PATH}`,
      MOPS_DOUBLE_WORLD: world,
      MOPS_DOUBLE_AKS_API: JSON.stringify({ server: api.server, ca: api.ca, token: api.token }),
      // kubectl's rule: a new context goes into the first listed file that exists.
      KUBECONFIG: `${missing}:${mine}`,
    };
  });
  after(async () => {
    await api?.stop();
    sandbox.dispose();
  });

  it('up of the cluster merges its context into the first KUBECONFIG file that exists and selects it; kubectl would reach the cluster', async () => {
    const r = sandbox.run(['up', 'cluster'], ['--skip-preflight'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = read();
    const name = doc['current-context'];
    assert.match(name, /^modelops-dev-aks-/);
    assert.match(r.stdout, new RegExp(`context ${name} merged into ${mine} and selected`));
    assert.deepEqual(doc.contexts.map((c) => c.name), ['kind-dev', name]);
    assert.deepEqual(doc.users.map((u) => u.name), ['kind-dev', `clusterUser_modelops-dev-rg-alice_${name}`]);
    assert.match(readFileSync(mine, 'utf8'), /^# mine\n/, 'the rest of the file is as it was');
    assert.equal(existsSync(missing), false, 'no file is made where KUBECONFIG names one that does not exist');
    assert.equal(await versionWith(mine), 200);
    assert.ok(!(r.stdout + r.stderr).includes(api.token), 'the token never reaches the output');
  });

  it('down of the cluster removes its context, cluster and user; the user’s own context stays', () => {
    const r = sandbox.run(['down', 'cluster'], ['--yes'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = read();
    assert.deepEqual([doc.clusters.map((c) => c.name), doc.users.map((u) => u.name), doc.contexts.map((c) => c.name), doc['current-context']], [['kind-dev'], ['kind-dev'], ['kind-dev'], '']);
    assert.match(r.stdout, new RegExp(`context modelops-dev-aks-\\S+ removed from ${mine}`));
  });

  it('with --no-kube-context the kubeconfig is left as it is', () => {
    const before = readFileSync(mine, 'utf8');
    const r = sandbox.run(['up', 'cluster'], ['--skip-preflight', '--no-kube-context'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(readFileSync(mine, 'utf8'), before);
    assert.doesNotMatch(r.stdout, /merged into/);
  });
});

describe('~/.modelops/bundle-env/<env>.yaml, on Azure (provider doubles: no Azure here)', function () {
  this.timeout(20 * 60_000);
  const sandbox = new Sandbox();
  let env: NodeJS.ProcessEnv;
  const file = join(sandbox.home, 'bundle-env', 'dev.yaml');
  type BundleEnv = { environment: string; registry: { login_server: string }; storage: { container: string; connection_string: string; endpoint: string }; timestamp: string };

  before(() => {
    const world = join(sandbox.dir, 'world.json');
    writeFileSync(world, '{}');
    sandbox.write(ORIGINAL_CONFIG);
    env = { PATH: `${installDoubles(sandbox.dir)}:${process.env.PATH}`, MOPS_DOUBLE_WORLD: world, KUBECONFIG: join(sandbox.dir, 'kubeconfig') };
  });
  after(() => sandbox.dispose());

  it('an up of the registry and storage writes it, mode 0600, with what mops job submit reads from them', () => {
    const r = sandbox.run(['up', 'registry', 'storage'], ['--skip-preflight'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`wrote ${file} for mops job submit`));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const doc = parse(readFileSync(file, 'utf8')) as BundleEnv;
    assert.equal(doc.environment, 'dev');
    // New stacks: global names carry the subscription (the original's alone collide across organisations).
    assert.equal(doc.registry.login_server, `${registryName('dev', 'alice', { subscription: SUBSCRIPTION })}.azurecr.io`);
    assert.equal(doc.storage.container, 'bundle-blobs');
    assert.match(doc.storage.connection_string, /^DefaultEndpointsProtocol=https;AccountName=modelopsdevali[0-9a-f]{8};AccountKey=/);
    assert.match(doc.storage.endpoint, /^https:\/\/modelopsdevali[0-9a-f]{8}\.blob\.core\.windows\.net\/$/);
    assert.match(doc.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  });

  it('a down of the storage removes it: job submission must not use an account that is gone', () => {
    const r = sandbox.run(['down', 'storage'], ['--yes'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(existsSync(file), false);
    assert.match(r.stdout, new RegExp(`removed ${file} \\(no storage outputs\\)`));
  });

  it('with --no-bundle-env it is left as it is', () => {
    const r = sandbox.run(['up', 'storage'], ['--skip-preflight', '--no-bundle-env'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(existsSync(file), false);
  });
});

describe("a prod registry the original named at random keeps its name (provider doubles: no Azure here)", function () {
  this.timeout(20 * 60_000);
  const sandbox = new Sandbox();
  let env: NodeJS.ProcessEnv;
  /** `modelops{env}acr` + 4 random characters: what the original's get_acr_name gave this registry (core/naming.py). */
  const RANDOM = 'modelopsprodacrk3x9';

  before(() => {
    const world = join(sandbox.dir, 'world.json');
    writeFileSync(world, '{}');
    env = { PATH: `${installDoubles(sandbox.dir)}:${process.env.PATH}`, MOPS_DOUBLE_WORLD: world, KUBECONFIG: join(sandbox.dir, 'kubeconfig') };
    // The registry as the original left it: made under the random name, which its stack records.
    sandbox.write(`${ORIGINAL_CONFIG}registry:\n  registry_name: ${RANDOM}\n`);
    const r = sandbox.run(['up', 'registry'], ['--skip-preflight', '--env', 'prod'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    sandbox.write(ORIGINAL_CONFIG);
  });
  after(() => sandbox.dispose());

  it('preview plans no replace: the name comes from the stack, not a new derivation', () => {
    const doc = sandbox.json<PreviewDocument>(['preview', 'registry'], ['--env', 'prod'], env);
    const registry = doc.components.find((c) => c.name === 'registry')!;
    assert.equal(registry.changes.replace, 0, JSON.stringify(registry.resources.filter((r) => r.op === 'replace').map((r) => [r.urn.split('::').pop(), r.reasons])));
  });

  it('up keeps it, and validate says so', () => {
    const r = sandbox.run(['up', 'registry'], ['--skip-preflight', '--env', 'prod'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = sandbox.json<OutputsReport>(['outputs', 'registry'], ['--env', 'prod'], env);
    assert.equal(report.outputs.registry_name.value, RANDOM);
    const validate = sandbox.run(['validate'], ['--skip-preflight', '--env', 'prod'], env);
    assert.match(validate.stdout, new RegExp(`registry: container registry ${RANDOM} \\(its stack's name, kept\\)`));
  });
});
