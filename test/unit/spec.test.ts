/** The spec of a component (src/core/spec.ts) and how up converges on it. */
import { strict as assert } from 'node:assert';
import { componentsFor } from '../../src/core/components';
import { planUp } from '../../src/core/plan';
import { canonicalJson, specDifferences, specHash, specOf, specState } from '../../src/core/spec';
import { byName, graphOf, localConfig, statesFor, WORKSPACE } from './helpers';

const base = localConfig();
const components = componentsFor(base, 'dev');
const withReplicas = (n: number) => localConfig({ workspace: { ...WORKSPACE, spec: { workers: { replicas: n } } } });

describe('the spec of a component', () => {
  it('changes with the sections its program reads, and only with those', () => {
    const before = withReplicas(2);
    const after = withReplicas(5);
    const hash = (config: typeof base, name: string) => specHash(specOf(config, byName(componentsFor(config, 'dev'), name), 'dev'));
    assert.notEqual(hash(before, 'workspace'), hash(after, 'workspace'));
    for (const untouched of ['cluster', 'storage']) assert.equal(hash(before, untouched), hash(after, untouched), untouched);
    assert.notEqual(hash(before, 'workspace'), specHash(specOf(before, byName(components, 'workspace'), 'staging')), 'the environment is part of it');
  });

  it('leaves out injected faults: rehearsal, not desired state', () => {
    const faulty = localConfig({ local: { faults: { cluster: { omitOutputs: ['kubeconfig'], stepDelayMs: 100 } } } });
    const cluster = byName(components, 'cluster');
    assert.equal(specHash(specOf(faulty, cluster, 'dev')), specHash(specOf(base, cluster, 'dev')));
  });

  it('hashes the same whatever the key order, and says which paths differ, never their values', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } }), '{"a":{"d":[1,{"e":3,"f":2}]},"b":1}');
    const before = specOf(withReplicas(2), byName(components, 'workspace'), 'dev');
    const after = specOf(withReplicas(5), byName(components, 'workspace'), 'dev');
    assert.deepEqual(specDifferences(before, after), ['workspace.spec.workers.replicas']);
    assert.equal(specState('abc', 'abc'), 'current');
    assert.equal(specState('abc', 'def'), 'changed');
    assert.equal(specState('abc', undefined), 'unknown');
  });

  it('up runs a ready component whose spec changed, re-verifies what depends on it, and skips the rest', () => {
    const states = statesFor(components);
    const specs = new Map(components.map((c) => [c.name, c.name === 'workspace' ? ('changed' as const) : ('current' as const)]));
    const plan = planUp({ graph: graphOf(components), components: new Map(components.map((c) => [c.name, c])), states, specs }, []);
    assert.deepEqual(plan.filter((s) => s.action === 'up').map((s) => s.component), ['workspace', 'adaptive-default']);
    assert.match(plan.find((s) => s.component === 'workspace')!.reason, /spec changed: azure\.yaml changed since the last up/);
    assert.match(plan.find((s) => s.component === 'adaptive-default')!.reason, /workspace is provisioned again/);
  });
});
