/**
 * The original modelops's own config files, read as it reads them: `modelops.yaml` as its
 * `mops init` writes it, `examples/unified-infra.yaml` (an `infrastructure.yaml`) and
 * `examples/optuna-infra.yaml` (an adaptive run), all from
 * InstituteforDiseaseModeling/modelops at 06153e8 (test/original/).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentsFor, physicalNameOf } from '../../src/core/components';
import { azureYamlFromOriginal } from '../../src/core/config/fromOriginal';
import { parseConfig } from '../../src/core/config/parse';
import { rangeOf } from '../../src/core/config/types';
import { discoverConfig } from '../../src/core/paths';

const ORIGINAL = join(__dirname, '..', '..', '..', 'test', 'original');
const fixture = (name: string): string => readFileSync(join(ORIGINAL, name), 'utf8');
/** `mops init` asks `az` for the subscription; without it the fixture holds the zero GUID, which the original's `infra up` refuses too. */
const modelopsYaml = (): string => fixture('modelops.yaml').replace('00000000-0000-0000-0000-000000000000', '12345678-90ab-cdef-1234-567890abcdef');
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe("the original modelops's config files", () => {
  describe('modelops.yaml (schema_version 2), as mops init writes it', () => {
    it('reads with no problem at all: no error, no warning', () => {
      const parsed = parseConfig(modelopsYaml(), '/home/jane/.modelops/modelops.yaml');
      assert.deepEqual(parsed.problems.filter((p) => p.severity !== 'info').map((p) => `${p.range.start.line} ${p.code}: ${p.message}`), []);
      assert.equal(parsed.format, 'modelops.yaml');
    });

    it('as written, the zero subscription is the one error, on its line', () => {
      const text = fixture('modelops.yaml');
      const errors = parseConfig(text, 'modelops.yaml').problems.filter((p) => p.severity === 'error');
      assert.deepEqual(errors.map((p) => [p.code, p.range.start.line]), [['placeholder-subscription-id', lineOf(text, 'subscription_id')]]);
    });

    it("gives what the original's `infra up` provisions, mapped as it maps them", () => {
      const { config } = parseConfig(modelopsYaml(), 'modelops.yaml');
      assert.ok(config);
      assert.deepEqual(componentsFor(config, config.environment ?? 'dev').map((c) => c.name), ['resource-group', 'registry', 'cluster', 'storage', 'workspace']);
      assert.equal(config.provider, 'azure');
      assert.equal(config.environment, 'dev');
      assert.equal(config.username, 'jane-doe');
      assert.equal(config.location, 'eastus2');
      assert.equal(config.aks?.kubernetesVersion, '1.30');
      assert.deepEqual(config.aks?.nodePools.map((p) => [p.name, p.mode, p.vmSize, p.count, p.min, p.max]), [
        ['system', 'System', 'Standard_B2s', 1, undefined, undefined],
        ['workers', 'User', 'Standard_D8s_v3', 1, 1, 20], // autoscaling from 1 to 20, starting at its minimum
      ]);
      assert.equal(config.registry?.sku, 'Basic');
      assert.equal(config.storage?.sku, 'Standard_LRS');
      assert.equal(config.pulumi.backendUrl, undefined);
      const spec = config.workspace?.spec as { scheduler: Record<string, unknown>; workers: Record<string, unknown>; autoscaling: Record<string, unknown> };
      assert.equal(config.workspace?.metadata.name, 'main-workspace');
      assert.deepEqual(spec.scheduler.resources, { requests: { memory: '2Gi', cpu: '1' }, limits: { memory: '2Gi', cpu: '1' } });
      // worker_replicas: with autoscaling on, the HPA sets the count (a `replicas` would be unused); with it off, it is the count.
      assert.deepEqual([spec.workers.replicas, spec.workers.processes, spec.workers.threads], [undefined, 4, 1]);
      const fixed = parseConfig(modelopsYaml().replace('autoscaling_enabled: true', 'autoscaling_enabled: false'), 'modelops.yaml').config?.workspace?.spec as { workers: Record<string, unknown> };
      assert.equal(fixed.workers.replicas, 2);
      assert.deepEqual(spec.workers.resources, { requests: { memory: '24Gi', cpu: '6' }, limits: { memory: '24Gi', cpu: '6' } });
      assert.equal((spec.workers.env as unknown[]).length, 4);
      // The file's own autoscaling, which the original's `infra up` drops (it deploys 2–20).
      assert.deepEqual(spec.autoscaling, { enabled: true, min_workers: 2, max_workers: 10, target_cpu: 70 });
    });

    it('sections point at their lines: the cluster is `cluster`, the user name `settings.username`', () => {
      const text = modelopsYaml();
      const parsed = parseConfig(text, 'modelops.yaml');
      const components = componentsFor(parsed.config!, 'dev');
      const line = (name: string) => rangeOf(parsed, components.find((c) => c.name === name)!.configPath).start.line;
      assert.equal(line('cluster'), lineOf(text, 'aks:'));
      assert.equal(line('resource-group'), lineOf(text, 'resource_group:'));
      assert.equal(line('workspace'), lineOf(text, 'workspace:'));
      assert.equal(parsed.locate(['username'])?.start.line, lineOf(text, 'username: jane-doe'));
    });

    it('a bad value is reported on its line, in the terms of the file', () => {
      const text = modelopsYaml().replace('worker_replicas: 2', 'worker_replicas: two').replace('scheduler_memory: 2Gi', 'scheduler_memory: 2GB');
      const problems = parseConfig(text, 'modelops.yaml').problems.filter((p) => p.severity === 'error');
      assert.deepEqual(problems.map((p) => [p.code, p.range.start.line]), [
        ['invalid-quantity', lineOf(text, 'scheduler_memory')],
        ['wrong-type', lineOf(text, 'worker_replicas')],
      ]);
      assert.match(problems[0].message, /`workspace\.scheduler_memory`/);
      assert.match(problems[1].message, /worker_replicas/);
    });

    it('the user name is settings.username alone: a cluster.username is said to be unread', () => {
      const text = modelopsYaml().replace('  location: eastus2\n', '  location: eastus2\n  username: someone\n');
      const parsed = parseConfig(text, 'modelops.yaml');
      assert.equal(parsed.config?.username, 'jane-doe');
      assert.deepEqual(parsed.problems.filter((p) => p.code === 'unused-key').map((p) => p.range.start.line), [lineOf(text, 'username: someone')]);
    });

    it('another schema version is refused, saying which one this reads', () => {
      const problems = parseConfig(modelopsYaml().replace('schema_version: 2', 'schema_version: 3'), 'modelops.yaml').problems;
      assert.match(problems.find((p) => p.code === 'unsupported-schema-version')?.message ?? '', /reads 2/);
    });
  });

  describe("infrastructure.yaml (schemaVersion 1): the original's examples/unified-infra.yaml", () => {
    it('reads with no error; its warnings name only keys the original does not read either', () => {
      const text = fixture('unified-infra.yaml');
      const parsed = parseConfig(text, 'unified-infra.yaml');
      assert.equal(parsed.format, 'infrastructure.yaml');
      assert.deepEqual(parsed.problems.filter((p) => p.severity === 'error'), []);
      const warned = parsed.problems.filter((p) => p.severity === 'warning').map((p) => text.split('\n')[p.range.start.line - 1].trim().split(':')[0]);
      // registry.provider (always ACR), storage.resource_group (the account goes into the environment's group), and
      // resources/replica keys its workspace component never reads (it reads resources.requests/limits and autoscaling).
      assert.deepEqual(warned, ['provider', 'resource_group', 'cpu', 'memory', 'min_replicas', 'max_replicas', 'cpu', 'memory']);
    });

    it('gives its components, its user name and the account it names', () => {
      const { config } = parseConfig(fixture('unified-infra.yaml'), 'unified-infra.yaml');
      assert.ok(config);
      assert.deepEqual(componentsFor(config, 'dev').map((c) => c.name), ['resource-group', 'registry', 'cluster', 'storage', 'workspace']);
      assert.equal(config.username, 'vsb');
      assert.equal(config.storage?.accountName, 'modelopsdev');
      assert.deepEqual(config.aks?.nodePools.map((p) => [p.name, p.min, p.max]), [['system', 1, 3], ['workers', 2, 10]]);
      assert.equal((config.workspace?.spec as { autoscaling: { max_workers: number } }).autoscaling.max_workers, 20);
    });
  });

  describe("an adaptive run as the original's examples/optuna-infra.yaml writes it", () => {
    /** The example as a run of an azure.yaml: `adaptive: { optuna: <the file> }`. */
    const asRun = (text: string): string => `provider: local\nadaptive:\n  optuna:\n${text.replace(/^(?=.)/gm, '    ')}`;

    it('reads with no problem: persistence, database and user under central_store are read, not "unknown"', () => {
      const parsed = parseConfig(asRun(fixture('optuna-infra.yaml')), 'azure.yaml');
      assert.deepEqual(parsed.problems.map((p) => `${p.range.start.line} ${p.code}: ${p.message}`), []);
      const run = parsed.config?.adaptive?.optuna;
      assert.deepEqual([run?.persistence, run?.database, run?.user, run?.workers.replicas], [{ enabled: true, size: '10Gi', storageClass: 'managed-csi' }, 'optuna', 'optuna_user', 4]);
    });

    it('values other than the defaults under central_store reach the run', () => {
      const text = fixture('optuna-infra.yaml').replace('size: 10Gi', 'size: 50Gi').replace('database: optuna', 'database: studies').replace('user: optuna_user', 'user: alice');
      const run = parseConfig(asRun(text), 'azure.yaml').config?.adaptive?.optuna;
      assert.deepEqual([run?.persistence.size, run?.database, run?.user], ['50Gi', 'studies', 'alice']);
    });

    it('the same key at the run and under central_store: the one under central_store is read, the other flagged on its line', () => {
      const text = asRun(fixture('optuna-infra.yaml')).replace('    algorithm: optuna', '    database: other\n    algorithm: optuna');
      const parsed = parseConfig(text, 'azure.yaml');
      assert.equal(parsed.config?.adaptive?.optuna.database, 'optuna');
      const warned = parsed.problems.filter((p) => p.severity !== 'info');
      assert.deepEqual(warned.map((p) => [p.code, p.range.start.line]), [['unused-key', lineOf(text, 'database: other')]]);
      assert.match(warned[0].message, /`adaptive\.optuna\.central_store\.database` sets it/);
      assert.equal(warned[0].related?.[0].range.start.line, lineOf(text, 'database: optuna'));
    });
  });
});

