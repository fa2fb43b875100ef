import { strict as assert } from 'node:assert';
import { CONFIG_PROBLEM_CODES, type ConfigProblemCode } from '../../src/core/config/codes';
import { parseConfig, providerOfText } from '../../src/core/config/parse';
import { sectionsWithoutEffect } from '../../src/core/config/rules';
import type { ParsedConfig, Problem } from '../../src/core/config/types';
import { ED25519_SSH_KEY, ORIGINAL_EXAMPLE, SHORT_RSA_SSH_KEY } from '../fixtures';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

const LOCAL_FILE = lines(
  'provider: local',
  'environment: test',
  'username: alice',
  'storage: {}',
  'workspace:',
  '  apiVersion: modelops/v1',
  '  kind: Workspace',
  '  metadata:',
  '    name: suite',
  '    labels: { team: modelling }',
  '  spec:',
  '    workers:',
  '      replicas: 2',
  '      resources: { limits: { memory: 4Gi } }',
  '    tolerations: []',
  'adaptive:',
  '  default:',
  '    algorithm: optuna',
  '  calib:',
  '    version: 1',
  '    algorithm: hyperopt',
  '    central_store: { kind: postgres, mode: external, host: db.example.com, port: 5432 }',
  '    persistence: { enabled: false, size: 20Gi, storageClass: fast }',
  '    workers: { image: "example/worker:1", replicas: 4, command: [python, -m, worker] }',
  'depends_on:',
  '  adaptive-calib: [adaptive-default]',
  'local:',
  '  root: /tmp/cloud',
  '  faults:',
  '    storage:',
  '      omit_outputs: [connection_string]',
  '    infra:',
  '      fail_after_resources: 2',
  '      step_delay_ms: 50',
);

const parse = (text: string): ParsedConfig => parseConfig(text, '/work/azure.yaml');

function describeProblems(problems: readonly Problem[]): string {
  return problems.slice(0, 30).map((p) => `${p.range.start.line}:${p.range.start.column} ${p.severity} ${p.code}: ${p.message}`).join('\n');
}

function findProblem(text: string, code: ConfigProblemCode): Problem {
  const { problems } = parse(text);
  const problem = problems.find((p) => p.code === code);
  assert.ok(problem, `expected a ${code} problem, got:\n${describeProblems(problems)}`);
  return problem;
}

describe('parseConfig: the original flat example', () => {
  it('parses examples/providers/azure.yaml with no error or warning; two notes say which Azure names it gets', () => {
    const parsed = parse(ORIGINAL_EXAMPLE);
    assert.deepEqual(parsed.problems.map((p) => [p.code, p.severity, p.range.start.line]), [['derived-name', 'info', 5], ['derived-name', 'info', 27]], describeProblems(parsed.problems));
  });

  it('maps it to the typed config with defaults filled in', () => {
    const { config } = parse(ORIGINAL_EXAMPLE);
    assert.deepEqual(config, {
      provider: 'azure',
      subscriptionId: '12345678-90ab-cdef-1234-567890abcdef',
      location: 'eastus2',
      resourceGroup: 'modelops-rg',
      username: 'alice',
      aks: {
        name: 'modelops-cluster',
        kubernetesVersion: '1.32',
        nodePools: [
          { name: 'system', vmSize: 'Standard_B2s', mode: 'System', count: 1, labels: {}, taints: [] },
          {
            name: 'cpu',
            vmSize: 'Standard_D4s_v3',
            mode: 'User',
            count: 1,
            min: 1,
            max: 5,
            labels: { 'modelops.io/role': 'cpu' },
            taints: [{ key: 'modelops.io/role', value: 'cpu', effect: 'NoSchedule' }],
          },
        ],
        network: { serviceCidr: '172.16.0.0/16', dnsServiceIp: '172.16.0.10' },
      },
      acr: { name: 'modelopsacr', sku: 'Standard', perUserRegistry: true },
      ssh: { publicKeyPath: '~/.ssh/id_rsa.pub' },
      adaptive: {},
      pulumi: {},
      dependsOn: {},
      local: { faults: {} },
    });
  });

  it('locates keys and values by path', () => {
    const parsed = parse(ORIGINAL_EXAMPLE);
    const key = parsed.locate(['aks', 'node_pools', 1, 'min']);
    assert.deepEqual(key && { start: key.start, end: key.end }, { start: { line: 19, column: 7 }, end: { line: 19, column: 10 } });
    const value = parsed.locate(['aks', 'node_pools', 1, 'min'], true);
    assert.deepEqual(value && { start: value.start, end: value.end }, { start: { line: 19, column: 12 }, end: { line: 19, column: 13 } });
    assert.equal(ORIGINAL_EXAMPLE.slice(value?.startOffset, value?.endOffset), '1');
    assert.equal(parsed.locate(['aks', 'node_pools', 0])?.start.line, 12);
    assert.equal(parsed.locate(['storage']), undefined);
    assert.equal(parsed.locate(['aks', 'node_pools', 7]), undefined);
    assert.equal(parsed.locate(['resource-group'])?.start.line, 5, 'component names find their section key');
  });

  it('accepts aks.network, which the original component read', () => {
    const parsed = parse(ORIGINAL_EXAMPLE.replace('  node_pools:', '  network: { service_cidr: 10.2.0.0/16, dns_service_ip: 10.2.0.10 }\n  node_pools:'));
    assert.deepEqual(parsed.problems.filter((p) => p.severity !== 'info'), []);
    assert.deepEqual(parsed.config?.aks?.network, { serviceCidr: '10.2.0.0/16', dnsServiceIp: '10.2.0.10' });
  });
});

