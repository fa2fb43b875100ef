/**
 * Help while typing azure.yaml: where the cursor is (from indentation, so a half-typed file
 * works), which keys and values fit there, what a key means — all from the one JSON schema,
 * which must name exactly the keys the rules read.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACR_KEYS, AKS_KEYS, NETWORK_KEYS, NODE_POOL_KEYS, SSH_KEYS, TAINT_KEYS } from '../../src/core/config/cluster';
import { FAULT_KEYS, LOCAL_KEYS, PULUMI_KEYS } from '../../src/core/config/project';
import { TOP_LEVEL_KEYS } from '../../src/core/config/rules';
import { KUBERNETES_KEYS } from '../../src/core/config/kubernetes';
import { describeKey, keyDetail, keyHelpAt, keysAt, schemaAt, snippetsAt, valuesAt, type SchemaNode } from '../../src/core/config/schemaHelp';
import { ADAPTIVE_KEYS, ADAPTIVE_WORKER_KEYS, CENTRAL_STORE_KEYS, PERSISTENCE_KEYS, REGISTRY_KEYS, REGISTRY_LEGACY_KEYS, STORAGE_KEYS, STORAGE_LEGACY_KEYS, WORKSPACE_KEYS } from '../../src/core/config/services';
import { AUTOSCALING_KEYS, SCHEDULER_KEYS, TOLERATION_KEYS, WORKER_KEYS, WORKSPACE_SPEC_KEYS } from '../../src/core/config/workspaceSpec';
import { LIST_ITEM, yamlContextAt } from '../../src/core/config/yamlContext';
import { contributeSchema, SCHEMA_URI, type RedHatYamlApi } from '../../src/vscode/editor/schemaContributor';
import { formatOfText } from '../../src/core/config/parse';
import type { ConfigFormat } from '../../src/core/config/types';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schema', 'azure.yaml.schema.json'), 'utf8')) as SchemaNode;

/** The context at the `|` in `text`. */
function at(text: string) {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('|'));
  return yamlContextAt(text.replace('|', ''), line, lines[line].indexOf('|'));
}

const FILE = `provider: azure
aks:
  name: c
  node_pools:
    - name: system
      vm_size: Standard_B2s
      labels:
        pool: sys
      taints:
        - key: a
          effect: NoSchedule
    - name: workers
workspace:
  spec:
    workers:
      replicas: 2
adaptive:
  run1:
    algorithm: optuna
depends_on:
- x
`;

describe('where the cursor is in azure.yaml', () => {
  const cursor = (line: number, text: string) => {
    const lines = FILE.split('\n');
    lines.splice(line, 0, text);
    return at(lines.join('\n'));
  };

  it('knows the keys above it, list items included', () => {
    assert.deepEqual(cursor(6, '      |').path, ['aks', 'node_pools', LIST_ITEM]);
    assert.deepEqual(cursor(8, '        |').path, ['aks', 'node_pools', LIST_ITEM, 'labels']);
    assert.deepEqual(cursor(11, '          |').path, ['aks', 'node_pools', LIST_ITEM, 'taints', LIST_ITEM]);
    assert.deepEqual(cursor(11, '        - |').path, ['aks', 'node_pools', LIST_ITEM, 'taints', LIST_ITEM]);
    assert.deepEqual(cursor(16, '      |').path, ['workspace', 'spec', 'workers']);
    assert.deepEqual(cursor(19, '    |').path, ['adaptive', 'run1']);
    assert.deepEqual(cursor(0, '|').path, []);
    assert.deepEqual(at('depends_on:\n- x\n  |').path, ['depends_on', LIST_ITEM], 'a list at its key\'s own indentation');
  });

  it('tells a key being typed from a value, and what is typed so far', () => {
    assert.deepEqual({ ...cursor(16, '      repl|'), siblings: [] }, { path: ['workspace', 'spec', 'workers'], prefix: 'repl', siblings: [], column: 6, startsItem: false });
    const value = cursor(16, '      image: ghcr.io/|');
    assert.equal(value.valueFor, 'image');
    assert.equal(value.prefix, 'ghcr.io/');
  });

  it('lists the keys already beside it, within its own list item only', () => {
    assert.deepEqual(cursor(6, '      |').siblings.sort(), ['labels', 'name', 'taints', 'vm_size']);
    assert.deepEqual(at('aks:\n  node_pools:\n    - name: a\n      count: 1\n    - name: b\n      |').siblings, ['name']);
    assert.deepEqual(cursor(16, '      |').siblings, ['replicas']);
  });
});

