/** The recovery ladder (src/core/heal.ts), case by case, and the pass it plans. */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { componentsFor } from '../../src/core/components';
import { planHeal, planPass, reportOnly, shellQuote, statefulChangeDecision, type HealDecision, type HealInput, type Probe } from '../../src/core/heal';
import { computeReadiness } from '../../src/core/readiness';
import type { StackState } from '../../src/core/state';
import { byName, dagArb, graphOf, localConfig, readyState, statesFor } from './helpers';

const components = componentsFor(localConfig(), 'dev');
const graph = graphOf(components);
const NOW = Date.parse('2026-12-01T10:00:00Z');

/** The ladder's input for `name` with every stack ready, then `state` and `extra` on top. */
function input(name: string, state: Partial<StackState> = {}, extra: Partial<HealInput> = {}): HealInput {
  const component = byName(components, name);
  const states = statesFor(components, { [name]: readyState(component, state) });
  const readiness = computeReadiness(components, graph, states, new Map(components.map((c) => [c.name, 'h'])));
  return {
    component,
    state: states.get(name)!,
    readiness: { ...readiness.find((r) => r.name === name)!, spec: 'current' },
    waitingOn: [],
    drift: 'in-sync',
    probes: new Map(),
    failures: 0,
    maxAttempts: 3,
    now: NOW,
    cliContext: ' --config azure.yaml --env dev',
    ...extra,
  };
}

const creating = (urn: string) => ({ type: 'creating', urn });
const steps = (d: HealDecision) => (d.kind === 'heal' ? d.steps.map((s) => s.action) : d.kind);