describe('parseConfig: a local provider file', () => {
  it('parses workspace, adaptive runs, depends_on and faults into the typed config', () => {
    const parsed = parse(LOCAL_FILE);
    assert.deepEqual(parsed.problems, [], describeProblems(parsed.problems));
    assert.deepEqual(parsed.config, {
      provider: 'local',
      environment: 'test',
      username: 'alice',
      location: 'eastus2',
      storage: { sku: 'Standard_LRS' },
      workspace: {
        apiVersion: 'modelops/v1',
        kind: 'Workspace',
        metadata: { name: 'suite', labels: { team: 'modelling' } },
        spec: { workers: { replicas: 2, resources: { limits: { memory: '4Gi' } } }, tolerations: [] },
      },
      adaptive: {
        default: {
          algorithm: 'optuna',
          centralStore: { kind: 'postgres', mode: 'in-cluster' },
          persistence: { enabled: true, size: '10Gi', storageClass: 'managed-csi' },
          database: 'optuna',
          user: 'optuna_user',
          workers: { replicas: 2 },
        },
        calib: {
          algorithm: 'hyperopt',
          centralStore: { kind: 'postgres', mode: 'external', host: 'db.example.com', port: 5432 },
          persistence: { enabled: false, size: '20Gi', storageClass: 'fast' },
          database: 'optuna',
          user: 'optuna_user',
          workers: { image: 'example/worker:1', replicas: 4, command: ['python', '-m', 'worker'] },
        },
      },
      pulumi: {},
      dependsOn: { 'adaptive-calib': ['adaptive-default'] },
      local: {
        root: '/tmp/cloud',
        faults: {
          storage: { omitOutputs: ['connection_string'], stepDelayMs: 0 },
          cluster: { omitOutputs: [], failAfterResources: 2, stepDelayMs: 50 },
        },
      },
    });
  });

  it('needs nothing but `provider: local`', () => {
    const parsed = parse('provider: local\n');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.config, { provider: 'local', location: 'eastus2', adaptive: {}, pulumi: {}, dependsOn: {}, local: { faults: {} } });
  });

  it('fills registry and node pool defaults', () => {
    const parsed = parse(lines('provider: local', 'registry:', 'aks:', '  node_pools:', '    - name: first', '    - name: second', '      min: 2', '      max: 4'));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.config?.registry, { sku: 'Standard', perUserRegistry: true, grantClusterPull: true, bundleRepo: 'modelops-bundles' });
    assert.deepEqual(parsed.config?.aks?.nodePools, [
      { name: 'first', vmSize: 'Standard_DS2_v2', mode: 'System', count: 1, labels: {}, taints: [] },
      { name: 'second', vmSize: 'Standard_DS2_v2', mode: 'User', count: 2, min: 2, max: 4, labels: {}, taints: [] },
    ]);
  });

  it('canonicalises component names in depends_on and merges aliases', () => {
    const parsed = parse(lines('provider: local', 'resource_group: rg', 'storage: {}', 'depends_on:', '  storage: [resource_group, infra]', '  resource-group: []', '  resource_group: [cluster]'));
    assert.deepEqual(parsed.problems.filter((p) => p.code !== 'duplicate-key' && p.code !== 'derived-name'), []);
    assert.deepEqual(parsed.config?.dependsOn, { storage: ['resource-group', 'cluster'], 'resource-group': ['cluster'] });
  });

  it('follows anchors and aliases', () => {
    const parsed = parse(lines('provider: local', 'aks:', '  node_pools:', '    - &pool { name: system, count: 1 }', '    - { name: user, count: 2 }', 'x-unused: *pool'));
    assert.deepEqual(parsed.config?.aks?.nodePools.map((p) => p.name), ['system', 'user']);
    assert.deepEqual(parsed.problems.map((p) => p.code), ['unknown-key']);
  });

  it('casts label values to text as written', () => {
    const parsed = parse(lines('provider: local', 'aks:', '  node_pools:', '    - name: system', '      labels: { version: 1.10, enabled: true, empty: }'));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.config?.aks?.nodePools[0].labels, { version: '1.10', enabled: 'true', empty: '' });
  });

  it('accepts taints as mappings', () => {
    const parsed = parse(lines('provider: local', 'aks:', '  node_pools:', '    - name: system', '      taints: [{ key: gpu, effect: NoExecute }, "dedicated:PreferNoSchedule"]'));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.config?.aks?.nodePools[0].taints, [
      { key: 'gpu', effect: 'NoExecute' },
      { key: 'dedicated', effect: 'PreferNoSchedule' },
    ]);
  });
});

