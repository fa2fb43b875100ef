/** Plans made in core (src/core/plan.ts): what each verb touches, in which order. */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { componentsFor, type Component } from '../../src/core/components';
import { DependencyGraph } from '../../src/core/graph';
import { operationResult, planDown, planForceRecreate, planRepair, planRollback, planUp, recreateSet, unconfirmedDestroys, type PlanInput } from '../../src/core/plan';
import { isStatefulResource } from '../../src/core/dataGuard';
import type { SpecState } from '../../src/core/spec';
import { absentStack, type StackState } from '../../src/core/state';
import { CONSUMED_OUTPUT, DIGESTS_OUTPUT } from '../../src/core/freshness';
import { ancestors, azureConfig, dagArb, graphOf, localConfig, readyState, statesFor, withOutputs } from './helpers';

function inputFor(components: Component[], states: Map<string, StackState>, graph = graphOf(components)): PlanInput {
  return { graph, components: new Map(components.map((c) => [c.name, c])), states };
}

const local = componentsFor(localConfig(), 'dev');
const plain = (value: unknown) => ({ secret: false, empty: false, value });
const steps = (plan: Array<{ component: string; action: string }>, action: string): string[] => plan.filter((s) => s.action === action).map((s) => s.component);

describe('plans', () => {
  describe('force recreate', () => {
    it('of workspace destroys workspace and what depends on it, dependents first, and never what it depends on', () => {
      const plan = planForceRecreate(inputFor(local, statesFor(local)), ['workspace']);
      assert.deepEqual(steps(plan.destroy, 'destroy'), ['adaptive-default', 'workspace']);
      assert.deepEqual(plan.recreate, ['workspace', 'adaptive-default']);
      assert.deepEqual(steps(plan.up, 'up'), ['workspace', 'adaptive-default'], 'cluster and storage are ready and stay as they are');
      assert.deepEqual(steps(plan.up, 'skip'), ['cluster', 'storage']);
    });

    it('of the cluster recreates everything that reads it, and leaves storage (the users\' data) alone', () => {
      const plan = planForceRecreate(inputFor(local, statesFor(local)), ['cluster']);
      assert.deepEqual(steps(plan.destroy, 'destroy'), ['adaptive-default', 'workspace', 'cluster']);
      assert.ok(!plan.destroy.some((s) => s.component === 'storage'));
    });

    it('of everything destroys every existing stack in reverse dependency order', () => {
      const states = statesFor(local, { 'adaptive-default': absentStack('modelops-adaptive-dev-default') });
      const plan = planForceRecreate(inputFor(local, states), []);
      assert.deepEqual(steps(plan.destroy, 'destroy'), ['workspace', 'storage', 'cluster'], 'a stack that does not exist is not destroyed');
      assert.deepEqual(steps(plan.up, 'up'), ['cluster', 'storage', 'workspace', 'adaptive-default']);
    });

    it('says which stacks hold data', () => {
      const azure = componentsFor(azureConfig(), 'dev');
      const plan = planForceRecreate(inputFor(azure, statesFor(azure)), []);
      const held = Object.fromEntries(plan.destroy.map((s) => [s.component, s.holdsData]));
      assert.match(held.storage ?? '', /blob containers/);
      assert.match(held.registry ?? '', /images/);
      assert.match(held['adaptive-default'] ?? '', /database/);
      assert.equal(held.cluster, undefined);
      assert.equal(held.workspace, undefined);
    });

    it('provisions a dependency that is not ready before the recreated ones', () => {
      const states = statesFor(local, { storage: withOutputs(readyState(local[1]), { account_name: undefined }) });
      const plan = planForceRecreate(inputFor(local, states), ['workspace']);
      assert.deepEqual(steps(plan.up, 'up'), ['storage', 'workspace', 'adaptive-default']);
      assert.deepEqual(steps(plan.destroy, 'destroy'), ['adaptive-default', 'workspace']);
    });
  });

  describe('up', () => {
    it('skips what is ready and runs what is not, then what depends on a run', () => {
      const states = statesFor(local, { cluster: withOutputs(readyState(local[0]), { kubeconfig: undefined }) });
      const plan = planUp(inputFor(local, states), []);
      assert.deepEqual(steps(plan, 'up'), ['cluster', 'workspace', 'adaptive-default']);
      assert.match(plan.find((s) => s.component === 'workspace')!.reason, /cluster is provisioned again/);
      assert.deepEqual(plan.find((s) => s.component === 'workspace')!.ifReadsChanged, ['cluster'], 're-applied only if what it reads from cluster changes');
      assert.deepEqual(plan.find((s) => s.component === 'adaptive-default')!.ifReadsChanged, ['cluster', 'workspace']);
      assert.equal(plan.find((s) => s.component === 'cluster')!.ifReadsChanged, undefined, 'a step with its own reason is taken whatever happens before it');
    });

    it('re-applies a stale component, saying what it read that changed, unconditionally', () => {
      const [cluster, storage, workspace] = local;
      const states = statesFor(local, {
        storage: withOutputs(readyState(storage!), { [DIGESTS_OUTPUT]: plain({ connection_string: 'new', account_name: 'a' }) }),
        cluster: withOutputs(readyState(cluster!), { [DIGESTS_OUTPUT]: plain({ kubeconfig: 'k' }) }),
        workspace: withOutputs(readyState(workspace!), { [CONSUMED_OUTPUT]: plain({ 'storage.connection_string': 'old', 'storage.account_name': 'a', 'cluster.kubeconfig': 'k' }) }),
      });
      const plan = planUp(inputFor(local, states), []);
      assert.deepEqual(steps(plan, 'up'), ['workspace', 'adaptive-default']);
      const step = plan.find((s) => s.component === 'workspace')!;
      assert.equal(step.reason, 'stale: reads connection_string from storage, changed since its last up');
      assert.equal(step.ifReadsChanged, undefined);
    });

    it('of one component includes what it depends on, and nothing that depends on it', () => {
      const plan = planUp(inputFor(local, new Map(local.map((c) => [c.name, absentStack(c.stack)]))), ['workspace']);
      assert.deepEqual(plan.map((s) => s.component), ['cluster', 'storage', 'workspace']);
    });
  });

  describe('repair', () => {
    it('clears a dead lock, refreshes, provisions, then verifies the dependents', () => {
      const states = statesFor(local, { cluster: readyState(local[0], { lock: { pid: 1, ownerAlive: false } }) });
      const plan = planRepair(inputFor(local, states), 'cluster');
      assert.ok('steps' in plan);
      assert.deepEqual(plan.steps.map((s) => `${s.action} ${s.component}`), ['clear-lock cluster', 'refresh cluster', 'up cluster', 'verify workspace', 'verify adaptive-default']);
    });

    it('refuses a lock whose owner may be alive, saying how to clear it once that run is known to be dead', () => {
      const states = statesFor(local, { cluster: readyState(local[0], { lock: { pid: 1, hostname: 'ci-7', username: 'bob', ownerAlive: 'unknown' } }) });
      const plan = planRepair(inputFor(local, states), 'cluster');
      assert.ok('refused' in plan);
      assert.match(plan.refused, /locked by pid 1 on bob@ci-7, which this machine cannot check\. Once you know that run is gone: mops-infra repair cluster --force-unlock$/);
      assert.equal(plan.refusal, 'busy', 'that run may still be working: waiting for it can help');
    });

    it('refuses a lock that looks dead as such: waiting cannot help, only a person', () => {
      const states = statesFor(local, { cluster: readyState(local[0], { lock: { pid: 1, hostname: 'ci-7', ownerAlive: 'unknown', stale: 'no heartbeat since 10:01' } }) });
      const plan = planRepair(inputFor(local, states), 'cluster');
      assert.ok('refused' in plan);
      assert.match(plan.refused, /It looks dead \(no heartbeat since 10:01\)\. Once you know that run is gone: mops-infra repair cluster --force-unlock$/);
      assert.equal(plan.refusal, 'looks-dead');
    });

    it('with --force-unlock clears a lock of another host, never a live one of this host', () => {
      const elsewhere = statesFor(local, { cluster: readyState(local[0], { lock: { pid: 1, hostname: 'ci-7', ownerAlive: 'unknown' } }) });
      const forced = planRepair(inputFor(local, elsewhere), 'cluster', true);
      assert.ok(!('refused' in forced));
      assert.deepEqual(forced.steps.slice(0, 1).map((s) => [s.action, s.reason]), [['clear-lock', 'lock of another host, cleared on request (--force-unlock)']]);
      const here = statesFor(local, { cluster: readyState(local[0], { lock: { pid: process.pid, hostname: 'here', ownerAlive: true } }) });
      assert.ok('refused' in planRepair(inputFor(local, here), 'cluster', true), 'a running process here keeps its lock');
    });
  });

  describe('an operation\'s result', () => {
    it('is the worst of its steps and its final readiness', () => {
      assert.equal(operationResult({ cancelled: false, steps: ['failed', 'succeeded'], ready: true }), 'failed', 'a failed refresh is not hidden by a ready read');
      assert.equal(operationResult({ cancelled: false, steps: ['succeeded'], ready: false }), 'failed');
      assert.equal(operationResult({ cancelled: false, steps: ['succeeded', 'skipped'], ready: true }), 'succeeded');
      assert.equal(operationResult({ cancelled: true, steps: ['succeeded'], ready: true }), 'cancelled');
    });
  });

  describe('down', () => {
    it('with no components keeps what holds data, and goes dependents first', () => {
      const plan = planDown(inputFor(local, statesFor(local)), []);
      assert.ok('destroy' in plan);
      assert.deepEqual(steps(plan.destroy, 'destroy'), ['adaptive-default', 'workspace', 'cluster']);
      assert.deepEqual(plan.kept, ['storage']);
    });

    it("`also` (the original's --destroy-storage) destroys a kept one with the rest", () => {
      const plan = planDown(inputFor(local, statesFor(local)), [], { also: ['storage'] });
      assert.ok('destroy' in plan);
      assert.deepEqual(steps(plan.destroy, 'destroy').sort(), ['adaptive-default', 'cluster', 'storage', 'workspace']);
      assert.deepEqual(plan.kept, []);
    });

    it("the original's --delete-rg alone is refused while the registry and storage stay in the group: deleting it would take their data", () => {
      const azure = componentsFor(azureConfig(), 'dev');
      const refused = planDown(inputFor(azure, statesFor(azure)), [], { also: ['resource-group'] });
      assert.ok('refused' in refused);
      assert.match(refused.refused, /^resource-group cannot go while registry, storage depend on it and stay/);
      const all = planDown(inputFor(azure, statesFor(azure)), [], { also: ['resource-group', 'registry', 'storage'] });
      assert.ok('destroy' in all);
      assert.equal(steps(all.destroy, 'destroy').pop(), 'resource-group', 'with --destroy-registry and --destroy-storage, the group goes last');
    });

    it('refuses to take away what a staying component depends on, unless with its dependents', () => {
      const refused = planDown(inputFor(local, statesFor(local)), ['cluster']);
      assert.ok('refused' in refused);
      assert.match(refused.refused, /cluster cannot go while workspace, adaptive-default depend on it and stay/);
      const withDependents = planDown(inputFor(local, statesFor(local)), ['cluster'], { withDependents: true });
      assert.ok('destroy' in withDependents);
      assert.deepEqual(steps(withDependents.destroy, 'destroy'), ['adaptive-default', 'workspace', 'cluster']);
    });
  });

  describe('on random graphs', () => {
    const stateArb = fc.constantFrom('ready', 'absent', 'missing');
    it('force recreate destroys exactly the named nodes and their dependents, dependents first, and provisions in dependency order', () => {
      fc.assert(
        fc.property(dagArb, fc.array(stateArb, { minLength: 12, maxLength: 12 }), fc.integer({ min: 0, max: 11 }), ({ nodes, edges }, kinds, pick) => {
          const graph = new DependencyGraph(nodes, edges);
          const components = nodes.map((name) => ({ name, kind: 'workspace', stack: `s-${name}`, requiredOutputs: [{ name: 'o', secret: false }], uses: [] }) as unknown as Component);
          const states = new Map(nodes.map((n, i) => {
            const c = components[i];
            const ready = readyState(c, { outputs: { o: { secret: false, empty: false, value: 1 } } });
            return [n, kinds[i] === 'ready' ? ready : kinds[i] === 'absent' ? absentStack(c.stack) : withOutputs(ready, { o: undefined })] as const;
          }));
          const named = [nodes[pick % nodes.length]];
          const plan = planForceRecreate(inputFor(components, states, graph), named);
          const dependents = new Set(nodes.filter((n) => ancestors(edges, n).has(named[0])));
          const expected = new Set([named[0], ...dependents]);
          // Never touches a node that is neither named nor depends on one.
          for (const s of plan.destroy) assert.ok(expected.has(s.component), `destroys ${s.component}`);
          assert.deepEqual(new Set(plan.recreate), expected);
          // Dependents first.
          const at = (n: string) => plan.destroy.findIndex((s) => s.component === n);
          for (const s of plan.destroy) for (const dep of edges[s.component] ?? []) if (at(dep) >= 0) assert.ok(at(dep) > at(s.component));
          // Provisioning respects dependency order and never names what is outside the recreate set and its dependencies.
          const order = plan.up.map((s) => s.component);
          for (const n of order) for (const dep of edges[n] ?? []) assert.ok(order.indexOf(dep) < order.indexOf(n));
          const scope = new Set([...expected].flatMap((n) => [n, ...ancestors(edges, n)]));
          assert.deepEqual(new Set(order), scope);
          assert.deepEqual(new Set(recreateSet(graph, named)), expected);
        }),
        { numRuns: 200 },
      );
    });

    /** Components of a random DAG with random states (ready, absent, outputs missing, failed) and spec states. */
    const world = fc.tuple(dagArb, fc.array(fc.constantFrom('ready', 'absent', 'missing', 'failed'), { minLength: 12, maxLength: 12 }), fc.array(fc.constantFrom<SpecState>('current', 'changed', 'unknown'), { minLength: 12, maxLength: 12 }));
    function inputOf([{ nodes, edges }, kinds, specs]: [{ nodes: string[]; edges: Record<string, string[]> }, string[], SpecState[]]): PlanInput {
      const graph = new DependencyGraph(nodes, edges);
      const components = nodes.map((name) => ({ name, kind: 'workspace', stack: `s-${name}`, requiredOutputs: [{ name: 'o', secret: false }], uses: [] }) as unknown as Component);
      const states = new Map(nodes.map((n, i) => {
        const ready = readyState(components[i], { outputs: { o: { secret: false, empty: false, value: 1 } } });
        const state = { ready, absent: absentStack(components[i].stack), missing: withOutputs(ready, { o: undefined }), failed: { ...ready, lastUpdate: { kind: 'update', result: 'failed' as const } } }[kinds[i]]!;
        return [n, state] as const;
      }));
      return { ...inputFor(components, states, graph), specs: new Map(nodes.map((n, i) => [n, specs[i]])) };
    }

    it('up runs in dependency order, only what was named and what it needs, and skips only what is ready and current', () => {
      fc.assert(
        fc.property(world, fc.integer({ min: 0, max: 11 }), fc.boolean(), (w, pick, all) => {
          const input = inputOf(w);
          const { nodes, edges } = w[0];
          const named = all ? [] : [nodes[pick % nodes.length]];
          const plan = planUp(input, named);
          const order = plan.map((s) => s.component);
          const scope = all ? new Set(nodes) : new Set([named[0], ...ancestors(edges, named[0])]);
          assert.deepEqual(new Set(order), scope, 'the named components and what they depend on, nothing else');
          for (const n of order) for (const dep of edges[n] ?? []) assert.ok(order.indexOf(dep) < order.indexOf(n), `${dep} before ${n}`);
          for (const s of plan) {
            assert.ok(s.action === 'up' || s.action === 'skip');
            if (s.action === 'skip') {
              assert.equal(input.states.get(s.component)!.lastUpdate?.result, 'succeeded');
              assert.notEqual(input.states.get(s.component)!.outputs.o, undefined, 'skipped only when ready');
              assert.equal(input.specs!.get(s.component), 'current', 'skipped only when its spec is current');
              for (const dep of edges[s.component] ?? []) assert.equal(plan.find((x) => x.component === dep)!.action, 'skip', 'skipped only when nothing it depends on runs');
            }
          }
        }),
        { numRuns: 300 },
      );
    });

    it('repair touches only the named component, then verifies what depends on it, and never destroys', () => {
      fc.assert(
        fc.property(world, fc.integer({ min: 0, max: 11 }), (w, pick) => {
          const input = inputOf(w);
          const { nodes, edges } = w[0];
          const name = nodes[pick % nodes.length];
          const plan = planRepair(input, name);
          if ('refused' in plan) return;
          for (const s of plan.steps) {
            assert.notEqual(s.action, 'destroy');
            if (s.action === 'verify') assert.ok(ancestors(edges, s.component).has(name), `verifies only what depends on ${name}`);
            else assert.equal(s.component, name, `changes only ${name}`);
          }
          assert.deepEqual(plan.steps.filter((s) => s.action !== 'verify').map((s) => s.action).slice(-1), ['up']);
        }),
        { numRuns: 300 },
      );
    });

    it('rollback goes back to a successful update with a spec, older than the newest successful one, or says why not', () => {
      const update = fc.record({ kind: fc.constantFrom('update', 'refresh', 'destroy'), result: fc.constantFrom('succeeded', 'failed'), spec: fc.option(fc.constant('s'), { nil: undefined }) });
      fc.assert(
        fc.property(fc.array(update, { maxLength: 12 }), fc.option(fc.integer({ min: 0, max: 13 }), { nil: undefined }), (list, to) => {
          const updates = list.map((u, i) => ({ ...u, version: list.length - i }));
          const chosen = planRollback(updates, to);
          if (typeof chosen === 'string') return;
          assert.equal(chosen.kind, 'update');
          assert.equal(chosen.result, 'succeeded');
          assert.ok(chosen.spec, 'it has a spec to re-run with');
          if (to !== undefined) assert.equal(chosen.version, to);
          else assert.ok(updates.some((u) => u.kind === 'update' && u.result === 'succeeded' && u.version > chosen.version), 'an update before the newest successful one');
        }),
        { numRuns: 300 },
      );
    });

    it('nothing is destroyed without a confirmation: every destroying plan stops at the gate until confirmed', () => {
      fc.assert(
        fc.property(world, fc.integer({ min: 0, max: 11 }), fc.boolean(), (w, pick, withDependents) => {
          const input = inputOf(w);
          const { nodes } = w[0];
          const named = [nodes[pick % nodes.length]];
          const down = planDown(input, named, { withDependents });
          const plans = [planForceRecreate(input, named).destroy, planForceRecreate(input, []).destroy, ...('refused' in down ? [] : [down.destroy])];
          for (const steps of plans) {
            const destroys = steps.filter((s) => s.action === 'destroy');
            const gate = unconfirmedDestroys(steps, false, 'this');
            assert.equal(gate !== undefined, destroys.length > 0, 'unconfirmed, a plan that destroys anything is stopped');
            if (gate) for (const s of destroys) assert.ok(gate.includes(s.stack), `the refusal names ${s.stack}`);
            assert.equal(unconfirmedDestroys(steps, true, 'this'), undefined, 'confirmed, it goes ahead');
          }
        }),
        { numRuns: 300 },
      );
    });

    it('down destroys only what was named (and, when asked, what depends on it), dependents first, and never leaves a dependent behind', () => {
      fc.assert(
        fc.property(dagArb, fc.integer({ min: 0, max: 11 }), fc.boolean(), ({ nodes, edges }, pick, withDependents) => {
          const graph = new DependencyGraph(nodes, edges);
          const components = nodes.map((name) => ({ name, kind: 'workspace', stack: `s-${name}`, requiredOutputs: [], uses: [] }) as unknown as Component);
          const states = new Map(nodes.map((n, i) => [n, readyState(components[i])] as const));
          const named = [nodes[pick % nodes.length]];
          const plan = planDown(inputFor(components, states, graph), named, { withDependents });
          const dependents = nodes.filter((n) => ancestors(edges, n).has(named[0]));
          if ('refused' in plan) {
            assert.ok(!withDependents && dependents.length > 0, 'refused only when a dependent would stay');
            return;
          }
          const destroyed = plan.destroy.map((s) => s.component);
          assert.deepEqual(new Set(destroyed), new Set([named[0], ...(withDependents ? dependents : [])]));
          for (const n of destroyed) for (const dep of edges[n] ?? []) if (destroyed.includes(dep)) assert.ok(destroyed.indexOf(dep) > destroyed.indexOf(n), 'dependents first');
        }),
        { numRuns: 200 },
      );
    });
  });
});