describe('help from the schema', () => {
  it('the schema names exactly the keys the rules read, section by section', () => {
    const keys = (...path: string[]) => Object.keys(schemaAt(schema, path)?.properties ?? {}).sort();
    const expect: Array<[string[], readonly string[]]> = [
      [[], TOP_LEVEL_KEYS],
      [['aks'], AKS_KEYS],
      [['aks', 'node_pools', LIST_ITEM], NODE_POOL_KEYS],
      [['aks', 'network'], NETWORK_KEYS],
      [['acr'], ACR_KEYS],
      [['ssh'], SSH_KEYS],
      [['storage'], [...STORAGE_KEYS, ...STORAGE_LEGACY_KEYS]],
      [['registry'], [...REGISTRY_KEYS, ...REGISTRY_LEGACY_KEYS]],
      [['workspace'], WORKSPACE_KEYS],
      [['workspace', 'spec'], WORKSPACE_SPEC_KEYS],
      [['workspace', 'spec', 'scheduler'], SCHEDULER_KEYS],
      [['workspace', 'spec', 'workers'], WORKER_KEYS],
      [['workspace', 'spec', 'autoscaling'], AUTOSCALING_KEYS],
      [['workspace', 'spec', 'tolerations', LIST_ITEM], TOLERATION_KEYS],
      [['adaptive', 'run'], ADAPTIVE_KEYS],
      [['adaptive', 'run', 'central_store'], CENTRAL_STORE_KEYS],
      [['adaptive', 'run', 'persistence'], PERSISTENCE_KEYS],
      [['adaptive', 'run', 'workers'], ADAPTIVE_WORKER_KEYS],
      [['pulumi'], PULUMI_KEYS],
      [['local'], LOCAL_KEYS],
      [['local', 'faults', 'cluster'], FAULT_KEYS],
      [['kubernetes'], KUBERNETES_KEYS],
    ];
    for (const [path, rules] of expect) assert.deepEqual(keys(...path), [...rules].sort(), path.join('.') || '(top level)');
    const taint = keysAt(schema, ['aks', 'node_pools', LIST_ITEM, 'taints', LIST_ITEM]).map((k) => k.key);
    assert.deepEqual(taint.sort(), [...TAINT_KEYS].sort(), 'a taint (written as a mapping)');
  });

  it('every key it offers says what it is', () => {
    const walk = (path: string[]): string[] => keysAt(schema, path).flatMap(({ key, node }) => [...(node.description ? [] : [[...path, key].join('.')]), ...(node.properties || node.items || typeof node.additionalProperties === 'object' ? walk([...path, key, ...(node.items ? [LIST_ITEM] : [])]) : [])]);
    assert.deepEqual(walk([]), []);
  });

  it('offers the keys that fit, never the legacy ones, and the values a key takes, default first', () => {
    assert.deepEqual(keysAt(schema, ['storage']).map((k) => k.key), ['account_name', 'sku', 'location', 'connection_string', 'connection_string_env']);
    assert.ok(!keysAt(schema, []).some((k) => k.key === 'ssh_public_key'));
    assert.deepEqual(valuesAt(schema, ['provider']), ['azure', 'kubernetes', 'local']);
    assert.deepEqual(valuesAt(schema, ['acr', 'sku']), ['Standard', 'Basic', 'Premium']);
    assert.deepEqual(valuesAt(schema, ['workspace', 'spec', 'autoscaling', 'enabled']), ['true', 'false']);
    assert.deepEqual(valuesAt(schema, ['adaptive', 'anything', 'algorithm'])[0], 'optuna');
  });

  it('a hover says what the key means, its type, default and values', () => {
    const text = 'acr:\n  sku: Basic\n';
    const help = keyHelpAt(schema, text, 1, 3);
    assert.deepEqual({ start: help?.start, end: help?.end }, { start: 2, end: 5 });
    assert.match(help!.markdown, /^\*\*sku\*\* · string\n\nRegistry SKU\.\n\nValues: `Basic`, `Standard`, `Premium`\n\nDefault: `Standard`$/);
    assert.equal(keyHelpAt(schema, text, 1, 8), undefined, 'on the value, not the key');
    assert.match(keyHelpAt(schema, 'workspace:\n  spec:\n    workers:\n      replicas: 2\n', 3, 8)!.markdown, /^\*\*replicas\*\* · integer/);
    assert.equal(describeKey('x', {}), '**x**');
  });

  it("a completion item's one line is the key's type and default, not the documentation's first sentence again", () => {
    assert.equal(keyDetail(schemaAt(schema, ['acr', 'sku'])!), 'string · default Standard');
    assert.equal(keyDetail(schemaAt(schema, ['aks'])!), 'mapping');
    assert.equal(keyDetail({}), undefined);
  });

  it('snippets for a new adaptive run and a node pool, where they belong', () => {
    assert.match(snippetsAt(schema, ['adaptive'], false)[0].body, /^\$\{1:run-name\}:\n {2}algorithm: \$\{2\|optuna,/);
    assert.deepEqual(snippetsAt(schema, ['aks', 'node_pools'], false).map((s) => s.body.split('\n')[0]), ['- name: ${1:workers}', '- name: ${1:system}']);
    assert.match(snippetsAt(schema, ['aks', 'node_pools', LIST_ITEM], true)[0].body, /^name: \$\{1:workers\}\nvm_size/);
    assert.deepEqual(snippetsAt(schema, ['storage'], false), []);
  });
});

describe('the schema handed to the Red Hat YAML extension', () => {
  it('names our schema for the azure.yaml we work on, whatever it is called, and only for it', () => {
    // A stand-in for redhat.vscode-yaml's exported API (a double: that extension is not installed here).
    const registered: Array<Parameters<RedHatYamlApi['registerContributor']>> = [];
    const api: RedHatYamlApi = { registerContributor: (...args) => registered.push(args) > 0 };
    let config: string | undefined = 'file:///w/infra/prod.yaml';
    assert.equal(contributeSchema(api, () => config, () => '{"title":"ours"}'), true);
    const [[scheme, requestSchema, requestContent]] = registered;
    assert.equal(scheme, 'modelops-infra');
    assert.equal(requestSchema('file:///w/infra/prod.yaml'), SCHEMA_URI);
    assert.equal(requestSchema('file:///w/other.yaml'), undefined);
    assert.equal(requestContent(SCHEMA_URI), '{"title":"ours"}');
    assert.equal(requestContent('https://example.com/other.json'), undefined);
    config = undefined;
    assert.equal(requestSchema('file:///w/infra/prod.yaml'), undefined, 'no config file, no claim on any file');
  });

  it("names the original's own schema for its modelops.yaml or infrastructure.yaml, never azure.yaml's", () => {
    const registered: Array<Parameters<RedHatYamlApi['registerContributor']>> = [];
    const api: RedHatYamlApi = { registerContributor: (...args) => registered.push(args) > 0 };
    let format: ConfigFormat = 'modelops.yaml';
    contributeSchema(api, () => 'file:///home/jane/.modelops/modelops.yaml', (f) => `{"title":"${f}"}`, () => format);
    const [[, requestSchema, requestContent]] = registered;
    const uri = requestSchema('file:///home/jane/.modelops/modelops.yaml')!;
    assert.notEqual(uri, SCHEMA_URI);
    assert.equal(requestContent(uri), '{"title":"modelops.yaml"}');
    format = 'infrastructure.yaml';
    assert.equal(requestContent(requestSchema('file:///home/jane/.modelops/modelops.yaml')!), '{"title":"infrastructure.yaml"}');
    assert.equal(formatOfText('schema_version: 2\ncluster: {}\n'), 'modelops.yaml');
    assert.equal(formatOfText('# a comment\nschemaVersion: 1\n'), 'infrastructure.yaml');
    assert.equal(formatOfText('provider: local\n'), 'azure.yaml');
    assert.equal(formatOfText('provider: [unclosed\n'), 'azure.yaml');
  });
});