interface RuleCase {
  name: string;
  code: ConfigProblemCode;
  text: string;
  line: number;
  column: number;
  severity?: Problem['severity'];
  /** Something the message must say (how to fix it). */
  says?: RegExp;
}

/** A local file with a workspace whose spec is `specLines` (from line 5). */
const spec = (...specLines: string[]): string => lines('provider: local', 'workspace:', '  metadata: { name: w }', '  spec:', ...specLines);

const AZURE_HEAD = ['provider: azure', 'subscription_id: "12345678-90ab-cdef-1234-567890abcdef"', 'resource_group: modelops-rg'];
const azure = (...rest: string[]): string => lines(...AZURE_HEAD, 'aks:', '  name: modelops-cluster', ...rest);
const withPools = (...pools: string[]): string => lines('provider: local', 'aks:', '  node_pools:', ...pools);

function aliasBomb(): string {
  let text = 'provider: local\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < 9; i++) {
    const name = String.fromCharCode(97 + i);
    const previous = String.fromCharCode(96 + i);
    text += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
  }
  return text;
}

const RULE_CASES: RuleCase[] = [
  // The file as a whole
  { name: 'a file over 2 MB', code: 'file-too-large', text: `provider: local\n#${'x'.repeat(2 * 1024 * 1024)}`, line: 1, column: 1 },
  { name: 'an empty file', code: 'empty-config', text: '', line: 1, column: 1, says: /provider: local/ },
  { name: 'a file of comments', code: 'empty-config', text: '# nothing yet\n\n', line: 1, column: 1 },
  { name: 'a list document', code: 'not-a-mapping', text: '- provider: local\n', line: 1, column: 1 },
  { name: 'a scalar document', code: 'not-a-mapping', text: 'provider local\n', line: 1, column: 1 },
  { name: 'two documents', code: 'multiple-documents', text: 'provider: local\n---\nprovider: azure\n', line: 2, column: 1, says: /---/ },
  { name: 'an unclosed flow sequence', code: 'yaml-syntax', text: 'provider: local\nadaptive: [a, b\nstorage: {}\n', line: 3, column: 1 },
  { name: 'a tab indent', code: 'yaml-tab-indent', text: 'provider: local\nstorage:\n\tsku: Standard_LRS\n', line: 3, column: 1, says: /spaces/ },
  { name: 'a UTF-16 file', code: 'not-utf8', text: Buffer.from('\ufeffprovider: local\n', 'utf16le').toString('utf8'), line: 1, column: 1, says: /not UTF-8 text: it looks like UTF-16/ },
  { name: 'a dangling alias', code: 'yaml-syntax', text: 'provider: local\nstorage: *nothing\n', line: 2, column: 10, says: /&nothing/ },
  { name: 'a billion laughs', code: 'yaml-alias-limit', text: aliasBomb(), line: 3, column: 8 },
  { name: 'deep nesting', code: 'yaml-too-deep', text: `provider: local\nx: ${'['.repeat(5000)}`, line: 2, column: 104 },
  { name: 'an unknown tag', code: 'yaml-unknown-tag', text: 'provider: !cloud local\n', line: 1, column: 11, severity: 'warning' },
  { name: 'a repeated key', code: 'duplicate-key', text: 'provider: local\nlocation: eastus\nlocation: westus\n', line: 3, column: 1 },
  { name: 'a list as key', code: 'non-string-key', text: 'provider: local\n? [a, b]\n: c\n', line: 2, column: 3 },
  { name: 'modelops.yaml of another version', code: 'unsupported-schema-version', text: 'schema_version: 3\nsettings: { username: jane }\n', line: 1, column: 17, says: /reads 2/ },
  // Shapes
  { name: 'node_pools: 5', code: 'wrong-type', text: lines('provider: local', 'aks:', '  node_pools: 5'), line: 3, column: 15, says: /must be a list/ },
  { name: 'count: "three"', code: 'wrong-type', text: withPools('    - name: system', '      count: "three"'), line: 5, column: 14, says: /whole number/ },
  { name: 'an unquoted version', code: 'wrong-type', text: lines('provider: local', 'aks:', '  kubernetes_version: 1.30'), line: 3, column: 23, says: /"1\.30"/ },
  { name: 'a mapping where text goes', code: 'wrong-type', text: lines('provider: local', 'location:', '  region: eastus'), line: 2, column: 1, says: /must be text/ },
  { name: 'a typo in a pool key', code: 'unknown-key', text: withPools('    - name: system', '      vm_sise: Standard_B2s'), line: 5, column: 7, severity: 'warning', says: /Did you mean `vm_size`\?/ },
  { name: 'a typo at the top', code: 'unknown-key', text: 'provider: local\nlocaton: eastus\n', line: 2, column: 1, severity: 'warning', says: /Did you mean `location`\?.*`depends_on`/ },
  { name: 'a misspelt environment', code: 'unknown-key', text: 'provider: local\nenviroment: demo\n', line: 2, column: 1, says: /Did you mean `environment`\?.*second environment/ },
  { name: 'ssh_public_key', code: 'unused-key', text: 'provider: local\nssh_public_key: ssh-rsa AAAA\n', line: 2, column: 1, severity: 'warning', says: /ssh\.public_key|public_key/ },
  { name: 'storage.resource_group', code: 'unused-key', text: lines('provider: local', 'resource_group: rg', 'storage:', '  resource_group: other'), line: 4, column: 3, severity: 'warning' },
  { name: 'no provider', code: 'missing-required', text: 'location: eastus2\n', line: 1, column: 1, says: /provider: local/ },
  { name: 'azure without aks', code: 'missing-required', text: lines(...AZURE_HEAD), line: 1, column: 1, says: /`aks` is required/ },
  { name: 'azure with a resource group but no aks', code: 'missing-required', text: lines('provider: azure', 'resource_group: rg'), line: 1, column: 1, says: /`aks` is required/ },
  { name: 'workers.replicas under the default HPA on azure', code: 'unused-key', text: azure('workspace:', '  metadata: { name: w }', '  spec:', '    scheduler: { image: s }', '    workers:', '      image: w', '      replicas: 2'), line: 12, column: 7, severity: 'warning', says: /not used while autoscaling is on/ },
  { name: 'an HPA minimum of 0', code: 'out-of-range', text: spec('    autoscaling: { min_workers: 0 }'), line: 5, column: 33, says: /at least 1/ },
  { name: 'a typo in workspace workers', code: 'unknown-key', text: spec('    workers:', '      replcas: 2'), line: 6, column: 7, severity: 'warning', says: /Did you mean `replicas`\?/ },
  { name: 'negative workspace replicas', code: 'out-of-range', text: spec('    workers:', '      replicas: -1'), line: 6, column: 17, says: /between 0 and 1000/ },
  { name: 'workspace replicas as a word', code: 'wrong-type', text: spec('    workers:', '      replicas: two'), line: 6, column: 17, says: /whole number/ },
  { name: 'zero Dask processes', code: 'out-of-range', text: spec('    workers:', '      processes: 0'), line: 6, column: 18 },
  { name: 'memory in GB letters', code: 'invalid-quantity', text: spec('    workers:', '      resources: { limits: { memory: 8GB } }'), line: 6, column: 38, says: /"8GB"; it must be a size like "512Mi"/ },
  { name: 'a CPU request that is not a quantity', code: 'invalid-quantity', text: spec('    scheduler:', '      resources: { requests: { cpu: one } }'), line: 6, column: 37 },
  { name: 'a memory limit below its request', code: 'limit-below-request', text: spec('    workers:', '      resources:', '        requests: { memory: 8Gi }', '        limits: { memory: 4Gi }'), line: 8, column: 27, says: /below its request/ },
  { name: 'autoscaling max below min', code: 'out-of-range', text: spec('    autoscaling: { min_workers: 5, max_workers: 2 }'), line: 5, column: 49, says: /below `min_workers` \(5\)/ },
  { name: 'a target CPU of 5%', code: 'out-of-range', text: spec('    autoscaling: { target_cpu: 5 }'), line: 5, column: 32, says: /between 10 and 100/ },
  { name: 'a misspelt toleration effect', code: 'invalid-enum', text: spec('    tolerations: [{ key: gpu, operator: Exists, effect: NoSchedul }]'), line: 5, column: 57, says: /Did you mean `NoSchedule`\?/ },
  { name: 'an unknown spec key', code: 'unknown-key', text: spec('    worker: { replicas: 2 }'), line: 5, column: 5, severity: 'warning', says: /Did you mean `workers`\?/ },
  { name: 'resource_group is not the Azure name', code: 'derived-name', text: lines('provider: local', 'environment: staging', 'username: bob', 'resource_group: rg'), line: 4, column: 1, severity: 'info', says: /`modelops-staging-rg-bob`/ },
  { name: 'acr.name is not the Azure name', code: 'derived-name', text: lines('provider: local', 'acr:', '  name: teamacr'), line: 3, column: 3, severity: 'info', says: /registry_name/ },
  { name: 'a pool without a name', code: 'missing-required', text: withPools('    - vm_size: Standard_B2s'), line: 4, column: 7 },
  { name: 'a workspace without metadata.name', code: 'missing-required', text: lines('provider: local', 'workspace:', '  metadata: {}'), line: 3, column: 3 },
  { name: 'an azure workspace without images', code: 'missing-required', text: azure('workspace:', '  metadata: { name: w }', '  spec:', '    scheduler: { image: s }', '    workers: { replicas: 2 }'), line: 10, column: 5, says: /workers image/ },
  { name: 'an external store without host', code: 'missing-required', text: lines('provider: local', 'adaptive:', '  run:', '    central_store: { mode: external, port: 5432 }'), line: 4, column: 28, says: /`host`/ },
  { name: 'a mistyped mode', code: 'invalid-enum', text: withPools('    - name: system', '      mode: Systen'), line: 5, column: 13, says: /Did you mean `System`\?/ },
  { name: 'an unknown sku', code: 'invalid-enum', text: lines('provider: local', 'storage:', '  sku: Standard_ZRS'), line: 3, column: 8 },
  { name: 'a wrong workspace kind', code: 'invalid-enum', text: lines('provider: local', 'workspace:', '  kind: Job', '  metadata: { name: w }'), line: 3, column: 9 },
  { name: 'count: 0', code: 'out-of-range', text: withPools('    - name: system', '      count: 0'), line: 5, column: 14, says: /at least 1/ },
  { name: 'max: 0', code: 'out-of-range', text: withPools('    - name: system', '      min: 0', '      max: 0'), line: 6, column: 12 },
  { name: '101 adaptive workers', code: 'out-of-range', text: lines('provider: local', 'adaptive:', '  run:', '    workers: { replicas: 101 }'), line: 4, column: 26, says: /between 1 and 100/ },
  { name: 'a negative step delay', code: 'out-of-range', text: lines('provider: local', 'local:', '  faults:', '    cluster: { step_delay_ms: -5 }'), line: 4, column: 31 },
  { name: 'a step delay of three years', code: 'out-of-range', text: lines('provider: local', 'local:', '  faults:', '    cluster: { step_delay_ms: 99999999999 }'), line: 4, column: 31, says: /between 0 and 600000/ },
  { name: 'an omitted output readiness never checks', code: 'invalid-enum', text: lines('provider: local', 'storage: {}', 'local:', '  faults:', '    storage: { omit_outputs: [connection_strng] }'), line: 5, column: 31, severity: 'warning', says: /rehearses nothing\. Did you mean `connection_string`\?/ },
  { name: 'adaptive version 2', code: 'invalid-version', text: lines('provider: local', 'adaptive:', '  run:', '    version: 2'), line: 4, column: 14 },
  { name: 'storage version 3', code: 'invalid-version', text: lines('provider: local', 'storage:', '  version: 3'), line: 3, column: 12 },
  { name: 'a connection string that names no account', code: 'invalid-connection-string', text: lines('provider: kubernetes', 'storage:', '  connection_string: "AccountKey=k"'), line: 3, column: 22, says: /names no account/ },
  { name: 'an account key written in the file', code: 'secret-in-config', text: lines('provider: kubernetes', 'storage:', '  connection_string: "AccountName=a;AccountKey=k"'), line: 3, column: 22, severity: 'warning', says: /connection_string_env/ },
  { name: 'a variable name with a space', code: 'invalid-env-name', text: lines('provider: kubernetes', 'storage:', '  connection_string_env: "MY VAR"'), line: 3, column: 26 },
  // Top level
  { name: 'provider: aws', code: 'invalid-provider', text: 'provider: aws\n', line: 1, column: 11, says: /`azure`.*`local`/ },
  { name: 'no subscription', code: 'missing-subscription-id', text: lines('provider: azure', 'resource_group: rg', 'aks: {}'), line: 1, column: 1, severity: 'warning', says: /AZURE_SUBSCRIPTION_ID/ },
  { name: 'a bad GUID', code: 'invalid-subscription-id', text: lines('provider: local', 'subscription_id: 1234-5678'), line: 2, column: 18, says: /az account show/ },
  { name: 'the placeholder', code: 'placeholder-subscription-id', text: lines('provider: local', 'subscription_id: YOUR_SUBSCRIPTION_ID'), line: 2, column: 18 },
  { name: 'the zero GUID', code: 'placeholder-subscription-id', text: lines('provider: local', 'subscription_id: 00000000-0000-0000-0000-000000000000'), line: 2, column: 18 },
  { name: 'a resource group ending in .', code: 'invalid-resource-group-name', text: lines('provider: local', 'resource_group: my-rg.'), line: 2, column: 17, says: /trailing period/ },
  { name: 'a resource group with spaces', code: 'invalid-resource-group-name', text: lines('provider: local', 'resource_group: "my rg"'), line: 2, column: 17 },
  { name: 'a 91-character resource group', code: 'invalid-resource-group-name', text: lines('provider: local', `resource_group: ${'r'.repeat(91)}`), line: 2, column: 17, says: /1–90/ },
  { name: 'a username with capitals and dots', code: 'username-sanitised', text: lines('provider: local', 'username: Alice.Smith'), line: 2, column: 11, severity: 'warning', says: /"alicesmith"/ },
  { name: 'a display-style region', code: 'invalid-location', text: lines('provider: local', 'location: East US 2'), line: 2, column: 11, severity: 'warning', says: /"eastus2"/ },
  { name: 'an environment with capitals', code: 'invalid-environment-name', text: lines('provider: local', 'environment: Dev'), line: 2, column: 14, says: /"dev"/ },
  { name: 'an environment with accents', code: 'invalid-environment-name', text: lines('provider: local', 'environment: ünï'), line: 2, column: 14, says: /Use "uni"/ },
  { name: 'a 21-character environment', code: 'invalid-environment-name', text: lines('provider: local', `environment: ${'e'.repeat(21)}`), line: 2, column: 14 },
  { name: 'an environment ending in -', code: 'invalid-environment-name', text: lines('provider: local', 'environment: dev-'), line: 2, column: 14 },
  { name: 'an ftp backend', code: 'invalid-backend-url', text: lines('provider: local', 'pulumi:', '  backend_url: ftp://state'), line: 3, column: 16, says: /azblob:\/\// },
  // Cluster
  { name: 'a cluster name with _', code: 'invalid-cluster-name', text: lines('provider: local', 'aks:', '  name: modelops_cluster'), line: 3, column: 9, says: /"modelops-cluster"/ },
  { name: 'version 1.x', code: 'invalid-kubernetes-version', text: lines('provider: local', 'aks:', '  kubernetes_version: "1.x"'), line: 3, column: 23 },
  { name: 'only User pools', code: 'no-system-pool', text: withPools('    - name: cpu', '      mode: User'), line: 3, column: 3, says: /mode: System/ },
  { name: 'count with min and max', code: 'pool-sizing', text: withPools('    - name: system', '      count: 2', '      min: 1', '      max: 3'), line: 5, column: 14, says: /not both/ },
  { name: 'min without max', code: 'pool-sizing', text: withPools('    - name: system', '      min: 1'), line: 5, column: 12, says: /Add `max`/ },
  { name: 'min above max', code: 'pool-sizing', text: withPools('    - name: system', '      min: 5', '      max: 2'), line: 5, column: 12 },
  { name: 'a pool name with -', code: 'invalid-pool-name', text: withPools('    - name: cpu-workers'), line: 4, column: 13, says: /"cpuworkers"/ },
  { name: 'a 13-character pool name', code: 'invalid-pool-name', text: withPools('    - name: abcdefghijklm'), line: 4, column: 13 },
  { name: 'a pool name starting with a digit', code: 'invalid-pool-name', text: withPools('    - name: 1pool'), line: 4, column: 13 },
  { name: 'two pools named system', code: 'duplicate-pool-name', text: withPools('    - name: system', '    - name: system'), line: 5, column: 13 },
  { name: 'a label key with a space', code: 'invalid-label-key', text: withPools('    - name: system', '      labels:', '        "bad key": x'), line: 6, column: 9 },
  { name: 'a label key with a bad prefix', code: 'invalid-label-key', text: withPools('    - name: system', '      labels:', '        Example.COM/role: x'), line: 6, column: 9, says: /prefix/ },
  { name: 'a label value with a space', code: 'invalid-label-value', text: withPools('    - name: system', '      labels:', '        role: "a b"'), line: 6, column: 15 },
  { name: 'a 64-character label value', code: 'invalid-label-value', text: withPools('    - name: system', '      labels:', `        role: ${'v'.repeat(64)}`), line: 6, column: 15 },
  { name: 'a taint without effect', code: 'invalid-taint', text: withPools('    - name: system', '      taints: ["role=cpu"]'), line: 5, column: 16 },
  { name: 'a taint with a bad effect', code: 'invalid-taint', text: withPools('    - name: system', '      taints:', '        - role=cpu:NoEntry'), line: 6, column: 11, says: /NoSchedule/ },
  { name: 'a taint mapping with a bad effect', code: 'invalid-taint', text: withPools('    - name: system', '      taints:', '        - { key: role, effect: Never }'), line: 6, column: 11 },
  { name: 'a bad service CIDR', code: 'invalid-cidr', text: lines('provider: local', 'aks:', '  network:', '    service_cidr: 10.0.0.0/33'), line: 4, column: 19 },
  { name: 'a CIDR with host bits', code: 'invalid-cidr', text: lines('provider: local', 'aks:', '  network: { service_cidr: 10.0.0.1/16, dns_service_ip: 10.0.0.10 }'), line: 3, column: 28, says: /10\.0\.0\.0\/16/ },
  { name: 'a bad DNS IP', code: 'invalid-ip-address', text: lines('provider: local', 'aks:', '  network:', '    dns_service_ip: 10.0.0.300'), line: 4, column: 21 },
  { name: 'a DNS IP outside the CIDR', code: 'dns-ip-outside-cidr', text: lines('provider: local', 'aks:', '  network:', '    service_cidr: 10.0.0.0/16', '    dns_service_ip: 10.1.0.10'), line: 5, column: 21, says: /10\.0\.0\.10/ },
  { name: 'the network address as DNS IP', code: 'dns-ip-outside-cidr', text: lines('provider: local', 'aks:', '  network:', '    dns_service_ip: 172.16.0.0'), line: 4, column: 21 },
  { name: 'a private key as public key', code: 'invalid-ssh-public-key', text: lines('provider: local', 'ssh:', '  public_key: "-----BEGIN OPENSSH PRIVATE KEY-----"'), line: 3, column: 15 },
  { name: 'an ed25519 key (AKS takes RSA only)', code: 'invalid-ssh-public-key', text: lines('provider: azure', 'ssh:', `  public_key: "${ED25519_SSH_KEY}"`), line: 3, column: 15, says: /ssh-ed25519 key, and AKS accepts only RSA keys .*ssh-keygen -t rsa -b 4096/ },
  { name: 'a 1024-bit RSA key', code: 'invalid-ssh-public-key', text: lines('provider: azure', 'ssh:', `  public_key: "${SHORT_RSA_SSH_KEY}"`), line: 3, column: 15, says: /1024-bit RSA key, and AKS needs at least 2048 bits/ },
  { name: 'an RSA key cut short', code: 'invalid-ssh-public-key', text: lines('provider: azure', 'ssh:', '  public_key: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCrYjun6Sr9"'), line: 3, column: 15, says: /cut short/ },
  // Registry, storage
  { name: 'an ACR name with -', code: 'invalid-acr-name', text: lines('provider: local', 'acr:', '  name: my-acr'), line: 3, column: 9, says: /"myacr"/ },
  { name: 'a 4-character registry_name', code: 'invalid-acr-name', text: lines('provider: local', 'registry:', '  registry_name: acr1'), line: 3, column: 18 },
  { name: 'a storage account with capitals', code: 'invalid-storage-account-name', text: lines('provider: local', 'storage:', '  account_name: ModelOpsStore'), line: 3, column: 17, says: /"modelopsstore"/ },
  { name: 'a 25-character storage account', code: 'invalid-storage-account-name', text: lines('provider: local', 'storage:', `  account_name: ${'s'.repeat(25)}`), line: 3, column: 17 },
  // Workspace, adaptive
  { name: 'a namespace with _', code: 'invalid-namespace', text: lines('provider: local', 'workspace:', '  metadata: { name: w, namespace: my_ns }'), line: 3, column: 35 },
  { name: 'an adaptive run on a cluster without a workers image', code: 'missing-required', text: lines('provider: kubernetes', 'adaptive:', '  calib: { algorithm: optuna }'), line: 3, column: 3, says: /`adaptive\.calib\.workers` is required .*never published.*workers: \{ image: / },
  { name: 'adaptive workers on a cluster without an image', code: 'missing-required', text: lines('provider: kubernetes', 'adaptive:', '  calib:', '    workers: { replicas: 3 }'), line: 4, column: 5, says: /`adaptive\.calib\.workers\.image` is required/ },
  { name: 'a run name with capitals', code: 'invalid-run-name', text: lines('provider: local', 'adaptive:', '  Calibration: {}'), line: 3, column: 3, says: /"calibration"/ },
  { name: 'a run name too long for the namespace', code: 'invalid-run-name', text: lines('provider: local', 'environment: staging', 'adaptive:', `  ${'r'.repeat(40)}: {}`), line: 4, column: 3, says: /63/ },
  { name: 'a size in GB', code: 'invalid-quantity', text: lines('provider: local', 'adaptive:', '  run:', '    persistence: { size: 10GB }'), line: 4, column: 26, says: /10Gi/ },
  // Graph, local provider
  { name: 'an unknown dependency', code: 'unknown-component', text: lines('provider: local', 'depends_on:', '  cluster: [databse]'), line: 3, column: 13, says: /resource-group/ },
  { name: 'a dependency on an absent section', code: 'unknown-component', text: lines('provider: local', 'depends_on:', '  workspace: [cluster]'), line: 3, column: 3, says: /add a `workspace` section/ },
  { name: 'a fault for an unknown run', code: 'unknown-component', text: lines('provider: local', 'adaptive: { main: {} }', 'local:', '  faults:', '    adaptive-mian: {}'), line: 5, column: 5, says: /Did you mean `adaptive-main`\?/ },
  { name: '1,200 unknown keys', code: 'too-many-problems', text: `provider: local\n${Array.from({ length: 1200 }, (_, i) => `k${i}: 1`).join('\n')}\n`, line: 1001, column: 1, severity: 'info' },
];

describe('parseConfig: every rule, with its exact position', () => {
  for (const rule of RULE_CASES) {
    it(`${rule.code}: ${rule.name}`, () => {
      const problem = findProblem(rule.text, rule.code);
      assert.deepEqual(problem.range.start, { line: rule.line, column: rule.column }, `${rule.code} at the wrong place:\n${describeProblems(parse(rule.text).problems)}`);
      assert.equal(problem.severity, rule.severity ?? 'error');
      assert.equal(problem.file, '/work/azure.yaml');
      if (rule.says) assert.match(problem.message, rule.says);
    });
  }

  it('has at least one case for every problem code', () => {
    const covered = new Set(RULE_CASES.map((c) => c.code));
    const missing = Object.keys(CONFIG_PROBLEM_CODES).filter((code) => !covered.has(code as ConfigProblemCode));
    assert.deepEqual(missing, []);
  });

  it('reports a duplicate key with the first one as related', () => {
    const problem = findProblem('provider: local\nlocation: eastus\nlocation: westus\n', 'duplicate-key');
    assert.equal(problem.related?.[0].range.start.line, 2);
  });

  it('reports a duplicate pool with the first one as related', () => {
    const problem = findProblem(withPools('    - name: system', '    - name: system'), 'duplicate-pool-name');
    assert.equal(problem.related?.[0].range.start.line, 4);
  });
});

describe('parseConfig: hostile input', () => {
  const hostile: Array<[string, string, ConfigProblemCode]> = [
    ['5 MB', `provider: local\nx: "${'y'.repeat(5 * 1024 * 1024)}"\n`, 'file-too-large'],
    ['a billion laughs', aliasBomb(), 'yaml-alias-limit'],
    ['a million brackets', '['.repeat(1_000_000), 'yaml-too-deep'],
    ['deeply nested mappings', '{a: '.repeat(200_000), 'yaml-too-deep'],
    ['deeply nested block sequences', '- '.repeat(300_000), 'yaml-too-deep'],
    ['tab-separated block sequences', '-\t'.repeat(300_000), 'yaml-too-deep'],
    ['deep block indentation', Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'), 'yaml-too-deep'],
    ['binary and custom tags', 'provider: !!binary bG9jYWw=\naks: !!set { a, b }\nlocation: !!int eastus\n', 'wrong-type'],
    ['non-string keys', '? { a: 1 }\n: x\n1: y\n~: z\ntrue: w\nprovider: local\n', 'non-string-key'],
    ['wrong types everywhere', lines('provider: [local]', 'aks: 5', 'acr: []', 'ssh: "x"', 'storage: 1', 'registry: true', 'workspace: []', 'adaptive: [a]', 'environment: {}', 'pulumi: 3', 'depends_on: x', 'local: [1]'), 'wrong-type'],
    ['a key named __proto__', lines('provider: local', 'adaptive:', '  __proto__: { algorithm: optuna }', 'workspace:', '  metadata: { name: w, __proto__: { polluted: true } }'), 'invalid-run-name'],
    ['control characters', 'provider: local\n\u0001\u0002\u0003: \u001f\n', 'unknown-key'],
    ['binary data', 'provider: local\n\u0000\u0001\u0002: \u001f\n', 'not-utf8'],
    ['bytes that are not UTF-8', Buffer.from([0x70, 0x3a, 0x20, 0xff, 0xfe, 0x0a]).toString('utf8'), 'not-utf8'],
    ['many aliases of one anchor', `provider: local\nx: &x [1, 2]\nl: [${Array(50_000).fill('*x').join(',')}]\n`, 'yaml-alias-limit'],
  ];
  for (const [name, text, code] of hostile) {
    // No timing assertion: mocha's timeout catches a hang; speed lives in bench/.
    it(`turns ${name} into ${code}, without throwing`, () => {
      const parsed = parse(text);
      assert.ok(parsed.problems.some((p) => p.code === code), describeProblems(parsed.problems));
      for (const p of parsed.problems) {
        assert.ok(p.range.startOffset >= 0 && p.range.endOffset <= text.length && p.range.startOffset <= p.range.endOffset);
        assert.ok(p.range.start.line >= 1 && p.range.start.column >= 1);
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }

  it('reads a byte-order mark and CRLF line ends', () => {
    const parsed = parse('\uFEFFprovider: local\r\nlocation: westus2\r\nenvironment: dev\r\n');
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.config?.location, 'westus2');
    assert.deepEqual(parsed.locate(['environment'])?.start, { line: 3, column: 1 });
  });

  it('keeps __proto__ as an ordinary run name', () => {
    const parsed = parse(lines('provider: local', 'adaptive:', '  __proto__: { algorithm: hyperopt }'));
    assert.equal(Object.getPrototypeOf(parsed.config?.adaptive), Object.prototype);
    assert.equal(Object.keys(parsed.config?.adaptive ?? {}).length, 1);
    assert.ok(parsed.problems.some((p) => p.code === 'invalid-run-name'));
  });

  it('parses a 2,000-line file without problems (its speed is measured in bench/)', () => {
    let text = 'provider: local\nenvironment: dev\naks:\n  node_pools:\n';
    for (let i = 0; i < 250; i++) {
      text += lines(`    - name: pool${i}`, '      vm_size: Standard_D4s_v3', `      mode: ${i === 0 ? 'System' : 'User'}`, '      min: 1', '      max: 5', '      labels:', '        modelops.io/role: cpu', '      taints: ["modelops.io/role=cpu:NoSchedule"]');
    }
    assert.ok(text.split('\n').length >= 2000);
    const parsed = parse(text);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.config?.aks?.nodePools.length, 250);
  });
});

describe('sections a provider ignores', () => {
  it('are exactly those the reader flags unused with that provider, so completion leaves out what would be flagged', () => {
    for (const provider of ['azure', 'kubernetes', 'local'] as const) {
      for (const key of sectionsWithoutEffect(provider)) {
        const text = `provider: ${provider}\n${key}: {}\n`;
        const flagged = parse(text).problems.some((p) => p.code === 'unused-key' && p.range.start.line === 2);
        assert.ok(flagged, `${key} with provider ${provider} is flagged unused`);
      }
    }
    assert.deepEqual(sectionsWithoutEffect('local'), ['kubernetes'], 'with provider local the Azure sections shape the local stand-ins');
    assert.equal(providerOfText('# x\nprovider: kubernetes\n'), 'kubernetes');
    assert.equal(providerOfText('provider: gcp\n'), undefined);
  });
});
