import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DependencyGraph } from '../../src/core/graph';
import { runInDependencyOrder, type NodeResult } from '../../src/core/schedule';
import { dagArb, deferred, settle, type Deferred } from './helpers';

/** A run function whose steps the test finishes by hand. */
function controlled() {
  const started: string[] = [];
  const pending = new Map<string, Deferred<NodeResult>>();
  let running = 0;
  let maxRunning = 0;
  const run = (node: string): Promise<NodeResult> => {
    started.push(node);
    running++;
    maxRunning = Math.max(maxRunning, running);
    const d = deferred<NodeResult>();
    pending.set(node, d);
    return d.promise.finally(() => running--);
  };
  const finish = async (node: string, result: NodeResult = 'succeeded'): Promise<void> => {
    const d = pending.get(node);
    assert.ok(d, `${node} was not started`);
    d.resolve(result);
    await settle();
  };
  return { started, run, finish, running: () => running, maxRunning: () => maxRunning };
}

function waitsFor(edges: Record<string, string[]>) {
  return (node: string): string[] => edges[node] ?? [];
}

describe('runInDependencyOrder', () => {
  it('runs independent nodes at the same time and starts a node only after its dependencies succeeded', async () => {
    const c = controlled();
    const done = runInDependencyOrder(['cluster', 'storage', 'workspace'], waitsFor({ workspace: ['cluster', 'storage'] }), c.run);
    await settle();
    assert.deepEqual(c.started, ['cluster', 'storage'], 'both independent nodes start before either finishes');
    assert.equal(c.running(), 2);
    await c.finish('cluster');
    assert.deepEqual(c.started, ['cluster', 'storage'], 'workspace still waits for storage');
    await c.finish('storage');
    assert.deepEqual(c.started, ['cluster', 'storage', 'workspace']);
    await c.finish('workspace');
    const outcomes = await done;
    assert.deepEqual(Object.fromEntries(outcomes), {
      cluster: { result: 'succeeded' },
      storage: { result: 'succeeded' },
      workspace: { result: 'succeeded' },
    });
  });

  it('a failure skips only its transitive dependents; an unrelated branch still runs', async () => {
    const c = controlled();
    const skipped: Array<[string, string]> = [];
    const edges = { workspace: ['cluster'], adaptive: ['workspace'], reader: ['storage'] };
    const done = runInDependencyOrder(['cluster', 'storage', 'workspace', 'adaptive', 'reader'], waitsFor(edges), c.run, {
      onSkip: (n, r) => skipped.push([n, r]),
    });
    await settle();
    await c.finish('cluster', 'failed');
    await c.finish('storage');
    await c.finish('reader');
    const outcomes = await done;
    assert.deepEqual(c.started, ['cluster', 'storage', 'reader']);
    assert.deepEqual(outcomes.get('cluster'), { result: 'failed' });
    assert.deepEqual(outcomes.get('workspace'), { result: 'skipped', reason: 'not started: cluster failed' });
    assert.deepEqual(outcomes.get('adaptive'), { result: 'skipped', reason: 'not started: workspace was not started' });
    assert.deepEqual(outcomes.get('reader'), { result: 'succeeded' });
    assert.deepEqual(skipped.map(([n]) => n).sort(), ['adaptive', 'workspace']);
  });

  it('a run that throws counts as failed, with the error as reason', async () => {
    const outcomes = await runInDependencyOrder(['a', 'b'], waitsFor({ b: ['a'] }), async (n) => {
      if (n === 'a') throw new Error('boom');
      return 'succeeded';
    });
    assert.equal(outcomes.get('a')!.result, 'failed');
    assert.match(outcomes.get('a')!.reason!, /boom/);
    assert.equal(outcomes.get('b')!.result, 'skipped');
  });

  it('after an abort nothing new starts; running nodes finish and are recorded', async () => {
    const c = controlled();
    const controller = new AbortController();
    const done = runInDependencyOrder(['a', 'b', 'c'], waitsFor({ b: ['a'], c: ['b'] }), c.run, { signal: controller.signal });
    await settle();
    controller.abort();
    await c.finish('a');
    const outcomes = await done;
    assert.deepEqual(c.started, ['a']);
    assert.deepEqual(outcomes.get('a'), { result: 'succeeded' });
    assert.deepEqual(outcomes.get('b'), { result: 'skipped', reason: 'not started: cancelled' });
    assert.equal(outcomes.get('c')!.result, 'skipped');
  });

  it('an already aborted signal starts nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const started: string[] = [];
    const outcomes = await runInDependencyOrder(['a', 'b'], () => [], async (n) => (started.push(n), 'succeeded'), { signal: controller.signal });
    assert.deepEqual(started, []);
    assert.deepEqual([...outcomes.values()].map((o) => o.result), ['skipped', 'skipped']);
  });

  it('respects the concurrency limit', async () => {
    const c = controlled();
    const nodes = ['a', 'b', 'c', 'd', 'e'];
    const done = runInDependencyOrder(nodes, () => [], c.run, { concurrency: 2 });
    await settle();
    assert.deepEqual(c.started, ['a', 'b']);
    await c.finish('b');
    assert.deepEqual(c.started, ['a', 'b', 'c']);
    await c.finish('a');
    await c.finish('c');
    await c.finish('d');
    await c.finish('e');
    const outcomes = await done;
    assert.equal(c.maxRunning(), 2);
    assert.ok(nodes.every((n) => outcomes.get(n)!.result === 'succeeded'));
  });

  it('ignores dependencies outside the plan (already provisioned)', async () => {
    const outcomes = await runInDependencyOrder(['workspace'], waitsFor({ workspace: ['cluster'] }), async () => 'succeeded');
    assert.deepEqual(outcomes.get('workspace'), { result: 'succeeded' });
  });

  it('property: a node runs iff all its dependencies succeeded, never before they finish, within the limit', async () => {
    const scenario = dagArb.chain((dag) =>
      fc.record({
        dag: fc.constant(dag),
        failing: fc.subarray(dag.nodes),
        concurrency: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        delays: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ dag, failing, concurrency, delays }) => {
        const order = new DependencyGraph(dag.nodes, dag.edges).topologicalOrder();
        const started = new Set<string>();
        const finished = new Set<string>();
        let running = 0;
        let maxRunning = 0;
        const outcomes = await runInDependencyOrder(
          order,
          (n) => dag.edges[n],
          async (n) => {
            for (const d of dag.edges[n]) assert.ok(finished.has(d), `${n} started before ${d} finished`);
            started.add(n);
            running++;
            maxRunning = Math.max(maxRunning, running);
            for (let i = 0; i < delays[order.indexOf(n)]; i++) await new Promise<void>((r) => setImmediate(r));
            running--;
            finished.add(n);
            return failing.includes(n) ? 'failed' : 'succeeded';
          },
          { concurrency },
        );
        assert.equal(outcomes.size, order.length);
        const succeeded = (n: string): boolean => outcomes.get(n)?.result === 'succeeded';
        for (const n of order) {
          const shouldRun = dag.edges[n].every(succeeded);
          assert.equal(started.has(n), shouldRun, `${n} ran: ${started.has(n)}`);
          assert.equal(outcomes.get(n)!.result, !shouldRun ? 'skipped' : failing.includes(n) ? 'failed' : 'succeeded');
        }
        if (concurrency !== undefined) assert.ok(maxRunning <= concurrency);
      }),
      { numRuns: 150 },
    );
  });
});
