import { strict as assert } from 'node:assert';
import { componentsFor } from '../../src/core/components';
import type { ConfigPath, ParsedConfig, SourceRange } from '../../src/core/config/types';
import { READINESS_PROBLEM_CODES, readinessProblems } from '../../src/core/readinessProblems';
import { computeReadiness } from '../../src/core/readiness';
import { absentStack } from '../../src/core/state';
import { azureConfig, byName, graphOf, localConfig, readyState, statesFor, withOutputs } from './helpers';
import { quickFixesFor } from '../../src/vscode/view/quickFixPlan';
import { CONSUMED_OUTPUT, DIGESTS_OUTPUT } from '../../src/core/freshness';

const FILE = '/project/azure.yaml';

function at(line: number): SourceRange {
  return { start: { line, column: 1 }, end: { line, column: 10 }, startOffset: line * 100, endOffset: line * 100 + 9 };
}

/** A parsed config whose sections sit on the lines given (path joined by '.'). */
function parsedWith(lines: Record<string, number>): ParsedConfig {
  return {
    file: FILE,
    text: '',
    format: 'azure.yaml',
    problems: [],
    locate: (path: ConfigPath) => (lines[path.join('.')] !== undefined ? at(lines[path.join('.')]) : undefined),
  };
}

const LINES = { aks: 10, storage: 20, workspace: 30, adaptive: 40, 'adaptive.a': 41, 'adaptive.b': 45, registry: 5, resource_group: 3 };
const components = componentsFor(azureConfig({}, ['a', 'b']), 'dev');
const graph = graphOf(components);
const cluster = byName(components, 'cluster');

function problemsFor(overrides: Parameters<typeof statesFor>[1], lines: Record<string, number> = LINES, specHashes = new Map<string, string>()) {
  const readiness = computeReadiness(components, graph, statesFor(components, overrides), specHashes);
  return readinessProblems(parsedWith(lines), components, readiness);
}

/** The workspace built from a connection string storage no longer holds. */
const staleWorkspace = () => {
  const plain = (value: unknown) => ({ secret: false, empty: false, value });
  return problemsFor({
    storage: withOutputs(readyState(byName(components, 'storage')), { [DIGESTS_OUTPUT]: plain({ connection_string: 'rotated' }) }),
    workspace: withOutputs(readyState(byName(components, 'workspace')), { [CONSUMED_OUTPUT]: plain({ 'storage.connection_string': 'before' }) }),
  });
};

/** The workspace deployed with spec "old", azure.yaml now giving "new". */
const changedWorkspace = () => problemsFor({ workspace: readyState(byName(components, 'workspace'), { deployedSpecHash: 'old' }) }, LINES, new Map([['workspace', 'new']]));

