/**
 * The JSON schemas of the original's own files (src/core/config/originalSchema.ts): what a YAML
 * tool validates `modelops.yaml` and `infrastructure.yaml` with, and what completion offers there.
 * The files are the original's, from InstituteforDiseaseModeling/modelops at 06153e8
 * (test/original/): a valid file must show no squiggle, a misspelt key must.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { schemaFor } from '../../src/core/config/originalSchema';
import { keysAt, valuesAt, type SchemaNode } from '../../src/core/config/schemaHelp';

const ROOT = join(__dirname, '..', '..', '..');
const azure = JSON.parse(readFileSync(join(ROOT, 'schema', 'azure.yaml.schema.json'), 'utf8')) as SchemaNode & { required?: string[] };
const fixture = (name: string): unknown => parse(readFileSync(join(ROOT, 'test', 'original', name), 'utf8'));

type Node = SchemaNode & { required?: string[] };

const isType = (t: string, v: unknown): boolean =>
  t === 'null' ? v === null
    : t === 'array' ? Array.isArray(v)
    : t === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v)
    : t === 'integer' ? Number.isInteger(v)
    : typeof v === t;

/** The JSON-schema keywords these schemas use, checked as a validator would: every violation, by path. */
function violations(node: Node, value: unknown, path = '$'): string[] {
  const out: string[] = [];
  if (node.const !== undefined && value !== node.const) out.push(`${path}: not ${JSON.stringify(node.const)}`);
  if (node.enum && !node.enum.includes(value)) out.push(`${path}: ${JSON.stringify(value)} not one of ${JSON.stringify(node.enum)}`);
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  if (types.length && !types.some((t) => isType(t, value))) out.push(`${path}: ${JSON.stringify(value)} is not ${types.join(' or ')}`);
  for (const alts of [node.anyOf, node.oneOf]) {
    if (alts && !alts.some((alt) => violations(alt, value, path).length === 0)) out.push(`${path}: matches none of its alternatives`);
  }
  if (isType('object', value)) {
    const obj = value as Record<string, unknown>;
    for (const key of node.required ?? []) if (!(key in obj)) out.push(`${path}: ${key} is required`);
    for (const [key, v] of Object.entries(obj)) {
      const child = node.properties?.[key] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
      if (child) out.push(...violations(child, v, `${path}.${key}`));
      else if (node.additionalProperties === false) out.push(`${path}: unknown key ${key}`);
    }
  }
  if (Array.isArray(value) && node.items) value.forEach((v, i) => out.push(...violations(node.items!, v, `${path}[${i}]`)));
  return out;
}

describe("JSON schemas of the original's files", () => {
  it("modelops.yaml as mops init writes it: no squiggle", () => {
    assert.deepEqual(violations(schemaFor('modelops.yaml', azure), fixture('modelops.yaml')), []);
  });

  it('examples/unified-infra.yaml (an infrastructure.yaml): a squiggle only on the keys the reader warns are unknown', () => {
    // Its workspace writes `resources: { cpu, memory }` and `min_replicas`/`max_replicas`, which the
    // original ignores too (workspace.py reads `resources.requests`/`limits` and autoscaling's
    // min/max_workers); `validate` warns `unknown-key` on exactly these lines.
    assert.deepEqual(violations(schemaFor('infrastructure.yaml', azure), fixture('unified-infra.yaml')), [
      '$.workspace.spec.scheduler.resources: unknown key cpu',
      '$.workspace.spec.scheduler.resources: unknown key memory',
      '$.workspace.spec.workers: unknown key min_replicas',
      '$.workspace.spec.workers: unknown key max_replicas',
      '$.workspace.spec.workers.resources: unknown key cpu',
      '$.workspace.spec.workers.resources: unknown key memory',
    ]);
  });

  it("a key the original does not read there is flagged, as azure.yaml's keys are in azure.yaml", () => {
    const file = fixture('modelops.yaml') as Record<string, Record<string, unknown>>;
    const wrong = { ...file, settings: { ...file.settings, user_name: 'x' }, workspace: { ...file.workspace, worker_replica: 3 }, adaptive: {} };
    assert.deepEqual(violations(schemaFor('modelops.yaml', azure), wrong), ['$.settings: unknown key user_name', '$.workspace: unknown key worker_replica', '$: unknown key adaptive']);
    assert.deepEqual(violations(schemaFor('infrastructure.yaml', azure), { schemaVersion: 2, cluster: { provider: 'azure', aks: {} } }), ['$.schemaVersion: not 1']);
    // The original's files are not azure.yaml: with azure.yaml's schema they would squiggle.
    assert.ok(violations(azure, fixture('modelops.yaml')).length > 0);
  });

  it('completion in modelops.yaml offers its own keys: the flat workspace, settings, cluster without our sections', () => {
    const schema = schemaFor('modelops.yaml', azure);
    assert.deepEqual(keysAt(schema, []).map((k) => k.key), ['schema_version', 'generated', 'settings', 'pulumi', 'cluster', 'storage', 'registry', 'workspace']);
    assert.deepEqual(keysAt(schema, ['settings']).map((k) => k.key), ['environment', 'provider', 'username']);
    const cluster = keysAt(schema, ['cluster']).map((k) => k.key);
    for (const key of ['provider', 'subscription_id', 'resource_group', 'location', 'aks']) assert.ok(cluster.includes(key), key);
    for (const key of ['storage', 'registry', 'workspace', 'pulumi', 'username', 'environment']) assert.ok(!cluster.includes(key), key);
    assert.ok(keysAt(schema, ['workspace']).some((k) => k.key === 'autoscaling_max_workers'));
    assert.deepEqual(valuesAt(schema, ['workspace', 'autoscaling_enabled']), ['true', 'false']);
    assert.deepEqual(valuesAt(schema, ['workspace', 'autoscaling_target_cpu']), ['70']);
  });

  it('completion in infrastructure.yaml offers our sections, and never the keys it does not read', () => {
    const schema = schemaFor('infrastructure.yaml', azure);
    assert.deepEqual(keysAt(schema, []).map((k) => k.key), ['schemaVersion', 'cluster', 'storage', 'registry', 'workspace']);
    assert.ok(keysAt(schema, ['workspace', 'spec']).some((k) => k.key === 'workers'));
    assert.ok(keysAt(schema, ['cluster']).some((k) => k.key === 'username'));
  });
});
