import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { componentsFor } from '../../src/core/components';
import { parseConfig } from '../../src/core/config/parse';
import { CycleError, DependencyGraph, UnknownComponentError } from '../../src/core/graph';
import { buildModel } from '../../src/core/model';
import { ancestors, azureConfig, dagArb, graphOf, levelsOf, localConfig } from './helpers';

const before = (order: string[], a: string, b: string): boolean => order.indexOf(a) >= 0 && order.indexOf(a) < order.indexOf(b);

describe('DependencyGraph', () => {
  describe('the default ModelOps graph', () => {
    it('local: cluster and storage before workspace before every adaptive run', () => {
      const graph = graphOf(componentsFor(localConfig({}, ['opt', 'hyper']), 'dev'));
      const order = graph.topologicalOrder();
      assert.deepEqual([...order].sort(), ['adaptive-hyper', 'adaptive-opt', 'cluster', 'storage', 'workspace']);
      assert.ok(before(order, 'cluster', 'workspace'));
      assert.ok(before(order, 'storage', 'workspace'));
      assert.ok(before(order, 'workspace', 'adaptive-opt'));
      assert.ok(before(order, 'workspace', 'adaptive-hyper'));
    });

    it('azure: resource-group before registry before cluster, registry and storage share a level', () => {
      const graph = graphOf(componentsFor(azureConfig(), 'dev'));
      assert.deepEqual(graph.topologicalOrder(), ['resource-group', 'registry', 'cluster', 'storage', 'workspace', 'adaptive-default']);
      assert.deepEqual(levelsOf(graph), [['resource-group'], ['registry', 'storage'], ['cluster'], ['workspace'], ['adaptive-default']]);
      assert.deepEqual([...graph.dependenciesOf('cluster')], ['resource-group', 'registry']);
    });

    it('levels group independent components: cluster and storage run together', () => {
      const graph = graphOf(componentsFor(localConfig({}, ['a', 'b']), 'dev'));
      assert.deepEqual(levelsOf(graph), [['cluster', 'storage'], ['workspace'], ['adaptive-a', 'adaptive-b']]);
    });

    it('without a workspace, adaptive runs depend on cluster and storage directly', () => {
      const graph = graphOf(componentsFor(localConfig({ workspace: undefined }), 'dev'));
      assert.deepEqual(levelsOf(graph), [['cluster', 'storage'], ['adaptive-default']]);
    });

    it('dependentsOf and transitiveDependentsOf', () => {
      const graph = graphOf(componentsFor(azureConfig({}, ['a', 'b']), 'dev'));
      assert.deepEqual(graph.dependentsOf('cluster'), ['workspace', 'adaptive-a', 'adaptive-b']);
      assert.deepEqual(graph.dependentsOf('workspace'), ['adaptive-a', 'adaptive-b']);
      assert.deepEqual(graph.dependentsOf('adaptive-a'), []);
      assert.deepEqual(graph.transitiveDependentsOf('registry'), ['cluster', 'workspace', 'adaptive-a', 'adaptive-b']);
      assert.deepEqual(graph.transitiveDependentsOf('resource-group'), ['registry', 'cluster', 'storage', 'workspace', 'adaptive-a', 'adaptive-b']);
      assert.deepEqual(graph.transitiveDependenciesOf('adaptive-a'), ['resource-group', 'registry', 'cluster', 'storage', 'workspace']);
      assert.deepEqual(graph.restrictTo(['workspace', 'cluster']), ['cluster', 'workspace']);
    });

    it('teardownOrder is exactly the reverse of the provisioning order', () => {
      const graph = graphOf(componentsFor(azureConfig(), 'dev'));
      assert.deepEqual(graph.teardownOrder(), ['adaptive-default', 'workspace', 'storage', 'cluster', 'registry', 'resource-group']);
    });

    it('depends_on adds extra edges', () => {
      const components = componentsFor(localConfig(), 'dev');
      const graph = graphOf(components, { storage: ['cluster'] });
      assert.deepEqual(levelsOf(graph), [['cluster'], ['storage'], ['workspace'], ['adaptive-default']]);
      assert.deepEqual(graph.dependentsOf('cluster'), ['storage', 'workspace', 'adaptive-default']);
    });

    it('a duplicated edge counts once', () => {
      const graph = new DependencyGraph(['a', 'b'], { b: ['a', 'a'] });
      assert.deepEqual([...graph.dependenciesOf('b')], ['a']);
    });
  });

  describe('errors', () => {
    it('a cycle throws CycleError naming it', () => {
      const components = componentsFor(localConfig(), 'dev');
      assert.throws(
        () => graphOf(components, { cluster: ['workspace'] }),
        (error: unknown) => {
          assert.ok(error instanceof CycleError);
          assert.deepEqual(error.cycle, ['cluster', 'workspace', 'cluster']);
          assert.match(error.message, /cluster → workspace → cluster/);
          return true;
        },
      );
    });

    it('a self-dependency is a cycle', () => {
      assert.throws(() => new DependencyGraph(['a'], { a: ['a'] }), (e: unknown) => e instanceof CycleError && e.message.includes('a → a'));
    });

    it('an unknown dependency throws UnknownComponentError naming the valid components', () => {
      assert.throws(
        () => new DependencyGraph(['cluster', 'workspace'], { workspace: ['clustr'] }),
        (error: unknown) => {
          assert.ok(error instanceof UnknownComponentError);
          assert.equal(error.component, 'clustr');
          assert.match(error.message, /workspace depends on unknown component "clustr"/);
          assert.match(error.message, /known components: cluster, workspace/);
          return true;
        },
      );
    });

    it('an unknown component on the left of depends_on is refused too', () => {
      assert.throws(
        () => new DependencyGraph(['cluster'], { storage: ['cluster'] }),
        (error: unknown) => error instanceof UnknownComponentError && error.component === 'storage' && /known components: cluster/.test(error.message),
      );
    });
  });

  describe('properties', () => {
    it('random DAGs: order respects dependencies, levels partition and increase, teardown is the reverse', () => {
      fc.assert(
        fc.property(dagArb, ({ nodes, edges }) => {
          const graph = new DependencyGraph(nodes, edges);
          const order = graph.topologicalOrder();
          assert.deepEqual([...order].sort(), [...nodes].sort());
          for (const n of nodes) for (const d of edges[n]) assert.ok(order.indexOf(d) < order.indexOf(n), `${d} before ${n}`);

          const levels = levelsOf(graph);
          const flat = levels.flat();
          assert.equal(flat.length, nodes.length);
          assert.deepEqual([...flat].sort(), [...nodes].sort());
          assert.ok(levels.every((l) => l.length > 0));
          const levelOf = new Map(levels.flatMap((l, i) => l.map((n) => [n, i] as const)));
          for (const n of nodes) {
            for (const d of edges[n]) assert.ok(levelOf.get(n)! > levelOf.get(d)!);
            // As early as possible: level 0 has no dependencies, any other level has one in the level just below.
            const own = levelOf.get(n)!;
            assert.ok(own === 0 ? edges[n].length === 0 : edges[n].some((d) => levelOf.get(d) === own - 1));
          }

          assert.deepEqual(graph.teardownOrder(), [...order].reverse());
          for (const n of nodes) {
            const expected = nodes.filter((m) => ancestors(edges, m).has(n));
            assert.deepEqual([...graph.transitiveDependentsOf(n)].sort(), expected.sort());
          }
        }),
        { numRuns: 300 },
      );
    });

    it('random graphs with a back edge: construction throws CycleError naming a real cycle', () => {
      const cyclic = dagArb.chain(({ nodes, edges }) =>
        fc
          .shuffledSubarray(nodes, { minLength: 1, maxLength: Math.min(nodes.length, 5) })
          .map((chain) => {
            // chain[0] → chain[1] → … → chain[k] → chain[0], on top of the DAG.
            const all: Record<string, string[]> = Object.fromEntries(Object.entries(edges).map(([k, v]) => [k, [...v]]));
            for (let i = 0; i < chain.length; i++) {
              const from = chain[i];
              const to = chain[(i + 1) % chain.length];
              if (!all[from].includes(to)) all[from].push(to);
            }
            return { nodes, edges: all };
          }),
      );
      fc.assert(
        fc.property(cyclic, ({ nodes, edges }) => {
          let thrown: unknown;
          try {
            new DependencyGraph(nodes, edges);
          } catch (error) {
            thrown = error;
          }
          assert.ok(thrown instanceof CycleError, 'expected a CycleError');
          const cycle = thrown.cycle;
          assert.ok(cycle.length >= 2);
          assert.equal(cycle[0], cycle[cycle.length - 1]);
          assert.equal(new Set(cycle.slice(1)).size, cycle.length - 1, 'a simple cycle');
          for (let i = 0; i + 1 < cycle.length; i++) assert.ok(edges[cycle[i]].includes(cycle[i + 1]), `${cycle[i]} → ${cycle[i + 1]} is an edge`);
          assert.ok(thrown.message.includes(cycle.join(' → ')));
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('the model (src/core/model.ts)', () => {
  it('turns a depends_on cycle into a problem on its line, as the editor shows it while typing', () => {
    const text = 'provider: local\nstorage: {}\nworkspace:\n  metadata: { name: w }\ndepends_on:\n  cluster: [workspace]\n';
    const model = buildModel(parseConfig(text, 'azure.yaml'));
    const cycle = model.problems.find((p) => p.code === 'dependency-cycle');
    assert.ok(cycle, JSON.stringify(model.problems));
    assert.equal(cycle.range.start.line, 6);
    assert.equal(model.graph, undefined);
  });
});