describe('readinessProblems', () => {
  it('ready components give no problems', () => {
    assert.deepEqual(problemsFor({}), []);
  });

  it('a missing kubeconfig: missing-output on the cluster section, missing-dependency-output on workspace and each adaptive run', () => {
    const problems = problemsFor({ cluster: withOutputs(readyState(cluster), { kubeconfig: { secret: true, empty: true } }) });
    assert.deepEqual(
      problems.map((p) => [p.code, p.range.start.line, p.component, p.output]),
      [
        ['missing-output', 10, 'cluster', 'kubeconfig'],
        ['missing-dependency-output', 30, 'cluster', 'kubeconfig'],
        ['missing-dependency-output', 41, 'cluster', 'kubeconfig'],
        ['missing-dependency-output', 45, 'cluster', 'kubeconfig'],
      ],
      'blocked dependents get no problem of their own',
    );
    assert.ok(problems.every((p) => p.file === FILE && p.severity === 'error'));

    const [owner, ...consumers] = problems;
    assert.match(owner.message, /stack modelops-infra-dev has no output "kubeconfig", which workspace, adaptive-a, adaptive-b need/);
    assert.deepEqual(
      owner.related!.map((r) => [r.range.start.line, r.message]),
      [
        [30, 'workspace reads cluster.kubeconfig'],
        [41, 'adaptive-a reads cluster.kubeconfig'],
        [45, 'adaptive-b reads cluster.kubeconfig'],
      ],
    );
    for (const p of consumers) {
      assert.deepEqual(
        p.related!.map((r) => [r.file, r.range.start.line, r.message]),
        [[FILE, 10, 'cluster should export "kubeconfig"']],
      );
      assert.match(p.message, /cannot start: it reads cluster\.kubeconfig, which stack modelops-infra-dev does not have\. Repair cluster\./);
    }
  });

  it('a missing output nobody reads is reported only on its owner', () => {
    const problems = problemsFor({ cluster: withOutputs(readyState(cluster), { cluster_name: undefined }) });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].code, 'missing-output');
    assert.deepEqual(problems[0].related, []);
    assert.doesNotMatch(problems[0].message, /need/);
  });

  it('a missing storage output reaches only the components that read that output', () => {
    const storage = byName(components, 'storage');
    const problems = problemsFor({ storage: withOutputs(readyState(storage), { primary_endpoint: undefined }) });
    // The endpoint is for readers outside the environment (the bundle-env file): no component in it reads it (pods get the account's string).
    assert.deepEqual(
      problems.map((p) => [p.code, p.range.start.line]),
      [['missing-output', 20]],
    );
    const missingAccount = problemsFor({ storage: withOutputs(readyState(storage), { account_name: undefined }) });
    assert.deepEqual(
      missingAccount.map((p) => [p.code, p.range.start.line]),
      [
        ['missing-output', 20],
        ['missing-dependency-output', 30],
        ['missing-dependency-output', 41],
        ['missing-dependency-output', 45],
      ],
    );
  });

  it('a section that cannot be located falls back to its parent, then to the top of the file', () => {
    const lines: Record<string, number> = { aks: 10, workspace: 30, adaptive: 40 };
    const problems = problemsFor({ cluster: withOutputs(readyState(cluster), { kubeconfig: undefined }) }, lines);
    assert.deepEqual(
      problems.filter((p) => p.code === 'missing-dependency-output').map((p) => p.range.start.line),
      [30, 40, 40],
    );
    const none = problemsFor({ cluster: withOutputs(readyState(cluster), { kubeconfig: undefined }) }, {});
    assert.ok(none.every((p) => p.range.start.line === 1 && p.range.startOffset === 0));
  });

  it('failed and interrupted components give component-failed / component-interrupted on their section', () => {
    const storage = byName(components, 'storage');
    const problems = problemsFor({
      storage: readyState(storage, { lastUpdate: { kind: 'update', result: 'failed' } }),
      cluster: readyState(cluster, { lock: { pid: 99999, hostname: 'here', ownerAlive: false } }),
    });
    assert.deepEqual(
      problems.map((p) => [p.code, p.component, p.range.start.line, p.severity]),
      [
        ['component-interrupted', 'cluster', 10, 'error'],
        ['component-failed', 'storage', 20, 'error'],
      ],
    );
    assert.match(problems[0].message, /cluster is interrupted: .*no longer running\. Repair cluster/);
    assert.match(problems[1].message, /storage is failed: last update failed\. Repair storage/);
  });

  it('an unreadable component is a warning; absent and busy are not problems', () => {
    const problems = problemsFor({
      cluster: { ...absentStack(cluster.stack), unreadable: 'cannot read: EACCES' },
      storage: absentStack('modelops-storage-dev'),
      registry: readyState(byName(components, 'registry'), { lock: { ownerAlive: true } }),
    });
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.component]),
      [['component-unknown', 'warning', 'cluster']],
    );
    assert.match(problems[0].message, /Refresh/);
  });

  it('a changed spec: a warning on the section that changed, offering Up', () => {
    const problems = changedWorkspace();
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.component, p.range.start.line]), [['spec-changed', 'warning', 'workspace', 30]]);
    assert.match(problems[0].message, /changed since the last up of stack modelops-workspace-dev\. Up applies/);
  });

  it('a down that stopped part-way: its own code, advice to finish it, and Down first among the quick fixes', () => {
    const problems = problemsFor({ cluster: readyState(cluster, { lock: { pid: 1, ownerAlive: false }, destroyIntent: 'down' }) });
    const own = problems.find((p) => p.component === 'cluster')!;
    assert.equal(own.code, 'down-interrupted');
    assert.match(own.message, /^cluster is interrupted: a down stopped part-way \(lock left by pid 1.*\): down again finishes it\. Run Down cluster again to finish it \(or Up to bring it back\)\.$/);
    assert.deepEqual(quickFixesFor(own).map((f) => [f.kind, f.preferred ?? false]), [['down', true], ['up', false]]);
    const cancelled = problemsFor({ cluster: readyState(cluster, { lastUpdate: { kind: 'destroy', result: 'failed', startTime: '2026-12-02T10:00:00Z', cancelledAt: '2026-12-02T10:01:00Z' }, destroyIntent: 'down' }) });
    assert.equal(cancelled.find((p) => p.component === 'cluster')?.code, 'down-interrupted', 'a cancelled down too: Down first, not Repair');
  });

  it('a stale component: a warning on its section naming what changed, its producer related, offering Up', () => {
    const problems = staleWorkspace();
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.component, p.range.start.line]), [['component-stale', 'warning', 'workspace', 30]]);
    assert.equal(problems[0].message, 'workspace is stale: it reads connection_string from storage, changed since its last up. Up re-applies it with what storage holds now.');
    assert.deepEqual(problems[0].related?.map((r) => [r.range.start.line, r.message]), [[20, "storage's connection_string changed since workspace read it"]]);
    assert.deepEqual(quickFixesFor(problems[0]).map((f) => [f.kind, f.title, f.preferred]), [['up', 'Up workspace', true]]);
  });

  it('a drifted component: a warning naming what changed, offering Up; a stalled one: an error with the command that unblocks it', () => {
    const readiness = computeReadiness(components, graph, statesFor(components)).map((r) =>
      r.name === 'storage'
        ? { ...r, drift: { state: 'drifted' as const, checkedAt: 't', resources: [{ urn: 'urn:x::results-container', type: 't', change: 'deleted' as const }] } }
        : r.name === 'workspace'
          ? { ...r, reconcile: { condition: 'stalled' as const, reason: 'FailureBudgetSpent', message: '3 attempts failed', attempt: 3, maxAttempts: 3, command: 'mops-infra repair workspace', at: 't' } }
          : r,
    );
    const problems = readinessProblems(parsedWith(LINES), components, readiness);
    assert.deepEqual(problems.map((p) => [p.code, p.severity, p.component, p.range.start.line]), [
      ['component-drifted', 'warning', 'storage', 20],
      ['component-stalled', 'error', 'workspace', 30],
    ]);
    assert.match(problems[0].message, /storage drifted: results-container \(deleted\) changed outside Pulumi\. Up/);
    assert.match(problems[1].message, /workspace is stalled \(FailureBudgetSpent\): 3 attempts failed\. To unblock: mops-infra repair workspace/);
  });

  it("while a fault leaves an output out, a dependent's line says so too, and its first quick fix removes the fault", () => {
    const parsed = { ...parsedWith({ ...LINES, 'local.faults.cluster': 50 }), config: { ...localConfig(), local: { faults: { cluster: { omitOutputs: ['kubeconfig'], stepDelayMs: 0 } } } } };
    const readiness = computeReadiness(components, graph, statesFor(components, { cluster: withOutputs(readyState(cluster), { kubeconfig: undefined }) }));
    const onWorkspace = readinessProblems(parsed, components, readiness).find((p) => p.code === 'missing-dependency-output' && p.range.start.line === 30)!;
    assert.match(onWorkspace.message, /The fault `local\.faults\.cluster` \(line 50\) leaves it out: remove the fault, then Repair cluster\.$/);
    assert.equal(onWorkspace.fault, 'cluster');
    assert.deepEqual(quickFixesFor(onWorkspace).map((f) => [f.title, !!f.preferred]), [['Remove the fault on cluster', true], ['Repair cluster', false], ['Run Up', false], ['Refresh', false]]);
  });

  it('every code it produces is documented', () => {
    const withLoop = computeReadiness(components, graph, statesFor(components)).map((r) => ({
      ...r,
      drift: { state: 'drifted' as const, resources: [] },
      reconcile: { condition: 'stalled' as const, reason: 'r', message: 'm', attempt: 1, maxAttempts: 3, at: 't' },
    }));
    const problems = [
      ...readinessProblems(parsedWith(LINES), components, withLoop),
      ...changedWorkspace(),
      ...staleWorkspace(),
      ...problemsFor({ cluster: withOutputs(readyState(cluster), { kubeconfig: undefined }) }),
      ...problemsFor({ cluster: readyState(cluster, { lastUpdate: { kind: 'update', result: 'failed' } }) }),
      ...problemsFor({ cluster: readyState(cluster, { lastUpdate: { kind: 'update', result: 'failed', startTime: '2026-12-02T10:00:00Z', cancelledAt: '2026-12-02T10:01:00Z' } }) }),
      ...problemsFor({ cluster: readyState(cluster, { pendingOperations: [{ type: 'creating', urn: 'u' }] }) }),
      ...problemsFor({ cluster: readyState(cluster, { lock: { pid: 1, ownerAlive: false }, destroyIntent: 'down' }) }),
      ...problemsFor({ cluster: { ...absentStack(cluster.stack), unreadable: 'x' } }),
      ...readinessProblems(
        { ...parsedWith({ ...LINES, 'local.faults.cluster': 50 }), config: { ...localConfig(), local: { faults: { cluster: { omitOutputs: ['kubeconfig'], stepDelayMs: 0 } } } } },
        components,
        computeReadiness(components, graph, statesFor(components, { cluster: withOutputs(readyState(cluster), { kubeconfig: undefined }) })),
      ),
    ];
    assert.deepEqual([...new Set(problems.map((p) => p.code))].sort(), Object.keys(READINESS_PROBLEM_CODES).sort());
  });
});
