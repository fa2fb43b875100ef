import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isMap, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { parseConfig } from '../../src/core/config/parse';
import { RSA_SSH_KEY } from '../fixtures';
import type { ConfigPath, InfraConfig, ParsedConfig, Problem, SourceRange, Taint } from '../../src/core/config/types';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 200);

// ---------------------------------------------------------------------------
// Invariants every parse must keep, whatever the input.

function expectedPosition(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNewline };
}

function assertRangeInside(text: string, range: SourceRange, what: string): void {
  assert.ok(Number.isInteger(range.startOffset) && Number.isInteger(range.endOffset), `${what}: offsets are integers`);
  assert.ok(range.startOffset >= 0 && range.startOffset <= range.endOffset && range.endOffset <= text.length, `${what}: [${range.startOffset}, ${range.endOffset}) inside [0, ${text.length}]`);
  assert.ok(range.start.line >= 1 && range.start.column >= 1 && range.end.line >= 1 && range.end.column >= 1, `${what}: line/column ≥ 1`);
  assert.deepEqual(range.start, expectedPosition(text, range.startOffset), `${what}: start matches its offset`);
  assert.deepEqual(range.end, expectedPosition(text, range.endOffset), `${what}: end matches its offset`);
}

function assertWellFormed(text: string, parsed: ParsedConfig): void {
  for (const problem of parsed.problems) {
    assertRangeInside(text, problem.range, problem.code);
    assert.ok(problem.message.length > 0);
    for (const related of problem.related ?? []) assertRangeInside(text, related.range, `${problem.code} related`);
  }
}

function parseSafely(text: string): ParsedConfig {
  let parsed: ParsedConfig | undefined;
  assert.doesNotThrow(() => {
    parsed = parseConfig(text, 'azure.yaml');
  });
  return parsed as ParsedConfig;
}

const TOP_KEYS = ['provider', 'subscription_id', 'location', 'resource_group', 'username', 'aks', 'acr', 'ssh', 'ssh_public_key', 'storage', 'registry', 'workspace', 'adaptive', 'environment', 'pulumi', 'depends_on', 'local'];
const INNER_KEYS = [
  ...['name', 'kubernetes_version', 'node_pools', 'network', 'vm_size', 'mode', 'count', 'min', 'max', 'labels', 'taints', 'key', 'value', 'effect'],
  ...['service_cidr', 'dns_service_ip', 'sku', 'per_user_registry', 'public_key', 'public_key_path', 'account_name', 'registry_name', 'grant_cluster_pull', 'bundle_repo'],
  ...['apiVersion', 'kind', 'metadata', 'namespace', 'spec', 'scheduler', 'workers', 'image', 'version', 'algorithm', 'central_store', 'persistence', 'enabled', 'size'],
  ...['storageClass', 'database', 'user', 'replicas', 'resources', 'command', 'host', 'port', 'backend_url', 'root', 'faults', 'omit_outputs', 'fail_after_resources', 'step_delay_ms'],
  ...['cluster', 'storage', 'workspace', 'registry', 'resource_group', 'infra', 'adaptive-default', 'default'],
];

/** Trees whose keys are mostly real config keys, so random values land in every typed reader. */
const configLikeTree = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 200 }), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('System', 'User', 'azure', 'local', 'NoSchedule', 'a=b:NoSchedule', '1.30', '10Gi', 'external')),
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('list'), tie('map')),
  list: fc.array(tie('tree'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...INNER_KEYS), fc.string({ maxLength: 8 })), tie('tree'), { maxKeys: 5 }),
}));

const configLikeDocument = fc.record({
  provider: fc.oneof(fc.constantFrom('azure', 'local'), configLikeTree.leaf),
  rest: fc.dictionary(fc.constantFrom(...TOP_KEYS), configLikeTree.tree, { maxKeys: 8 }),
}).map(({ provider, rest }) => ({ provider, ...rest }));

const YAML_PIECES = ['- ', ': ', '? ', '[', ']', '{', '}', ',', '&a ', '*a', '!!str ', '!x ', '|\n', '>-\n', '"', "'", '#', '\n', '  ', '\t', '---\n', '...\n', '%YAML 1.2\n', 'provider', 'local', 'aks', 'node_pools', 'name', '\\', '\u00e9', '\ud83d\ude00', '\r\n', '\uFEFF', 'ﬀ'];
const yamlishText = fc.array(fc.oneof(fc.constantFrom(...YAML_PIECES), fc.string({ maxLength: 4 })), { maxLength: 60 }).map((parts) => parts.join(''));

