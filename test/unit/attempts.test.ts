/** The reconcile loop's memory (src/core/attempts.ts), drift records (src/core/drift.ts) and the pending-create edit. */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { deploymentKey, describeDrift, driftStatus, type DriftRecord } from '../../src/core/drift';
import { afterFailure, afterSuccess, attemptsKey, attemptsOn, backoffDelay, backoffFor, conditionReport, describeCondition, nextWakeMs } from '../../src/core/attempts';
import { completePendingCreates } from '../../src/engine/pendingCreates';

const NOW = Date.parse('2026-12-01T10:00:00Z');

describe('the reconcile loop\'s memory', () => {
  it('starts from nothing when the spec changed: a new spec lifts a stall', () => {
    const stalled = { specHash: 'old', failures: 3, condition: { condition: 'stalled' as const, reason: 'FailureBudgetSpent', message: '', attempt: 3, maxAttempts: 3, at: '' } };
    assert.deepEqual(attemptsOn(stalled, 'new'), { specHash: 'new', failures: 0 });
    assert.equal(attemptsOn(stalled, 'old'), stalled);
  });

  it('counts failures and schedules the next attempt; a success forgets them', () => {
    const policy = backoffFor(60_000);
    const once = afterFailure({ specHash: 'h', failures: 0 }, 'boom', NOW, policy, () => 0.5);
    assert.equal(once.failures, 1);
    assert.equal(once.lastFailure, 'boom');
    assert.equal(once.nextAttemptAt, new Date(NOW + 10_000).toISOString(), 'the first retry after 10 s (the interval, at most 10 s)');
    const twice = afterFailure(once, 'later', NOW, policy, () => 0.5);
    assert.equal(twice.nextAttemptAt, new Date(NOW + 30_000).toISOString(), 'then three times as long');
    assert.deepEqual([twice.firstFailure, twice.lastFailure], ['boom', 'later'], 'the first cause is kept');
    assert.deepEqual(afterSuccess(twice), { specHash: 'h', failures: 0 });
  });

  it('attempts are counted on the spec and the fault on it: taking the fault out starts them again', () => {
    const fault = { failAfterResources: 0, omitOutputs: [], stepDelayMs: 0 };
    assert.equal(attemptsKey('h', undefined), 'h');
    assert.match(attemptsKey('h', fault), /^h\+fault:[0-9a-f]{12}$/);
    assert.equal(attemptsKey('h', { ...fault }), attemptsKey('h', fault));
    assert.notEqual(attemptsKey('h', { ...fault, failAfterResources: 1 }), attemptsKey('h', fault));
    const stalled = { specHash: attemptsKey('h', fault), failures: 3 };
    assert.deepEqual(attemptsOn(stalled, attemptsKey('h', undefined)), { specHash: 'h', failures: 0 });
  });

  it('property: backoff grows, stays within its jitter, and never passes the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 3_600_000 }), fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), (interval, failures, r) => {
        const policy = backoffFor(interval);
        const delay = backoffDelay(policy, failures, () => r);
        const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** (failures - 1));
        assert.ok(delay >= Math.floor(base * 0.8) && delay <= Math.ceil(base * 1.2), `${delay} within 20 % of ${base}`);
        assert.ok(delay <= policy.maxMs * 1.2);
        assert.ok(backoffDelay(policy, failures + 1, () => 0.5) >= backoffDelay(policy, failures, () => 0.5));
      }),
    );
  });

  it('reports each decision as a condition, with the attempt and the command', () => {
    const record = { specHash: 'h', failures: 1 };
    assert.deepEqual(conditionReport({ kind: 'heal', reason: 'Drifted', message: 'm', steps: [] }, record, 3, NOW), { condition: 'reconciling', reason: 'Drifted', message: 'm', attempt: 2, maxAttempts: 3, at: new Date(NOW).toISOString(), since: new Date(NOW).toISOString() });
    const stalled = conditionReport({ kind: 'needs-person', reason: 'Destroyed', message: 'm', command: 'mops-infra up storage' }, record, 3, NOW);
    assert.equal(stalled.condition, 'stalled');
    assert.equal(stalled.command, 'mops-infra up storage');
    assert.equal(describeCondition({ condition: 'reconciling', reason: 'Drifted', attempt: 2, maxAttempts: 3 }), 'reconciling (attempt 2 of 3)');
    assert.equal(describeCondition(stalled), 'stalled: Destroyed');
  });

  it('a condition keeps the time it was entered while it holds, from the record every machine shares; another condition starts its own', () => {
    const stalledAt = NOW - 3 * 86_400_000;
    const first = conditionReport({ kind: 'needs-person', reason: 'FailureBudgetSpent', message: 'm', command: 'mops-infra repair storage' }, { specHash: 'h', failures: 3 }, 3, stalledAt);
    assert.equal(first.since, new Date(stalledAt).toISOString());
    const later = conditionReport({ kind: 'needs-person', reason: 'FailureBudgetSpent', message: 'm', command: 'mops-infra repair storage' }, { specHash: 'h', failures: 3, condition: first }, 3, NOW);
    assert.equal(later.since, first.since, 'a pass three days later: still stalled since then');
    assert.equal(later.at, new Date(NOW).toISOString());
    assert.equal(describeCondition(later, NOW), 'stalled for 3 d: FailureBudgetSpent');
    const recovered = conditionReport({ kind: 'converged' }, { specHash: 'h', failures: 0, condition: later }, 3, NOW);
    assert.equal(recovered.since, new Date(NOW).toISOString(), 'ready from now');
    const today = new Date(NOW - 2 * 3_600_000);
    const hhmm = `${String(today.getHours()).padStart(2, '0')}:${String(today.getMinutes()).padStart(2, '0')}`;
    assert.equal(describeCondition({ ...later, since: today.toISOString() }, NOW), `stalled since ${hhmm}: FailureBudgetSpent`);
  });

  it('wakes for a retry that falls due before the next pass, never for a stalled one', () => {
    const soon = { specHash: 'h', failures: 1, nextAttemptAt: new Date(NOW + 5_000).toISOString() };
    const stalled = { ...soon, nextAttemptAt: new Date(NOW + 1_000).toISOString(), condition: { condition: 'stalled' as const, reason: '', message: '', attempt: 3, maxAttempts: 3, at: '' } };
    assert.equal(nextWakeMs(300_000, [soon, stalled], NOW), 5_000);
    assert.equal(nextWakeMs(300_000, [], NOW), 300_000);
  });
});