describe('the recovery ladder', () => {
  it('leaves a ready, current, in-sync, healthy component alone', () => {
    assert.deepEqual(planHeal(input('storage', {}, { health: 'healthy' })), { kind: 'converged' });
  });

  it('clears a lock this host\'s dead process left, then runs up', () => {
    const d = planHeal(input('storage', { lock: { pid: 1, hostname: 'here', ownerAlive: false } }));
    assert.deepEqual(steps(d), ['clear-lock', 'up']);
  });

  it('waits while a live process on this host holds the lock, and never touches it', () => {
    const d = planHeal(input('storage', { lock: { pid: 1, hostname: 'here', ownerAlive: true } }));
    assert.equal(d.kind, 'wait');
    assert.equal(d.kind === 'wait' && d.reason, 'Busy');
  });

  it('needs a person for a lock held on another host, with the command that clears it', () => {
    const d = planHeal(input('storage', { lock: { pid: 7, hostname: 'ci-runner', username: 'bob', ownerAlive: 'unknown', timestamp: '10:02' } }));
    assert.equal(d.kind, 'needs-person');
    if (d.kind !== 'needs-person') return;
    assert.equal(d.reason, 'LockedElsewhere');
    assert.match(d.message, /bob@ci-runner \(pid 7\) since 10:02/);
    assert.equal(d.command, 'mops-infra repair storage --config azure.yaml --env dev --force-unlock', 'a command that runs as it is');
    assert.match(d.message, /only once you know that run is dead/);
  });

  it('needs a person for a destroy that stopped part-way: it neither finishes nor undoes it, and names up', () => {
    const d = planHeal(input('workspace', { resourceCount: 2, lastUpdate: { kind: 'destroy', result: 'succeeded' } }));
    assert.equal(d.kind, 'needs-person');
    if (d.kind !== 'needs-person') return;
    assert.equal(d.reason, 'Destroyed');
    assert.match(d.message, /^modelops-workspace-dev: the last destroy stopped part-way: 2 resources are left, .*; reconcile neither finishes nor undoes a destroy$/);
    assert.equal(d.command, 'mops-infra up workspace --config azure.yaml --env dev');
  });

  it('refreshes away pending updates and deletes, then runs up', () => {
    const d = planHeal(input('storage', { pendingOperations: [{ type: 'updating', urn: 'u1' }, { type: 'deleting', urn: 'u2' }] }));
    assert.equal(d.kind, 'heal');
    if (d.kind !== 'heal') return;
    assert.deepEqual(d.steps, [{ action: 'resolve-pending', imports: [], clears: [] }, { action: 'up', refresh: false }]);
  });

  it('imports a pending create whose resource exists and clears one whose resource is gone', () => {
    const probes = new Map<string, Probe>([['a', { exists: true, id: '/x/a' }], ['b', { exists: false }]]);
    const d = planHeal(input('storage', { pendingOperations: [creating('a'), creating('b')] }, { probes }));
    assert.equal(d.kind, 'heal');
    if (d.kind !== 'heal') return;
    assert.deepEqual(d.steps[0], { action: 'resolve-pending', imports: [{ urn: 'a', id: '/x/a' }], clears: ['b'] });
  });

  it('needs a person for a pending create it cannot probe: repair clears it, the message says how to import it instead', () => {
    const probes = new Map<string, Probe>([['urn:pulumi:s::p::t::a', { unknown: 'no ARM access' }]]);
    const d = planHeal(input('storage', { pendingOperations: [creating('urn:pulumi:s::p::t::a')] }, { probes }));
    assert.equal(d.kind, 'needs-person');
    if (d.kind !== 'needs-person') return;
    assert.equal(d.reason, 'PendingCreateUnprobed');
    assert.match(d.message, /no ARM access/);
    assert.match(d.message, /pulumi refresh --stack modelops-storage-dev --import-pending-creates urn:pulumi:s::p::t::a ID$/);
    assert.equal(d.command, 'mops-infra repair storage --config azure.yaml --env dev');
  });

  it('quotes what a shell would split or expand, and nothing else', () => {
    assert.equal(shellQuote('modelops-infra-dev'), 'modelops-infra-dev');
    assert.equal(shellQuote('/home/a user/azure.yaml'), "'/home/a user/azure.yaml'");
    assert.equal(shellQuote("it's"), "'it'\\''s'");
  });

  it('runs up for failed, outputs-missing, a changed spec and an interrupted update, each with its reason', () => {
    const cases: Array<[Partial<StackState>, Partial<HealInput>, string]> = [
      [{ lastUpdate: { kind: 'update', result: 'failed' } }, {}, 'UpdateFailed'],
      [{ outputs: {} }, {}, 'OutputsMissing'],
      [{ lastUpdate: { kind: 'update', result: 'in-progress' } }, {}, 'Interrupted'],
    ];
    for (const [state, extra, reason] of cases) {
      const d = planHeal(input('storage', state, extra));
      assert.equal(d.kind === 'heal' && d.reason, reason, JSON.stringify(d));
    }
    const changed = input('storage');
    const d = planHeal({ ...changed, readiness: { ...changed.readiness, spec: 'changed' } });
    assert.equal(d.kind === 'heal' && d.reason, 'SpecChanged');
  });

  it('a stale component is not converged: healed by an up (no refresh: its own resources are as deployed), with what changed', () => {
    const stale = input('workspace');
    const d = planHeal({ ...stale, readiness: { ...stale.readiness, status: 'stale', reason: 'reads connection_string from storage, changed since its last up' } });
    assert.equal(d.kind, 'heal');
    if (d.kind !== 'heal') return;
    assert.deepEqual([d.reason, d.message, d.steps], ['Stale', 'reads connection_string from storage, changed since its last up', [{ action: 'up', refresh: false }]]);
  });

  it('refreshes before the up that heals drift or a failed health check', () => {
    for (const [extra, reason] of [[{ drift: 'drifted' }, 'Drifted'], [{ health: 'unhealthy' }, 'HealthCheckFailed']] as const) {
      const d = planHeal(input('storage', {}, extra));
      assert.equal(d.kind, 'heal');
      if (d.kind !== 'heal') continue;
      assert.equal(d.reason, reason);
      assert.deepEqual(d.steps, [{ action: 'up', refresh: true }]);
    }
  });

  it('creates a component that never existed, but never brings back what down destroyed', () => {
    const never = planHeal(input('storage', { exists: false, lastUpdate: undefined, outputs: {}, resourceCount: 0 }));
    assert.equal(never.kind === 'heal' && never.reason, 'NotCreated');
    const destroyed = planHeal(input('storage', { lastUpdate: { kind: 'destroy', result: 'succeeded' }, outputs: {}, resourceCount: 0 }));
    assert.equal(destroyed.kind, 'needs-person');
    assert.equal(destroyed.kind === 'needs-person' && destroyed.command, 'mops-infra up storage --config azure.yaml --env dev');
  });

  it('waits for its dependencies, keeping the steps it will take once they are converged', () => {
    const d = planHeal(input('workspace', { lastUpdate: { kind: 'update', result: 'failed' } }, { waitingOn: ['cluster'] }));
    assert.equal(d.kind, 'wait');
    if (d.kind !== 'wait') return;
    assert.equal(d.reason, 'DependencyNotReady');
    assert.deepEqual(d.then, [{ action: 'up', refresh: false }]);
  });

  it('a blocked component has nothing of its own to do: it waits on the root cause', () => {
    const states = statesFor(components, { cluster: readyState(byName(components, 'cluster'), { lastUpdate: { kind: 'update', result: 'failed' } }) });
    const readiness = computeReadiness(components, graph, states).find((r) => r.name === 'workspace')!;
    assert.equal(readiness.status, 'blocked');
    const d = planHeal({ ...input('workspace'), readiness, waitingOn: ['cluster'] });
    assert.equal(d.kind === 'wait' && d.reason, 'DependencyNotReady');
  });

  it('backs off after a failure, and stalls when the failure budget is spent', () => {
    const failed: Partial<StackState> = { lastUpdate: { kind: 'update', result: 'failed' } };
    const later = new Date(NOW + 30_000).toISOString();
    const waiting = planHeal(input('storage', failed, { failures: 1, nextAttemptAt: later }));
    assert.equal(waiting.kind === 'wait' && waiting.reason, 'RetryingAfterFailure');
    assert.equal(waiting.kind === 'wait' && waiting.message, 'attempt 1 of 3 failed (UpdateFailed: last update failed); the next in 30 s', 'the attempt the condition counts (1 of 3), as the failure said it');
    const due = planHeal(input('storage', failed, { failures: 1, nextAttemptAt: new Date(NOW - 1).toISOString() }));
    assert.equal(due.kind, 'heal');
    const spent = planHeal(input('storage', failed, { failures: 3 }));
    assert.equal(spent.kind, 'needs-person');
    assert.equal(spent.kind === 'needs-person' && spent.reason, 'FailureBudgetSpent');
    assert.equal(spent.kind === 'needs-person' && spent.command, 'mops-infra repair storage --config azure.yaml --env dev');
    const remembered = planHeal(input('storage', failed, { failures: 3, firstFailure: 'the fault `local.faults.storage` (line 9) fails it' }));
    assert.equal(
      remembered.kind === 'needs-person' && remembered.message,
      "3 attempts failed on this spec (first: the fault `local.faults.storage` (line 9) fails it); not retrying until storage's section of azure.yaml (or a fault on it) changes, or a person repairs it",
      'the cause that spent the budget, not what the state says a pass later',
    );
  });

  it('says it cannot tell, and waits, when the state could not be read', () => {
    const i = input('storage', { unreadable: 'cannot read modelops-storage-dev: backend unreachable' });
    assert.equal(i.readiness.status, 'unknown');
    const d = planHeal(i);
    assert.equal(d.kind === 'wait' && d.reason, 'StateUnreadable');
  });

  it('a down that stopped part-way is never finished nor undone by the loop; a force recreate that did is owed its up', () => {
    const down = planHeal(input('storage', { lock: { pid: 1, ownerAlive: false }, destroyIntent: 'down' }));
    assert.equal(down.kind === 'needs-person' && down.reason, 'Destroyed');
    assert.equal(down.kind === 'needs-person' && down.command, 'mops-infra down storage --config azure.yaml --env dev --yes');
    const recreate = planHeal(input('storage', { lock: { pid: 1, ownerAlive: false }, destroyIntent: 'force-recreate' }));
    assert.deepEqual(recreate.kind === 'heal' && recreate.steps.map((x) => x.action), ['clear-lock', 'up']);
    assert.deepEqual(planHeal(input('storage', { destroyIntent: 'down' })), { kind: 'converged' }, 'a down that failed before it touched anything: nothing to finish');
    const failed = planHeal(input('storage', { lastUpdate: { kind: 'destroy', result: 'failed' }, destroyIntent: 'down' }));
    assert.equal(failed.kind === 'needs-person' && failed.reason, 'Destroyed', 'a down that failed part-way is not undone either');
    const destroyed = planHeal(input('storage', { resourceCount: 0, outputs: {}, lastUpdate: { kind: 'destroy', result: 'succeeded' }, destroyIntent: 'force-recreate' }));
    assert.equal(destroyed.kind === 'heal' && destroyed.reason, 'Interrupted', 'destroyed by the recreate, not by a down: created again');
  });

  it('a checkpoint or lock that cannot be parsed stalls, with what to put right, instead of waiting forever', () => {
    const unreadable = 'cannot read modelops-storage-dev: /b/.pulumi/stacks/p/modelops-storage-dev.json is not valid JSON (x); Pulumi kept the one before it as /b/.pulumi/stacks/p/modelops-storage-dev.json.bak: copy that over it';
    const checkpoint = planHeal(input('storage', { unreadable, corrupt: 'checkpoint' }));
    assert.deepEqual(checkpoint, { kind: 'needs-person', reason: 'StateCorrupt', message: unreadable, command: 'mops-infra repair storage --config azure.yaml --env dev' });
    const lock = planHeal(input('storage', { unreadable: 'cannot read …: the lock … is not valid JSON', corrupt: 'lock' }));
    assert.equal(lock.kind === 'needs-person' && lock.command, 'mops-infra repair storage --config azure.yaml --env dev', 'after the file the message names is deleted: a lock of Pulumi that cannot be parsed is nothing --force-unlock reads');
  });

  it('without healing, what would be healed is stalled with the command that would heal it', () => {
    const i = input('storage', {}, { drift: 'drifted' });
    const d = reportOnly(planHeal(i), i);
    assert.equal(d.kind, 'needs-person');
    assert.equal(d.kind === 'needs-person' && d.command, 'mops-infra up storage --config azure.yaml --env dev');
    assert.deepEqual(reportOnly({ kind: 'converged' }, i), { kind: 'converged' });
  });

  it('a preview that replaces or deletes what holds data needs a person; other changes do not', () => {
    const c = byName(components, 'storage');
    const risky = statefulChangeDecision({ component: c, cliContext: '' }, [{ urn: 'u::storage-account', type: 'modelops-local:LocalResource', op: 'replace', stateful: true }]);
    assert.equal(risky?.kind, 'needs-person');
    assert.match(risky?.kind === 'needs-person' ? risky.message : '', /^healing would replace LocalResource storage-account, which holds data; .* run up --allow-replace if that is meant$/);
    const elsewhere = statefulChangeDecision({ component: c, cliContext: '' }, [{ urn: 'u::results', type: 't:BlobContainer', op: 'delete' }], 'made-elsewhere');
    assert.match(elsewhere?.kind === 'needs-person' ? elsewhere.message : '', /^healing would delete BlobContainer results, on a stack made outside mops-infra/, 'there, any replace or delete waits for a person');
    assert.equal(statefulChangeDecision({ component: c, cliContext: '' }, [{ urn: 'u::results', type: 't', op: 'create', stateful: false }, { urn: 'u::x', type: 't', op: 'update', stateful: true }]), undefined);
  });
});

