/**
 * A user of the original modelops upgrades: the real CLI and the real Pulumi engine on the
 * state the original left (originalState.ts), imported into a file backend. Azure, AKS and
 * the provider plugins cannot run here, so azure-native, kubernetes and random are a TEST
 * DOUBLE (test/doubles/providerDouble.ts) that speaks the real provider protocol: creating
 * what already exists fails, as it does in Azure and Kubernetes, and every change it is asked
 * for is journaled.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PreviewDocument } from '../../src/core/protocol';
import { installDoubles } from '../doubles/install';
import { readWorld, type JournalEntry } from '../doubles/providerDouble';
import { deploymentOf, originalStacks, originalWorld, ORIGINAL_CONFIG, ORIGINAL_MODELOPS_YAML, ORIGINAL_POSTGRES_PASSWORD, type OriginalStack } from './originalState';
import { pulumiCli, Sandbox, type Status } from './harness';

/** `pulumi stack init` + `pulumi stack import` of one of the original's stacks, as its machine left it. */
function importOriginal(sandbox: Sandbox, env: NodeJS.ProcessEnv, stack: OriginalStack): void {
  const dir = join(sandbox.dir, 'original', stack.project);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Pulumi.yaml'), `name: ${stack.project}\nruntime: python\n`);
  const file = join(dir, `${stack.stack}.json`);
  writeFileSync(file, JSON.stringify(deploymentOf(stack)));
  const name = `organization/${stack.project}/${stack.stack}`;
  for (const args of [['stack', 'init', name], ['stack', 'import', '--file', file, '--stack', name]]) {
    const r = spawnSync(pulumiCli(), args, { cwd: dir, env, encoding: 'utf8' });
    assert.equal(r.status, 0, `pulumi ${args.join(' ')}: ${r.stderr}`);
  }
}

/** The original's environment in `sandbox`: its stacks imported, its world in the doubles; the CLI's env, and the doubles' journal and world files. */
function originalEnvironment(sandbox: Sandbox, options: { laterRun?: boolean } = {}): { env: NodeJS.ProcessEnv; journalFile: string; worldFile: string } {
  sandbox.write(ORIGINAL_CONFIG);
  const journalFile = join(sandbox.dir, 'journal.jsonl');
  const worldFile = join(sandbox.dir, 'world.json');
  writeFileSync(journalFile, '');
  const stacks = originalStacks(options);
  writeFileSync(worldFile, JSON.stringify(originalWorld(stacks)));
  const env = { PATH: `${installDoubles(sandbox.dir)}:${process.env.PATH}`, MOPS_DOUBLE_WORLD: worldFile, MOPS_DOUBLE_JOURNAL: journalFile };
  const pulumiEnv = { ...sandbox.env(env), PULUMI_BACKEND_URL: pathToFileURL(sandbox.backendDir).href, PULUMI_SKIP_UPDATE_CHECK: 'true' };
  mkdirSync(sandbox.backendDir, { recursive: true });
  for (const stack of stacks) importOriginal(sandbox, pulumiEnv, stack);
  return { env, journalFile, worldFile };
}

const journalOf = (file: string): JournalEntry[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JournalEntry);