describe('which config a run uses when none is named', () => {
  const home = '/home/jane/.modelops';
  const found = (...present: string[]) => discoverConfig('/work', home, (p) => present.includes(p));
  it('azure.yaml here, else modelops.yaml, else infrastructure.yaml in ~/.modelops, as the original looks', () => {
    assert.equal(found('/work/azure.yaml', `${home}/modelops.yaml`), '/work/azure.yaml');
    assert.equal(found(`${home}/modelops.yaml`, `${home}/infrastructure.yaml`), `${home}/modelops.yaml`);
    assert.equal(found(`${home}/infrastructure.yaml`), `${home}/infrastructure.yaml`);
    assert.equal(found(), '/work/azure.yaml', 'none: ./azure.yaml, whose absence is the error');
  });
});

describe("an azure.yaml made from the original's modelops.yaml", () => {
  const made = () => azureYamlFromOriginal(modelopsYaml(), '/home/jane/.modelops/modelops.yaml');

  it('reads with no error or warning, as our own flat file', () => {
    const parsed = parseConfig(made(), '/w/azure.yaml');
    assert.equal(parsed.format, 'azure.yaml');
    assert.deepEqual(parsed.problems.filter((p) => p.severity !== 'info').map((p) => `${p.range.start.line} ${p.code}: ${p.message}`), []);
  });

  it('carries the subscription, resource group, location, AKS and registry over: the same components, names and workspace', () => {
    const original = parseConfig(modelopsYaml(), 'modelops.yaml').config!;
    const config = parseConfig(made(), 'azure.yaml').config!;
    const described = (c: typeof config) => componentsFor(c, 'dev').map((k) => `${k.name}: ${physicalNameOf(c, k, 'dev')} (${k.stack})`);
    assert.deepEqual(described(config), described(original));
    assert.equal(config.subscriptionId, '12345678-90ab-cdef-1234-567890abcdef');
    assert.equal(config.location, 'eastus2');
    assert.equal(config.username, 'jane-doe');
    assert.deepEqual(config.aks, original.aks);
    assert.deepEqual([config.registry?.sku, config.storage?.sku], [original.registry?.sku, original.storage?.sku]);
    assert.deepEqual(config.workspace, original.workspace);
    assert.match(made(), /^# Made from \/home\/jane\/\.modelops\/modelops\.yaml/);
  });

  it('refuses a file with errors, naming the line, rather than carry a placeholder over', () => {
    assert.throws(() => azureYamlFromOriginal(fixture('modelops.yaml'), 'modelops.yaml'), /modelops\.yaml has 1 error \(the first on line 12\): fix it first/);
  });
});
