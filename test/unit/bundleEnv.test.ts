/**
 * ~/.modelops/bundle-env/<env>.yaml as the original's core/env_reconcile.py writes it (06153e8),
 * from the stack outputs its own programs export (test/original/).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bundleEnvFile } from '../../src/core/bundleEnv';

const ORIGINAL = join(__dirname, '..', '..', '..', 'test', 'original');
const stacks = (JSON.parse(readFileSync(join(ORIGINAL, 'stack-outputs-jane-doe-dev.json'), 'utf8')) as { stacks: Record<string, { outputs: Record<string, { value: unknown }> }> }).stacks;
const outputs = (stack: string) => Object.fromEntries(Object.entries(stacks[stack].outputs).map(([k, o]) => [k, o.value]));
const registry = outputs('modelops-registry/modelops-registry-dev');
const storage = outputs('modelops-storage/modelops-storage-dev');
const at = new Date('2026-12-06T02:53:20.549Z');

describe('the bundle-env file', () => {
  it("is the original's, key for key and in its order, from the same outputs", () => {
    const made = bundleEnvFile('dev', registry, storage, at);
    assert.ok('text' in made);
    const expected = parse(readFileSync(join(ORIGINAL, 'bundle-env-dev.example.yaml'), 'utf8')) as Record<string, unknown>;
    const written = parse(made.text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(written), Object.keys(expected));
    assert.deepEqual({ ...written, timestamp: undefined }, { ...expected, timestamp: undefined });
    assert.deepEqual(Object.keys(written.storage as object), Object.keys(expected.storage as object));
  });

  it("stamps the time as Python's utcnow().isoformat(), quoted so that a Python reader gets a string", () => {
    const made = bundleEnvFile('dev', registry, storage, at) as { text: string };
    assert.match(made.text, /^timestamp: '2026-12-06T02:53:20\.549000'$/m);
    const whole = bundleEnvFile('dev', registry, storage, new Date('2026-12-06T02:53:20Z')) as { text: string };
    assert.match(whole.text, /^timestamp: '2026-12-06T02:53:20'$/m, 'no fraction when there is none, as isoformat() writes it');
  });

  it('is not written without a registry or without storage: the writer removes the file and says which is missing', () => {
    assert.deepEqual(bundleEnvFile('dev', {}, storage, at), { missing: ['registry'] });
    assert.deepEqual(bundleEnvFile('dev', { registry_name: 'x' }, { account_name: 'y' }, at), { missing: ['storage'] });
  });

  it('names the bundle container: bundle-blobs when listed, else the first, else bundle-blobs', () => {
    const container = (containers: unknown) => (parse((bundleEnvFile('dev', registry, { ...storage, containers }, at) as { text: string }).text) as { storage: { container: string } }).storage.container;
    assert.equal(container(['results', 'bundle-blobs']), 'bundle-blobs');
    assert.equal(container([{ name: 'results' }]), 'results');
    assert.equal(container(undefined), 'bundle-blobs');
  });
});