describe('drift records', () => {
  const state = { exists: true, lastUpdate: { kind: 'update', result: 'succeeded' as const, endTime: '2026-12-01T09:00:00Z' }, deployedSpecHash: 'h1' };
  const record: DriftRecord = { drifted: true, resources: [{ urn: 'u::results-container', type: 't', change: 'deleted' }], checkedAt: '2026-12-01T09:30:00Z', against: deploymentKey(state) };

  it('apply to the deployment they were checked against', () => {
    assert.deepEqual(driftStatus(record, state), { state: 'drifted', checkedAt: record.checkedAt, resources: record.resources });
    assert.equal(driftStatus({ ...record, drifted: false, resources: [] }, state).state, 'in-sync');
  });

  it('say nothing once the stack was deployed again, or before any check', () => {
    assert.equal(driftStatus(record, { ...state, lastUpdate: { ...state.lastUpdate, endTime: '2026-12-01T10:00:00Z' } }).state, 'unchecked');
    assert.equal(driftStatus(record, { ...state, deployedSpecHash: 'h2' }).state, 'unchecked');
    assert.equal(driftStatus(undefined, state).state, 'unchecked');
    assert.equal(driftStatus(record, { ...state, exists: false }).state, 'unchecked');
  });

  it('are described by what changed', () => {
    assert.equal(describeDrift(record.resources), 'drifted: 1 deleted');
    assert.equal(describeDrift([...record.resources, { urn: 'b', type: 't', change: 'updated' }, { urn: 'c', type: 't', change: 'updated' }]), 'drifted: 1 deleted, 2 updated');
    assert.equal(describeDrift([]), 'in sync');
  });
});

describe('completing pending creates', () => {
  const deployment = {
    manifest: {},
    resources: [{ urn: 'stack', type: 'pulumi:pulumi:Stack' }],
    pending_operations: [
      { type: 'creating', resource: { urn: 'a', type: 't', custom: true, inputs: { path: '/x/a' } } },
      { type: 'creating', resource: { urn: 'b', type: 't', custom: true, inputs: { path: '/x/b' } } },
      { type: 'updating', resource: { urn: 'stack', type: 'pulumi:pulumi:Stack' } },
    ],
  };

  it('puts an existing resource into the state with its id, drops the creates found gone, keeps the rest for the refresh', () => {
    const edited = completePendingCreates(deployment, [{ urn: 'a', id: '/x/a' }]);
    assert.deepEqual(edited.resources, [{ urn: 'stack', type: 'pulumi:pulumi:Stack' }, { urn: 'a', type: 't', custom: true, inputs: { path: '/x/a' }, id: '/x/a', outputs: { path: '/x/a' } }]);
    assert.deepEqual(edited.pending_operations?.map((p) => p.type), ['updating']);
    assert.deepEqual(edited.manifest, {});
    assert.equal(deployment.pending_operations.length, 3, 'the input is not changed');
  });
});