describe('first contact: up on the stacks the original made (provider doubles: no Azure, no AKS here)', function () {
  this.timeout(30 * 60_000);
  const sandbox = new Sandbox();
  after(() => sandbox.dispose());

  let env: NodeJS.ProcessEnv;
  let journalFile: string;

  it('is refused (exit 3) with each replace or delete listed, before Pulumi deletes anything', () => {
    ({ env, journalFile } = originalEnvironment(sandbox));
    const r = sandbox.run(['up', 'storage'], ['--skip-preflight'], env);
    assert.equal(r.code, 3, `refused, not failed or done\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout + r.stderr, /modelops-storage-dev was made outside mops-infra .* would delete Secret storage-secret-default\. See it with preview; migrate adopts the stack, or re-run with --allow-replace/);
    assert.deepEqual(journalOf(journalFile).filter((e) => e.op === 'delete' || e.op === 'create').map((e) => `${e.op} ${e.type} ${e.id}`), [], 'nothing was created or deleted');
  });

  it("without `username`, names carry the user name the original finds (here ~/.modelops/config.yaml's): preview plans no replace", () => {
    // The original's own file has no username either: its get_username() found alice in config.yaml.
    sandbox.write(ORIGINAL_CONFIG.replace('username: alice\n', ''));
    mkdirSync(sandbox.home, { recursive: true });
    writeFileSync(join(sandbox.home, 'config.yaml'), 'defaults:\n  environment: dev\n  username: alice\n');
    const someoneElse = { ...env, LOGNAME: 'bob', USER: 'bob' };
    const doc = sandbox.json<PreviewDocument>(['preview'], [], someoneElse);
    for (const c of doc.components) assert.equal(c.changes.replace, 0, `${c.name} would be replaced: ${JSON.stringify(c.resources.filter((r) => r.op === 'replace').map((r) => [r.urn.split('::').pop(), r.reasons]))}`);
    const validate = sandbox.run(['validate'], ['--skip-preflight'], someoneElse);
    assert.match(validate.stdout, /carry the user name "alice", from defaults\.username in .*config\.yaml/, validate.stdout);
    assert.match(validate.stdout, /cluster: AKS cluster modelops-dev-aks-5b96 in resource group modelops-dev-rg-alice/, validate.stdout);
    assert.deepEqual(journalOf(journalFile).filter((e) => e.op !== 'read'), [], 'validate and preview change nothing');
  });

  it('a user whose setup is ~/.modelops/modelops.yaml, in a folder without azure.yaml: every component reads ready, and preview replaces nothing', () => {
    rmSync(sandbox.config);
    writeFileSync(join(sandbox.home, 'modelops.yaml'), ORIGINAL_MODELOPS_YAML);
    const status = sandbox.json<Status>(['status'], [], env);
    assert.deepEqual(status.components.map((c) => `${c.name}: ${c.status}`), ['resource-group', 'registry', 'cluster', 'storage', 'workspace'].map((n) => `${n}: ready`), JSON.stringify(status.components.map((c) => [c.name, c.status, c.reason])));
    const doc = sandbox.json<PreviewDocument>(['preview'], [], env);
    assert.deepEqual(doc.components.map((c) => c.name), ['resource-group', 'registry', 'cluster', 'storage', 'workspace']);
    const losses = doc.components.flatMap((c) => c.resources.filter((r) => r.op === 'create' || r.op === 'replace' || r.op === 'delete').map((r) => `${c.name}: ${r.op} ${r.urn.split('::').pop()}`));
    // Only what migrate takes care of (below): the pool AKS runs already, the secret the original kept in `default`.
    assert.deepEqual(losses.sort(), ['cluster: create aks-pool-cpu', 'storage: delete storage-secret-default']);
    assert.deepEqual(journalOf(journalFile).filter((e) => e.op !== 'read'), [], 'status and preview change nothing');
  });
});

describe('migrate: an environment the original modelops made (provider doubles: no Azure, no AKS here)', function () {
  this.timeout(30 * 60_000);
  const sandbox = new Sandbox();
  let env: NodeJS.ProcessEnv;
  let journalFile: string;
  let worldFile: string;
  const journal = (): JournalEntry[] => journalOf(journalFile);
  const changes = (): JournalEntry[] => journal().filter((e) => e.op !== 'read');

  before(() => ({ env, journalFile, worldFile } = originalEnvironment(sandbox)));

  after(() => sandbox.dispose());

  const planOf = (r: { stdout: string }) => ((JSON.parse(r.stdout) as { plan?: Array<{ stack: string; action: string; reason: string }> }).plan ?? []).map((s) => `${s.stack}: ${s.action} ${s.reason}`);
  /** What a preview would create, replace or delete in a component (updates and reads are what an upgrade may do). */
  const lossesOf = (doc: PreviewDocument, name: string) =>
    (doc.components.find((c) => c.name === name)?.resources ?? [])
      .filter((r) => r.op === 'create' || r.op === 'replace' || r.op === 'delete')
      .map((r) => `${r.op} ${r.urn.split('::').pop()}`)
      .sort();

  it('an up without migrate would create a node pool AKS already runs and delete what the original made: preview says so, replaces nothing', () => {
    const doc = sandbox.json<PreviewDocument>(['preview'], [], env);
    for (const c of doc.components) assert.equal(c.changes.replace, 0, `${c.name}: ${JSON.stringify(c.resources)}`);
    assert.deepEqual(lossesOf(doc, 'cluster'), ['create aks-pool-cpu']);
    assert.deepEqual(lossesOf(doc, 'storage'), ['delete storage-secret-default']);
    for (const name of ['resource-group', 'registry']) assert.deepEqual(lossesOf(doc, name), [], name);
    const rgRead = doc.components.find((c) => c.name === 'cluster')!.resources.find((r) => r.urn.endsWith('::modelops-rg'));
    assert.equal(rgRead?.op, 'read', "the original's .get() of the resource group is dropped from the state, not deleted");
    // The original never exported sas_connection_string; nothing needs it, so the workspace and the run are previewed too.
    for (const name of ['workspace', 'adaptive-default']) {
      assert.equal(doc.components.find((c) => c.name === name)?.note, undefined, name);
      assert.deepEqual(lossesOf(doc, name), [], name);
    }
    assert.deepEqual(changes(), [], 'a preview changes nothing');
  });

  it('migrate says what it forgets and imports, and changes nothing without --yes', () => {
    const r = sandbox.run(['migrate'], ['--json'], env);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.deepEqual(planOf(r), [
      'modelops-infra-dev: import node pool cpu runs already (the original made it inside the cluster): imported as aks-pool-cpu',
      "modelops-storage-dev: forget the original's kubernetes:core/v1:Secret storage-secret-default is no longer managed: forgotten, left as it is",
      "modelops-storage-dev: forget the original's pulumi:providers:kubernetes storage-k8s is no longer managed: forgotten, left as it is",
    ]);
    const dryRun = sandbox.run(['migrate'], ['--dry-run', '--json'], env);
    assert.equal(dryRun.code, 0, 'a dry run (what VS Code asks first) succeeds with the same plan');
    assert.deepEqual(planOf(dryRun), planOf(r));
    assert.deepEqual(changes(), [], 'nothing in Azure or on the cluster changed');
  });

  it('migrate --yes imports the pool and forgets the leftovers, touching nothing in Azure or on the cluster', () => {
    const r = sandbox.run(['migrate'], ['--yes', '--json'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(changes(), []);
    assert.ok(journal().some((e) => e.op === 'read' && e.type === 'azure-native:containerservice:AgentPool'), 'the pool was read from Azure to import it');
    assert.equal(sandbox.run(['migrate'], ['--json'], env).code, 0, 'a second migrate has nothing to do');
  });

  it('then a preview shows no create, replace or delete in any stack of the original', () => {
    const doc = sandbox.json<PreviewDocument>(['preview'], [], env);
    for (const c of doc.components) {
      assert.deepEqual(lossesOf(doc, c.name), [], c.name);
      assert.deepEqual([c.changes.replace, c.changes.delete], [0, 0], `${c.name}: ${c.note ?? ''}`);
    }
  });

  it('and up applies ModelOps Infra\'s programs as updates only: nothing created or deleted, the run keeps its database password', () => {
    const r = sandbox.run(['up'], ['--skip-preflight', '--json'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const made = changes();
    assert.deepEqual(made.filter((e) => e.op !== 'update').map((e) => `${e.op} ${e.type} ${e.id}`), []);
    assert.ok(made.length > 10, `every stack was updated: ${made.length} updates`);
    const world = readWorld(worldFile);
    assert.ok(world['kubernetes:core/v1:Secret default/modelops-storage'], 'the forgotten secret is still on the cluster');
    const postgres = world['kubernetes:core/v1:Secret modelops-adaptive-dev-default/postgres-secret'].outputs as { stringData: Record<string, string> };
    assert.equal(postgres.stringData.POSTGRES_PASSWORD, ORIGINAL_POSTGRES_PASSWORD, 'the password Postgres was initialised with');
    const status = sandbox.status();
    assert.deepEqual(status.components.filter((c) => c.status !== 'ready').map((c) => `${c.name}: ${c.reason}`), []);
  });
});

describe("migrate: after the original's second run, which read its resource group and cluster with .get() (provider doubles)", function () {
  this.timeout(30 * 60_000);
  const sandbox = new Sandbox();
  let env: NodeJS.ProcessEnv;
  let journalFile: string;
  const changes = (): JournalEntry[] => journalOf(journalFile).filter((e) => e.op !== 'read');
  const planOf = (r: { stdout: string }) => ((JSON.parse(r.stdout) as { plan?: Array<{ stack: string; action: string; reason: string }> }).plan ?? []).map((s) => `${s.stack}: ${s.action} ${s.reason}`);

  before(() => ({ env, journalFile } = originalEnvironment(sandbox, { laterRun: true })));
  after(() => sandbox.dispose());

  it('migrate adopts both reads in place (they are the very objects our programs name), and imports the pool', () => {
    const r = sandbox.run(['migrate'], ['--yes', '--json'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const plan = planOf(r);
    assert.ok(plan.some((p) => /^modelops-resource-group-dev: import the original read resource-group-rg with \.get\(\), so it is not managed: adopted in place \(\/subscriptions\/.*\/resourceGroups\/modelops-dev-rg-alice\)$/.test(p)), plan.join('\n'));
    assert.ok(plan.some((p) => /^modelops-infra-dev: import the original read aks-cluster with \.get\(\), so it is not managed: adopted in place \(.*\/managedClusters\/modelops-dev-aks-5b96\)$/.test(p)), plan.join('\n'));
    assert.deepEqual(changes(), [], 'adopting changes nothing in Azure');
  });

  it('then up updates them instead of creating them again (Azure would refuse: they exist), and everything reads ready', () => {
    const r = sandbox.run(['up'], ['--skip-preflight', '--json'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(changes().filter((e) => e.op !== 'update').map((e) => `${e.op} ${e.type} ${e.id}`), []);
    assert.ok(changes().some((e) => e.type === 'azure-native:containerservice:ManagedCluster'), 'the cluster is managed now: azure.yaml is applied to it');
    assert.deepEqual(sandbox.status().components.filter((c) => c.status !== 'ready').map((c) => `${c.name}: ${c.reason}`), []);
  });
});
