import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { componentsFor, REQUIRED_OUTPUTS, type Component } from '../../src/core/components';
import { computeReadiness, describeReadiness, ownStatus, STATUSES, summarize, type ComponentReadiness } from '../../src/core/readiness';
import { absentStack, isCancelOf, isEmptyValue, type StackState } from '../../src/core/state';
import { outputStates } from '../../src/engine/backends/diyState';
import { azureConfig, byName, graphOf, localConfig, plain, readyState, statesFor, withOutputs } from './helpers';

const components = componentsFor(localConfig({}, ['a', 'b']), 'dev');
const graph = graphOf(components);
const cluster = byName(components, 'cluster');
const storage = byName(components, 'storage');

function status(list: ComponentReadiness[], name: string): ComponentReadiness {
  return list.find((r) => r.name === name)!;
}

describe('readiness', () => {
  describe('ownStatus', () => {
    it('ready when the last update succeeded and every required output is non-empty', () => {
      assert.deepEqual(ownStatus(cluster, readyState(cluster)), { status: 'ready', reason: '', missing: [] });
    });

    it('outputs-missing names the missing outputs', () => {
      const own = ownStatus(cluster, withOutputs(readyState(cluster), { kubeconfig: undefined, location: undefined }));
      assert.equal(own.status, 'outputs-missing');
      assert.deepEqual(own.missing, ['kubeconfig', 'location']);
      assert.match(own.reason, /missing: kubeconfig, location/);
    });

    for (const [label, value] of [
      ['an empty string', ''],
      ['null', null],
      ['an empty object', {}],
      ['an empty array', []],
    ] as const) {
      it(`an output whose value is ${label} counts as missing`, () => {
        const state = withOutputs(readyState(cluster), outputStates({ cluster_name: value }));
        const own = ownStatus(cluster, state);
        assert.equal(own.status, 'outputs-missing');
        assert.deepEqual(own.missing, ['cluster_name']);
      });
    }

    it('an empty secret counts as missing; a non-empty one does not', () => {
      assert.deepEqual(ownStatus(cluster, withOutputs(readyState(cluster), { kubeconfig: { secret: true, empty: true } })).missing, ['kubeconfig']);
      assert.equal(ownStatus(cluster, withOutputs(readyState(cluster), { kubeconfig: { secret: true, empty: false } })).status, 'ready');
    });

    it('0 and false are values, not missing', () => {
      assert.equal(isEmptyValue(0), false);
      assert.equal(isEmptyValue(false), false);
      assert.equal(ownStatus(cluster, withOutputs(readyState(cluster), outputStates({ location: 0 }))).status, 'ready');
    });

    it('outputs-missing with no resources says so', () => {
      const state = { ...absentStack(cluster.stack), exists: true, lastUpdate: { kind: 'update', result: 'succeeded' as const } };
      const own = ownStatus(cluster, state);
      assert.equal(own.status, 'outputs-missing');
      assert.match(own.reason, /^no resources; missing: kubeconfig, cluster_name, resource_group, location$/);
    });

    it('failed when the last update failed, even though the outputs survived it', () => {
      const own = ownStatus(cluster, readyState(cluster, { lastUpdate: { kind: 'update', result: 'failed' } }));
      assert.equal(own.status, 'failed');
      assert.match(own.reason, /last update failed/);
    });

    it('cancelled, not failed, when our own record says the failed update was a cancel; it still lists what is missing', () => {
      const cancelled = { kind: 'update', result: 'failed' as const, startTime: '2026-12-02T10:00:00.000Z', endTime: '2026-12-02T10:00:30.000Z', cancelledAt: '2026-12-02T10:00:31.000Z' };
      const state = withOutputs(readyState(cluster, { lastUpdate: cancelled }), { kubeconfig: undefined });
      assert.deepEqual(ownStatus(cluster, state), { status: 'cancelled', reason: 'last update was cancelled', missing: ['kubeconfig'] });
    });

    it('a cancel record belongs to the failed update it ended, not to an older failure or a later one', () => {
      const update = { kind: 'update', result: 'failed' as const, startTime: '2026-12-02T10:00:00.000Z', endTime: '2026-12-02T10:00:30.000Z' };
      const up = (at: string) => ({ at, action: 'up' });
      assert.equal(isCancelOf(update, up('2026-12-02T10:00:31.000Z')), true, 'recorded as the update ended');
      assert.equal(isCancelOf(update, up('2026-12-02T09:59:00.000Z')), false, 'a cancel before this update began was of an older one');
      assert.equal(isCancelOf(update, up('2026-12-02T11:00:00.000Z')), false, 'an hour after it ended: a cancel before Pulumi started, which left no entry');
      assert.equal(isCancelOf({ ...update, result: 'succeeded' }, up('2026-12-02T10:00:31.000Z')), false, 'a succeeded update was not cancelled');
      assert.equal(isCancelOf(update, { at: '2026-12-02T10:00:31.000Z', action: 'destroy' }), false, 'a cancelled destroy is not this failed update');
      assert.equal(isCancelOf({ ...update, kind: 'destroy' }, { at: '2026-12-02T10:00:31.000Z', action: 'destroy' }), true);
    });

    it('a failed update still lists what is missing', () => {
      const state = withOutputs(readyState(cluster, { lastUpdate: { kind: 'refresh', result: 'failed' } }), { kubeconfig: undefined });
      assert.deepEqual(ownStatus(cluster, state), { status: 'failed', reason: 'last refresh failed', missing: ['kubeconfig'] });
    });

    it('interrupted by pending operations from an interrupted update', () => {
      const own = ownStatus(cluster, readyState(cluster, { pendingOperations: [{ type: 'creating', urn: 'urn:pulumi:dev::x::y::z' }] }));
      assert.equal(own.status, 'interrupted');
      assert.match(own.reason, /1 pending operation from an interrupted update/);
      const two = ownStatus(cluster, readyState(cluster, { pendingOperations: [{ type: 'creating', urn: 'a' }, { type: 'updating', urn: 'b' }] }));
      assert.match(two.reason, /2 pending operations/);
    });

    it('interrupted by a lock whose owner is dead, naming the pid', () => {
      const own = ownStatus(cluster, readyState(cluster, { lock: { pid: 4242, hostname: 'box', ownerAlive: false } }));
      assert.equal(own.status, 'interrupted');
      assert.match(own.reason, /pid 4242 on box, which is no longer running/);
    });

    it('interrupted when the last update never finished', () => {
      assert.equal(ownStatus(cluster, readyState(cluster, { lastUpdate: { kind: 'update', result: 'in-progress' } })).status, 'interrupted');
    });

    it('busy for a live lock, or one held on another host', () => {
      for (const ownerAlive of [true, 'unknown'] as const) {
        const own = ownStatus(cluster, readyState(cluster, { lock: { pid: 77, hostname: 'ci', timestamp: '2025-01-01T00:00:00Z', ownerAlive } }));
        assert.equal(own.status, 'busy', `ownerAlive ${ownerAlive}`);
        assert.match(own.reason, /pid 77 on ci holds the lock since 2025-01-01T00:00:00Z/);
      }
    });

    it('a live lock wins over pending operations and a failed update (someone is working on it)', () => {
      const state = readyState(cluster, {
        lock: { pid: 1, ownerAlive: true },
        pendingOperations: [{ type: 'creating', urn: 'u' }],
        lastUpdate: { kind: 'update', result: 'failed' },
      });
      assert.equal(ownStatus(cluster, state).status, 'busy');
    });

    it('absent when there is no stack', () => {
      const own = ownStatus(cluster, absentStack(cluster.stack));
      assert.equal(own.status, 'absent');
      assert.match(own.reason, /modelops-infra-dev does not exist/);
    });

    it('absent when the last update was a successful destroy that left no resources', () => {
      const state = { ...absentStack(cluster.stack), exists: true, lastUpdate: { kind: 'destroy', result: 'succeeded' as const } };
      const own = ownStatus(cluster, state);
      assert.equal(own.status, 'absent');
      assert.match(own.reason, /was destroyed/);
    });

    it('a successful destroy that left resources behind is interrupted, neither absent nor ready, whatever outputs the stack kept', () => {
      // Pulumi records a destroy that a cancel stopped part-way as succeeded; the stack keeps its outputs.
      const state = { ...absentStack(cluster.stack), exists: true, resourceCount: 2, lastUpdate: { kind: 'destroy', result: 'succeeded' as const } };
      assert.deepEqual(ownStatus(cluster, state), { status: 'interrupted', reason: 'the last destroy stopped part-way: 2 resources are left, and the outputs are of what it destroyed', missing: [] });
      const keptOutputs = { ...state, resourceCount: 1, outputs: readyState(cluster).outputs };
      assert.equal(ownStatus(cluster, keptOutputs).status, 'interrupted');
      assert.match(ownStatus(cluster, keptOutputs).reason, /1 resource is left/);
    });

    it('a destroy that failed is failed, not absent', () => {
      const state = { ...absentStack(cluster.stack), exists: true, resourceCount: 2, lastUpdate: { kind: 'destroy', result: 'failed' as const } };
      assert.equal(ownStatus(cluster, state).status, 'failed');
    });

    it('unknown when the state could not be read', () => {
      const own = ownStatus(cluster, { ...absentStack(cluster.stack), unreadable: 'cannot read modelops-infra-dev: EACCES' });
      assert.deepEqual(own, { status: 'unknown', reason: 'cannot read modelops-infra-dev: EACCES', missing: [] });
    });
  });

  describe('computeReadiness', () => {
    it('says since when each status has held, from what the backend recorded: the update that failed, the lock, the dependency that blocks', () => {
      const end = (iso: string) => ({ lastUpdate: { kind: 'update', result: 'succeeded' as const, endTime: iso } });
      const states = statesFor(components, {
        cluster: readyState(cluster, { lastUpdate: { kind: 'update', result: 'failed', startTime: '2026-12-07T10:40:00Z', endTime: '2026-12-07T10:42:00Z' } }),
        storage: readyState(storage, { lock: { pid: 7, hostname: 'host-b', timestamp: '2026-12-07T09:00:00Z', ownerAlive: 'unknown' } }),
        workspace: readyState(byName(components, 'workspace'), end('2026-12-01T08:00:00Z')),
      });
      const result = computeReadiness(components, graph, states);
      assert.deepEqual([status(result, 'cluster').status, status(result, 'cluster').since], ['failed', '2026-12-07T10:42:00Z']);
      assert.deepEqual([status(result, 'storage').status, status(result, 'storage').since], ['busy', '2026-12-07T09:00:00Z']);
      assert.deepEqual([status(result, 'workspace').status, status(result, 'workspace').since], ['blocked', '2026-12-07T10:42:00Z'], 'blocked since the cluster failed, not since its own older update');
      const never = computeReadiness(components, graph, statesFor(components, { cluster: absentStack(cluster.stack) }));
      assert.equal(status(never, 'cluster').since, undefined, 'never created: nothing to say since when');
      const at = new Date('2026-12-07T10:42:00Z');
      const hhmm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
      assert.equal(describeReadiness(status(result, 'cluster'), Date.parse('2026-12-07T12:00:00Z')), `failed since ${hhmm} — last update failed`);
      assert.equal(describeReadiness(status(result, 'cluster'), Date.parse('2026-12-10T10:42:00Z')), 'failed for 3 d — last update failed');
      assert.equal(describeReadiness(status(result, 'cluster')), 'failed — last update failed', 'without a now, the words of before');
    });

    it('every component ready: all ready, in provisioning order', () => {
      const result = computeReadiness(components, graph, statesFor(components));
      assert.deepEqual(
        result.map((r) => [r.name, r.status]),
        graph.topologicalOrder().map((n) => [n, 'ready']),
      );
      assert.deepEqual(summarize(result), { ready: 5, total: 5 });
    });

    it('cluster outputs-missing: workspace blocked, and every adaptive run blocked transitively', () => {
      const states = statesFor(components, { cluster: withOutputs(readyState(cluster), { kubeconfig: { secret: true, empty: true } }) });
      const result = computeReadiness(components, graph, states);
      assert.equal(status(result, 'cluster').status, 'outputs-missing');
      assert.deepEqual(status(result, 'cluster').missingOutputs, ['kubeconfig']);
      assert.equal(status(result, 'storage').status, 'ready');
      assert.equal(status(result, 'workspace').status, 'blocked');
      assert.match(status(result, 'workspace').reason, /waiting on cluster \(outputs-missing\)/);
      for (const run of ['adaptive-a', 'adaptive-b']) {
        assert.equal(status(result, run).status, 'blocked');
        assert.match(status(result, run).reason, /cluster \(outputs-missing\)/);
        assert.match(status(result, run).reason, /workspace \(blocked\)/);
      }
      assert.deepEqual(summarize(result), { ready: 1, total: 5 });
    });

    it('blocked only replaces ready: a dependent with its own problem keeps it', () => {
      const ws = byName(components, 'workspace');
      const states = statesFor(components, {
        storage: readyState(storage, { lastUpdate: { kind: 'update', result: 'failed' } }),
        workspace: absentStack(ws.stack),
      });
      const result = computeReadiness(components, graph, states);
      assert.equal(status(result, 'storage').status, 'failed');
      assert.equal(status(result, 'workspace').status, 'absent');
      assert.equal(status(result, 'adaptive-a').status, 'blocked');
      assert.deepEqual(status(result, 'adaptive-a').dependsOn, ['cluster', 'workspace', 'storage']);
    });

    it('a component with no state read is unknown', () => {
      const states = statesFor(components);
      states.delete('storage');
      const result = computeReadiness(components, graph, states);
      assert.equal(status(result, 'storage').status, 'unknown');
      assert.equal(status(result, 'workspace').status, 'blocked');
    });

    it('every status word can come out of computeReadiness', () => {
      const seen = new Set<string>();
      const variants: Array<Partial<StackState>> = [
        {},
        { outputs: {} },
        { lastUpdate: { kind: 'update', result: 'failed' } },
        { lastUpdate: { kind: 'update', result: 'failed', startTime: '2026-12-02T10:00:00Z', cancelledAt: '2026-12-02T10:01:00Z' } },
        { pendingOperations: [{ type: 'creating', urn: 'u' }] },
        { lock: { ownerAlive: true } },
        { exists: false },
        { unreadable: 'x' },
      ];
      for (const v of variants) {
        const result = computeReadiness(components, graph, statesFor(components, { cluster: readyState(cluster, v) }));
        seen.add(status(result, 'cluster').status);
        seen.add(status(result, 'workspace').status);
      }
      // A workspace built from a kubeconfig the cluster no longer has.
      const digests = (value: Record<string, string>) => ({ secret: false, empty: false, value });
      const workspace = components.find((c) => c.name === 'workspace')!;
      const stale = computeReadiness(components, graph, statesFor(components, {
        cluster: readyState(cluster, { outputs: { ...readyState(cluster).outputs, modelops_digests: digests({ kubeconfig: 'new' }) } }),
        workspace: readyState(workspace, { outputs: { ...readyState(workspace).outputs, modelops_consumed: digests({ 'cluster.kubeconfig': 'old' }) } }),
      }));
      assert.deepEqual([status(stale, 'workspace').status, status(stale, 'workspace').reason], ['stale', 'reads kubeconfig from cluster, changed since its last up']);
      seen.add(status(stale, 'workspace').status);
      assert.deepEqual([...seen].sort(), [...STATUSES].sort());
    });
  });

  describe('outputs', () => {
    it('every output a component uses is a REQUIRED_OUTPUT of the component it uses it from', () => {
      const configs = fc.record({
        azure: fc.boolean(),
        resourceGroup: fc.boolean(),
        registry: fc.constantFrom('none', 'registry', 'acr'),
        storage: fc.boolean(),
        workspace: fc.boolean(),
        runs: fc.uniqueArray(fc.constantFrom('a', 'b', 'default'), { maxLength: 3 }),
      });
      fc.assert(
        fc.property(configs, (f) => {
          const base = f.azure ? azureConfig({}, f.runs) : localConfig({}, f.runs);
          const config = {
            ...base,
            resourceGroup: f.resourceGroup ? 'rg' : undefined,
            registry: f.registry === 'registry' ? azureConfig().registry : undefined,
            acr: f.registry === 'acr' ? { sku: 'Basic' as const, perUserRegistry: false } : undefined,
            storage: f.storage ? base.storage : undefined,
            workspace: f.workspace ? base.workspace : undefined,
          };
          const list = componentsFor(config, 'dev');
          const kinds = new Map(list.map((c) => [c.name, c.kind]));
          for (const c of list) {
            for (const use of c.uses) {
              const kind = kinds.get(use.from);
              assert.ok(kind, `${c.name} uses ${use.from}, which is not a component`);
              const required = REQUIRED_OUTPUTS[kind].map((o) => o.name);
              for (const output of use.outputs) assert.ok(required.includes(output), `${c.name} reads ${use.from}.${output}, not required of ${kind}`);
            }
          }
          graphOf(list); // and the data flow is acyclic
        }),
      );
    });

    it('secret outputs never carry a value in the report, even when the stack exported them in plain text', () => {
      const leaked: Component = cluster;
      const state = withOutputs(readyState(leaked), {
        kubeconfig: plain('apiVersion: v1\nusers:\n- user:\n    token: s3cret'),
        extra_secret: { secret: true, empty: false, value: 'should-not-show' },
        note: plain('hello'),
      });
      const [r] = computeReadiness([leaked], graphOf([leaked]), new Map([['cluster', state]]));
      const kube = r.outputs.find((o) => o.name === 'kubeconfig')!;
      assert.deepEqual(kube, { name: 'kubeconfig', secret: true, required: true, present: true, empty: false, value: undefined });
      assert.equal(r.outputs.find((o) => o.name === 'extra_secret')!.value, undefined);
      assert.equal(r.outputs.find((o) => o.name === 'note')!.value, 'hello');
      assert.ok(!JSON.stringify(r).includes('s3cret'));
      assert.ok(!JSON.stringify(r).includes('should-not-show'));
    });

    it('reports required outputs first (declared order), then extras sorted, with presence', () => {
      const state = withOutputs(readyState(storage), { primary_endpoint: undefined, zeta: plain(1), alpha: plain(2) });
      const [r] = computeReadiness([storage], graphOf([storage]), new Map([['storage', state]]));
      assert.deepEqual(
        r.outputs.map((o) => [o.name, o.required, o.present]),
        [
          ['account_name', true, true],
          ['connection_string', true, true],
          ['primary_endpoint', true, false],
          ['alpha', false, true],
          ['zeta', false, true],
        ],
      );
      assert.equal(r.outputs.find((o) => o.name === 'primary_endpoint')!.empty, true);
    });
  });
});