describe('a reconcile pass', () => {
  const order = graph.topologicalOrder();
  const dependents = (n: string) => graph.dependentsOf(n);

  it('heals what needs it and re-applies what depends on it, and nothing else', () => {
    const decisions = new Map<string, HealDecision>(order.map((n) => [n, { kind: 'converged' }]));
    decisions.set('storage', { kind: 'heal', reason: 'Drifted', message: '', steps: [{ action: 'up', refresh: true }] });
    const plan = planPass(order, dependents, decisions);
    assert.deepEqual(plan.heal, ['storage']);
    assert.deepEqual(plan.reapply, ['workspace', 'adaptive-default']);
  });

  it('leaves a dependent alone that needs a person or is being retried later', () => {
    const decisions = new Map<string, HealDecision>(order.map((n) => [n, { kind: 'converged' }]));
    decisions.set('cluster', { kind: 'heal', reason: 'UpdateFailed', message: '', steps: [{ action: 'up', refresh: false }] });
    decisions.set('workspace', { kind: 'needs-person', reason: 'FailureBudgetSpent', message: '', command: '' });
    decisions.set('adaptive-default', { kind: 'wait', reason: 'RetryingAfterFailure', message: '' });
    assert.deepEqual(planPass(order, dependents, decisions), { heal: ['cluster'], reapply: [] });
  });

  it('leaves a dependent alone that also waits on something this pass does not touch', () => {
    const decisions = new Map<string, HealDecision>(order.map((n) => [n, { kind: 'converged' }]));
    decisions.set('cluster', { kind: 'heal', reason: 'UpdateFailed', message: '', steps: [{ action: 'up', refresh: false }] });
    decisions.set('storage', { kind: 'needs-person', reason: 'Destroyed', message: '', command: '' });
    decisions.set('workspace', { kind: 'wait', reason: 'DependencyNotReady', message: '', waitingOn: ['cluster', 'storage'] });
    decisions.set('adaptive-default', { kind: 'wait', reason: 'DependencyNotReady', message: '', waitingOn: ['workspace'] });
    assert.deepEqual(planPass(order, dependents, decisions), { heal: ['cluster'], reapply: [] });
    decisions.set('workspace', { kind: 'wait', reason: 'DependencyNotReady', message: '', waitingOn: ['cluster'] });
    assert.deepEqual(planPass(order, dependents, decisions), { heal: ['cluster'], reapply: ['workspace', 'adaptive-default'] });
  });

  it('property: a pass touches only what heals and what depends on it, in dependency order', () => {
    fc.assert(
      fc.property(dagArb, fc.array(fc.constantFrom<HealDecision['kind']>('converged', 'heal', 'wait', 'needs-person'), { minLength: 12, maxLength: 12 }), (dag, kinds) => {
        const g = graphOf(dag.nodes.map((name) => ({ name, uses: (dag.edges[name] ?? []).map((from) => ({ from, outputs: [] })) })) as never);
        const topo = g.topologicalOrder();
        const decisions = new Map<string, HealDecision>(
          topo.map((n, i): [string, HealDecision] => {
            const kind = kinds[i];
            if (kind === 'heal') return [n, { kind, reason: 'UpdateFailed', message: '', steps: [] }];
            if (kind === 'wait') return [n, { kind, reason: 'DependencyNotReady', message: '' }];
            if (kind === 'needs-person') return [n, { kind, reason: 'Destroyed', message: '', command: '' }];
            return [n, { kind }];
          }),
        );
        const plan = planPass(topo, (n) => g.dependentsOf(n), decisions);
        const touched = [...plan.heal, ...plan.reapply];
        for (const n of plan.heal) assert.equal(decisions.get(n)!.kind, 'heal');
        for (const n of plan.reapply) {
          assert.ok(plan.heal.some((h) => g.transitiveDependentsOf(h).includes(n)), `${n} depends on something healed`);
          assert.ok(['converged', 'wait'].includes(decisions.get(n)!.kind));
        }
        assert.equal(new Set(touched).size, touched.length, 'nothing twice');
        const position = (n: string) => topo.indexOf(n);
        assert.deepEqual([...plan.reapply].sort((a, b) => position(a) - position(b)), plan.reapply);
      }),
    );
  });
});