const anyPath: fc.Arbitrary<ConfigPath> = fc.array(fc.oneof(fc.constantFrom(...TOP_KEYS, ...INNER_KEYS), fc.nat({ max: 3 })), { maxLength: 5 });

describe('parseConfig properties: never throws, every range inside the text', () => {
  it('for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => assertWellFormed(text, parseSafely(text))),
      { numRuns: NUM_RUNS },
    );
  });

  it('for YAML-flavoured fragments', () => {
    fc.assert(
      fc.property(yamlishText, anyPath, (text, path) => {
        const parsed = parseSafely(text);
        assertWellFormed(text, parsed);
        for (const value of [false, true]) {
          const range = parsed.locate(path, value);
          if (range) assertRangeInside(text, range, `locate(${JSON.stringify(path)})`);
        }
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  it('for arbitrary JSON values dumped as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.constantFrom<'block' | 'flow'>('block', 'flow'), (value, style) => {
        const text = stringify(value, { collectionStyle: style });
        assertWellFormed(text, parseSafely(text));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('for config-shaped documents with values of random types', () => {
    fc.assert(
      fc.property(configLikeDocument, anyPath, (value, path) => {
        const text = stringify(value);
        const parsed = parseSafely(text);
        assertWellFormed(text, parsed);
        const range = parsed.locate(path, true);
        if (range) assertRangeInside(text, range, 'locate');
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  it('reports nesting beyond 100 levels as yaml-too-deep and accepts 40 levels', () => {
    const nest = (depth: number, kinds: readonly boolean[]): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < depth; i++) value = kinds[i % kinds.length] ? [value] : { k: value };
      return value;
    };
    fc.assert(
      fc.property(fc.integer({ min: 101, max: 160 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), fc.constantFrom<'block' | 'flow'>('block', 'flow'), (depth, kinds, style) => {
        const deep = stringify({ provider: 'local', x: nest(depth, kinds) }, { collectionStyle: style });
        assert.ok(parseSafely(deep).problems.some((p) => p.code === 'yaml-too-deep'), `depth ${depth} ${style}`);
        const shallow = stringify({ provider: 'local', x: nest(40, kinds) }, { collectionStyle: style });
        assert.ok(!parseSafely(shallow).problems.some((p) => p.code === 'yaml-too-deep'), `depth 40 ${style}`);
      }),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------
// Valid configs, generated as the YAML objects a user writes.

const matching = (pattern: RegExp): fc.Arbitrary<string> => fc.stringMatching(pattern);
const dnsLabel = (maxInner: number) => matching(new RegExp(`^[a-z0-9]([-a-z0-9]{0,${maxInner}}[a-z0-9])?$`));
const poolName = matching(/^[a-z][a-z0-9]{0,11}$/);
const labelKey = matching(/^([a-z0-9]([-a-z0-9]{0,4}[a-z0-9])?(\.[a-z0-9]{1,5}){0,2}\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?$/);
const labelValue = matching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?)?$/);
const nonEmptyLabelValue = matching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?$/);
const effect = fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute');
const plainText = matching(/^[a-z0-9][a-z0-9./:_-]{0,20}$/);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

interface GenTaint {
  key: string;
  value?: string;
  effect: string;
  asText: boolean;
}

const taintArb: fc.Arbitrary<GenTaint> = fc.record({ key: labelKey, value: optional(nonEmptyLabelValue), effect, asText: fc.boolean() });

type Sizing = { kind: 'count'; count: number } | { kind: 'autoscale'; min: number; max: number } | { kind: 'none' };
const sizingArb: fc.Arbitrary<Sizing> = fc.oneof(
  fc.record({ kind: fc.constant('count' as const), count: fc.integer({ min: 1, max: 1000 }) }),
  fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })).map(([a, b]) => ({ kind: 'autoscale' as const, min: Math.min(a, b), max: Math.max(a, b, 1) })),
  fc.constant({ kind: 'none' as const }),
);

interface GenPool {
  name: string;
  vmSize?: string;
  mode?: 'System' | 'User';
  sizing: Sizing;
  labels?: Record<string, string>;
  taints?: GenTaint[];
}

const poolFields = {
  vmSize: optional(matching(/^Standard_[A-Z][0-9]{1,2}[a-z]{0,2}_v[2-5]$/)),
  sizing: sizingArb,
  labels: optional(fc.dictionary(labelKey, labelValue, { maxKeys: 3, noNullPrototype: true })),
  taints: optional(fc.array(taintArb, { maxLength: 3 })),
};

const poolsArb: fc.Arbitrary<GenPool[]> = fc
  .uniqueArray(poolName, { minLength: 1, maxLength: 4 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name, index) =>
        fc.record({ ...poolFields, name: fc.constant(name), mode: optional(index === 0 ? fc.constant('System' as const) : fc.constantFrom('System' as const, 'User' as const)) }),
      ),
    ),
  )
  .map((pools) => pools.map((pool) => pool as GenPool));

const networkArb = fc.record({ prefix: fc.integer({ min: 8, max: 28 }), base: fc.nat({ max: 0xffffffff }), hostFraction: fc.double({ min: 0, max: 1, noNaN: true }) }).map(({ prefix, base, hostFraction }) => {
  const size = 2 ** (32 - prefix);
  const network = base - (base % size);
  const host = network + 1 + Math.floor(hostFraction * (size - 2));
  const ip = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  return { service_cidr: `${ip(network)}/${prefix}`, dns_service_ip: ip(Math.min(host, network + size - 1)) };
});

const adaptiveRunArb = fc.record(
  {
    version: fc.constant(1),
    algorithm: fc.constantFrom('optuna', 'hyperopt', 'custom'),
    central_store: fc.oneof(
      fc.record({ kind: fc.constantFrom('postgres', 'redis', 'none'), mode: fc.constant('in-cluster') }, { requiredKeys: [] }),
      fc.record({ kind: fc.constantFrom('postgres', 'redis'), mode: fc.constant('external'), host: plainText, port: fc.integer({ min: 1, max: 65535 }) }),
    ),
    persistence: fc.record({ enabled: fc.boolean(), size: matching(/^[1-9][0-9]{0,3}[KMGT]i$/), storageClass: plainText }, { requiredKeys: [] }),
    database: plainText,
    user: plainText,
    // Required with a cluster (azure, kubernetes): there is no published default image.
    workers: fc.record({ image: plainText, replicas: fc.integer({ min: 1, max: 100 }), command: fc.oneof(plainText, fc.array(plainText, { maxLength: 3 })) }, { requiredKeys: ['image'] }),
  },
  { requiredKeys: ['workers'] },
);

const extraFields = fc.dictionary(matching(/^x[a-z]{0,6}$/), fc.oneof(plainText, fc.integer(), fc.boolean()), { maxKeys: 3, noNullPrototype: true });

const baseArb = fc.record({
  provider: fc.constantFrom('azure', 'local'),
  subscription_id: optional(fc.uuid().filter((u) => !/^[0-]+$/.test(u))),
  location: optional(matching(/^[a-z]{2,10}[0-9]?$/)),
  resource_group: optional(matching(/^[-A-Za-z0-9_.()]{0,20}[-A-Za-z0-9_()]$/)),
  username: optional(matching(/^[a-z0-9]{1,20}$/)),
  environment: optional(dnsLabel(18)),
  aks: optional(
    fc.record(
      { name: dnsLabel(20), kubernetes_version: matching(/^[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]{1,2})?$/), pools: poolsArb, network: networkArb },
      { requiredKeys: ['pools'] },
    ),
  ),
  acr: optional(fc.record({ name: matching(/^[a-z0-9]{5,20}$/), sku: fc.constantFrom('Basic', 'Standard', 'Premium'), per_user_registry: fc.boolean() }, { requiredKeys: [] })),
  ssh: optional(fc.oneof(fc.record({ public_key: fc.constantFrom(RSA_SSH_KEY, RSA_SSH_KEY.split(' ').slice(0, 2).join(' ')) }), fc.record({ public_key_path: matching(/^~\/\.ssh\/[a-z_]{1,10}\.pub$/) }))),
  storage: optional(fc.record({ account_name: matching(/^[a-z0-9]{3,24}$/), sku: fc.constantFrom('Standard_LRS', 'Standard_GRS', 'Premium_LRS'), location: matching(/^[a-z]{2,10}$/) }, { requiredKeys: [] })),
  registry: optional(
    fc.record(
      { name: plainText, registry_name: matching(/^[a-z0-9]{5,30}$/), sku: fc.constantFrom('Basic', 'Standard', 'Premium'), per_user_registry: fc.boolean(), grant_cluster_pull: fc.boolean(), bundle_repo: plainText },
      { requiredKeys: [] },
    ),
  ),
  workspace: optional(
    fc.record({
      apiVersion: optional(plainText),
      name: plainText,
      namespace: optional(dnsLabel(20)),
      metadataExtra: extraFields,
      schedulerImage: plainText,
      workersImage: plainText,
      specExtra: extraFields,
    }),
  ),
  adaptive: optional(fc.dictionary(dnsLabel(10), adaptiveRunArb, { maxKeys: 3, noNullPrototype: true })),
  backend_url: optional(fc.tuple(fc.constantFrom('file://', 'azblob://', 's3://', 'gs://', 'https://'), matching(/^[a-z0-9][a-z0-9/._-]{0,20}$/)).map(([scheme, rest]) => scheme + rest)),
  root: optional(matching(/^\/[a-z0-9/_-]{1,20}$/)),
}).map((base) => (base.provider === 'azure' ? { ...base, resource_group: base.resource_group ?? 'modelops-rg', aks: base.aks ?? { pools: [] } } : base));

type Base = typeof baseArb extends fc.Arbitrary<infer T> ? T : never;

/** Component names the file defines, as the parser and the engine name them. */
function definedComponents(base: Base): string[] {
  const names = ['cluster'];
  if (base.provider === 'azure' || base.resource_group !== undefined) names.push('resource-group');
  if (base.registry || base.acr) names.push('registry');
  if (base.storage) names.push('storage');
  if (base.workspace) names.push('workspace');
  for (const run of Object.keys(base.adaptive ?? {})) names.push(`adaptive-${run}`);
  return names;
}

/** How a user may spell a component name. */
const SPELLINGS: Record<string, string[]> = { 'resource-group': ['resource-group', 'resource_group'], cluster: ['cluster', 'infra'] };

const faultArb: fc.Arbitrary<GenFault> = fc.record({ omit_outputs: fc.array(matching(/^[a-z_]{1,20}$/), { maxLength: 3 }), fail_after_resources: optional(fc.integer({ min: 0, max: 20 })), step_delay_ms: optional(fc.integer({ min: 0, max: 5000 })) });

interface GenFault {
  omit_outputs: string[];
  fail_after_resources?: number;
  step_delay_ms?: number;
}

interface Generated {
  base: Base;
  /** Canonical node → how it is typed, and its targets (canonical and typed). */
  dependsOn: Record<string, { typed: string; targets: Array<{ name: string; typed: string }> }>;
  faults: Record<string, { typed: string; fault: GenFault }>;
}

const spelledName = (name: string) => fc.constantFrom(...(SPELLINGS[name] ?? [name])).map((typed) => ({ name, typed }));

const validConfigArb: fc.Arbitrary<Generated> = baseArb.chain((base) => {
  const names = definedComponents(base);
  const nameArb = fc.constantFrom(...names).chain(spelledName);
  const dependsOn = fc.uniqueArray(fc.tuple(fc.constantFrom(...names), fc.uniqueArray(nameArb, { maxLength: 3, selector: (n) => n.name })), { maxLength: 3, selector: ([node]) => node }).chain((entries) =>
    fc.tuple(...entries.map(([node, targets]) => spelledName(node).map(({ typed }) => [node, { typed, targets }] as const))),
  );
  const faults = fc.uniqueArray(fc.constantFrom(...names), { maxLength: 3 }).chain((components) =>
    fc.tuple(...components.map((component) => fc.tuple(spelledName(component), faultArb).map(([{ typed }, fault]) => [component, { typed, fault }] as const))),
  );
  return fc.record({ dependsOn, faults }).map(({ dependsOn: deps, faults: fs }) => ({ base, dependsOn: Object.fromEntries(deps), faults: Object.fromEntries(fs) }));
});

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function taintYaml(taint: GenTaint): unknown {
  if (taint.asText) return taint.value === undefined ? `${taint.key}:${taint.effect}` : `${taint.key}=${taint.value}:${taint.effect}`;
  return definedOnly({ key: taint.key, value: taint.value, effect: taint.effect });
}

function poolYaml(pool: GenPool): unknown {
  const sizing = pool.sizing.kind === 'count' ? { count: pool.sizing.count } : pool.sizing.kind === 'autoscale' ? { min: pool.sizing.min, max: pool.sizing.max } : {};
  return definedOnly({ name: pool.name, vm_size: pool.vmSize, mode: pool.mode, ...sizing, labels: pool.labels, taints: pool.taints?.map(taintYaml) });
}

/** The file as a user writes it. */
function toYamlObject({ base, dependsOn, faults }: Generated): Record<string, unknown> {
  const { aks, workspace, backend_url, root, ...flat } = base;
  const doc: Record<string, unknown> = definedOnly({
    ...flat,
    aks: aks && definedOnly({ name: aks.name, kubernetes_version: aks.kubernetes_version, node_pools: aks.pools.map(poolYaml), network: aks.network }),
    workspace:
      workspace &&
      definedOnly({
        apiVersion: workspace.apiVersion,
        kind: 'Workspace',
        metadata: definedOnly({ ...workspace.metadataExtra, name: workspace.name, namespace: workspace.namespace }),
        spec: { ...workspace.specExtra, scheduler: { image: workspace.schedulerImage }, workers: { image: workspace.workersImage } },
      }),
    pulumi: backend_url === undefined ? undefined : { backend_url },
  });
  if (Object.keys(dependsOn).length > 0) doc.depends_on = Object.fromEntries(Object.values(dependsOn).map(({ typed, targets }) => [typed, targets.map((t) => t.typed)]));
  if (root !== undefined || Object.keys(faults).length > 0) doc.local = definedOnly({ root, faults: Object.fromEntries(Object.values(faults).map(({ typed, fault }) => [typed, definedOnly(fault)])) });
  return doc;
}

/** What parseConfig must return for it: the typed config with every default filled in. */
function expectedConfig({ base, dependsOn, faults }: Generated): InfraConfig {
  const { aks, workspace } = base;
  const config: InfraConfig = {
    provider: base.provider,
    location: base.location ?? 'eastus2',
    resourceGroup: base.resource_group,
    aks: aks && definedOnly({
      name: aks.name,
      kubernetesVersion: aks.kubernetes_version,
      nodePools: aks.pools.map((pool, index) => ({
        name: pool.name,
        vmSize: pool.vmSize ?? 'Standard_DS2_v2',
        mode: pool.mode ?? (index === 0 ? 'System' : 'User'),
        ...(pool.sizing.kind === 'count' ? { count: pool.sizing.count } : pool.sizing.kind === 'autoscale' ? { count: pool.sizing.min, min: pool.sizing.min, max: pool.sizing.max } : { count: 1 }),
        labels: pool.labels ?? {},
        taints: (pool.taints ?? []).map((t) => definedOnly({ key: t.key, value: t.value, effect: t.effect } as Taint)),
      })),
      network: aks.network ? { serviceCidr: aks.network.service_cidr, dnsServiceIp: aks.network.dns_service_ip } : { serviceCidr: '172.16.0.0/16', dnsServiceIp: '172.16.0.10' },
    }),
    adaptive: Object.fromEntries(
      Object.entries(base.adaptive ?? {}).map(([run, a]) => [
        run,
        {
          algorithm: a.algorithm ?? 'optuna',
          centralStore: definedOnly({ kind: 'postgres', mode: 'in-cluster', ...a.central_store }) as InfraConfig['adaptive'][string]['centralStore'],
          persistence: { enabled: true, size: '10Gi', storageClass: 'managed-csi', ...a.persistence },
          database: a.database ?? 'optuna',
          user: a.user ?? 'optuna_user',
          workers: definedOnly({ replicas: 2, ...a.workers }),
        },
      ]),
    ),
    pulumi: base.backend_url === undefined ? {} : { backendUrl: base.backend_url },
    dependsOn: Object.fromEntries(Object.entries(dependsOn).map(([node, { targets }]) => [node, targets.map((t) => t.name)])),
    local: definedOnly({
      root: base.root,
      faults: Object.fromEntries(
        Object.entries(faults).map(([component, { fault }]) => [component, definedOnly({ omitOutputs: fault.omit_outputs, failAfterResources: fault.fail_after_resources, stepDelayMs: fault.step_delay_ms ?? 0 })]),
      ),
    }),
  };
  const optionalParts: Partial<InfraConfig> = {
    subscriptionId: base.subscription_id,
    username: base.username,
    environment: base.environment,
    acr: base.acr && definedOnly({ name: base.acr.name, sku: base.acr.sku ?? 'Standard', perUserRegistry: base.acr.per_user_registry ?? true }),
    ssh: base.ssh && ('public_key' in base.ssh ? { publicKey: base.ssh.public_key } : { publicKeyPath: base.ssh.public_key_path }),
    storage: base.storage && definedOnly({ accountName: base.storage.account_name, sku: base.storage.sku ?? 'Standard_LRS', location: base.storage.location }),
    registry:
      base.registry &&
      definedOnly({
        name: base.registry.name,
        registryName: base.registry.registry_name,
        sku: base.registry.sku ?? 'Standard',
        perUserRegistry: base.registry.per_user_registry ?? true,
        grantClusterPull: base.registry.grant_cluster_pull ?? true,
        bundleRepo: base.registry.bundle_repo ?? 'modelops-bundles',
      }),
    workspace: workspace && {
      apiVersion: workspace.apiVersion ?? 'modelops/v1',
      kind: 'Workspace',
      metadata: definedOnly({ ...workspace.metadataExtra, name: workspace.name, namespace: workspace.namespace }),
      spec: { ...workspace.specExtra, scheduler: { image: workspace.schedulerImage }, workers: { image: workspace.workersImage } },
    },
  };
  return definedOnly({ ...config, ...optionalParts });
}

const errorsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'error');
const describe_ = (problems: readonly Problem[]) => problems.map((p) => `${p.range.start.line}:${p.range.start.column} ${p.code}: ${p.message}`).join('\n');

describe('parseConfig properties: valid configs', () => {
  it('have no errors and round-trip every generated value', () => {
    fc.assert(
      fc.property(validConfigArb, fc.constantFrom<'block' | 'flow' | 'any'>('block', 'flow', 'any'), (generated, style) => {
        const text = stringify(toYamlObject(generated), { collectionStyle: style });
        const parsed = parseSafely(text);
        assert.deepEqual(errorsOf(parsed.problems), [], `${describe_(parsed.problems)}\n---\n${text}`);
        assert.deepEqual(parsed.config, expectedConfig(generated), text);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

// ---------------------------------------------------------------------------
// One valid field mutated to a wrong type.

/** Paths to every value a typed reader checks (free-form parts and text-cast label values excluded). */
function typedPaths(value: unknown, path: ConfigPath = []): ConfigPath[] {
  const key = path[path.length - 1];
  const parent = path[path.length - 2];
  if (parent === 'labels' || (key === 'value' && path.includes('taints')) || key === 'command' || parent === 'command') return [];
  if (path.includes('spec') && key !== 'spec') return [];
  if (path.includes('resources') && key !== 'resources') return [];
  if (parent === 'metadata' && key !== 'name' && key !== 'namespace') return [];
  const here = path.length > 0 ? [path] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, index) => typedPaths(item, [...path, index]))];
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => typedPaths(v, [...path, k]))];
  return here;
}

function wrongValueFor(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'three';
  if (typeof value === 'boolean') return 'yes';
  return 7;
}

function setIn(root: Record<string, unknown>, path: ConfigPath, value: unknown): void {
  let node: Record<string | number, unknown> = root;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}

function getIn(root: unknown, path: ConfigPath): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)[segment], root);
}

/** Line of the key at `path` (or of the list item), found with the yaml package directly. */
function keyLine(text: string, path: ConfigPath): number {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  let node: unknown = doc.contents;
  let start = 0;
  for (const segment of path) {
    if (typeof segment === 'number') {
      assert.ok(isSeq(node));
      node = node.items[segment];
      start = (node as Node).range?.[0] ?? 0;
    } else {
      assert.ok(isMap(node));
      const pair = node.items.find((p) => (p.key as { value?: unknown }).value === segment);
      assert.ok(pair, `no key ${segment}`);
      start = (pair.key as Node).range?.[0] ?? 0;
      node = pair.value;
    }
  }
  return lineCounter.linePos(start).line;
}

describe('parseConfig properties: wrong types', () => {
  it('report wrong-type on the line of the mutated key', () => {
    const caseArb = validConfigArb.chain((generated) => {
      const doc = toYamlObject(generated);
      return fc.record({ doc: fc.constant(doc), path: fc.constantFrom(...typedPaths(doc)) });
    });
    fc.assert(
      fc.property(caseArb, ({ doc, path }) => {
        const mutated = structuredClone(doc);
        setIn(mutated, path, wrongValueFor(getIn(doc, path)));
        const text = stringify(mutated);
        const line = keyLine(text, path);
        const parsed = parseSafely(text);
        const wrongTypes = parsed.problems.filter((p) => p.code === 'wrong-type');
        assert.ok(
          wrongTypes.some((p) => p.range.start.line === line),
          `expected wrong-type on line ${line} for ${JSON.stringify(path)}:\n${describe_(parsed.problems)}\n---\n${text}`,
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