describe('what holds data', () => {
  it('a cluster, a storage account, a registry, a database server, a resource group and a volume claim do; a deployment does not', () => {
    for (const type of ['azure-native:containerservice:ManagedCluster', 'azure-native:storage:StorageAccount', 'azure-native:containerregistry:Registry', 'azure-native:dbforpostgresql:FlexibleServer', 'azure-native:resources:ResourceGroup', 'kubernetes:core/v1:PersistentVolumeClaim', 'kubernetes:apps/v1:StatefulSet']) {
      assert.ok(isStatefulResource('workspace', type), type);
    }
    for (const type of ['kubernetes:apps/v1:Deployment', 'kubernetes:core/v1:Service', 'azure-native:authorization:RoleAssignment']) assert.ok(!isStatefulResource('storage', type), type);
  });

  it("the local provider's stand-ins count as what they stand for", () => {
    const local = 'pulumi-nodejs:dynamic/modelops-local:LocalResource';
    assert.ok(isStatefulResource('storage', local) && isStatefulResource('cluster', local));
    assert.ok(!isStatefulResource('workspace', local) && !isStatefulResource('adaptive', local));
  });
});

describe('rollback plans', () => {
  const u = (version: number, result: string, spec?: string, kind = 'update') => ({ version, kind, result, spec });
  it('go back to the newest successful update before the newest successful one, skipping failures and refreshes', () => {
    const updates = [u(5, 'failed', 'e'), u(4, 'succeeded', 'd'), u(3, 'succeeded', undefined, 'refresh'), u(2, 'failed', 'b'), u(1, 'succeeded', 'a')];
    assert.equal((planRollback(updates) as { version: number }).version, 1);
    assert.equal((planRollback(updates, 4) as { version: number }).version, 4);
    assert.match(planRollback(updates, 2) as string, /version 2 is a update that failed/);
    assert.match(planRollback(updates, 9) as string, /there is no version 9/);
    assert.match(planRollback([u(1, 'succeeded', 'a')]) as string, /no earlier successful update/);
    assert.match(planRollback([u(2, 'succeeded', 'b'), u(1, 'succeeded')]) as string, /no earlier successful update with a recorded spec/);
  });
});
