/** The spec of a component (src/core/spec.ts) and how up converges on it. */
import { strict as assert } from 'node:assert';
import { componentsFor } from '../../src/core/components';
import { planUp } from '../../src/core/plan';
import { canonicalJson, specDifferences, specHash, specOf, specState } from '../../src/core/spec';
import type { InfraConfig } from '../../src/core/config/types';
import { Engine } from '../../src/engine/engine';
import type { Setup } from '../../src/engine/setup';
import { azureConfig, byName, graphOf, localConfig, statesFor, WORKSPACE } from './helpers';

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

  it('on Azure records the subscription the resources really go into, also when AZURE_SUBSCRIPTION_ID gives it; a local file ignores the variable', () => {
    const engineFor = (config: InfraConfig) => new Engine({ config, env: 'dev', components: componentsFor(config, 'dev') } as unknown as Setup, () => undefined);
    const azure = { ...azureConfig(), subscriptionId: undefined };
    const cluster = (config: InfraConfig) => byName(componentsFor(config, 'dev'), 'cluster');
    const saved = process.env.AZURE_SUBSCRIPTION_ID;
    try {
      process.env.AZURE_SUBSCRIPTION_ID = '11111111-1111-1111-1111-111111111111';
      const first = engineFor(azure).spec(cluster(azure));
      assert.equal((first.spec as { subscriptionId?: string }).subscriptionId, '11111111-1111-1111-1111-111111111111');
      const local = engineFor(base).spec(byName(components, 'cluster')).hash;
      process.env.AZURE_SUBSCRIPTION_ID = '22222222-2222-2222-2222-222222222222';
      assert.notEqual(engineFor(azure).spec(cluster(azure)).hash, first.hash, 'another subscription is another deployment');
      assert.equal(engineFor(base).spec(byName(components, 'cluster')).hash, local, 'the local provider does not read it');
      const pinned = { ...azure, subscriptionId: '33333333-3333-3333-3333-333333333333' };
      assert.equal((engineFor(pinned).spec(cluster(pinned)).spec as { subscriptionId?: string }).subscriptionId, '33333333-3333-3333-3333-333333333333', 'subscription_id comes first');
    } finally {
      if (saved === undefined) delete process.env.AZURE_SUBSCRIPTION_ID;
      else process.env.AZURE_SUBSCRIPTION_ID = saved;
    }
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
