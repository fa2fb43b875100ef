/** The extension's vscode-free helpers, in plain Node: status table, contextValues, ranges, NDJSON, masking, CLI child. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/core/config/parse';
import { STATUSES } from '../../src/core/readiness';
import { CliProcess } from '../../src/vscode/child/cliProcess';
import { childEnv, commonFlags, settingFlags } from '../../src/vscode/child/cliArgs';
import { flagArgs } from '../../src/core/flags';
import type { Verb } from '../../src/core/verbs';
import { parseCliArgs } from '../../src/cli/args';
import { componentContextValue, createContextValue } from '../../src/vscode/view/contextValue';
import { describeRow, displayValue, formatAgo, formatAt, formatElapsed, runHeader, runSummary } from '../../src/vscode/view/format';
import { describeReadiness, waitingOn } from '../../src/core/readiness';
import { unblockFor } from '../../src/vscode/view/unblock';
import { SecretMasker } from '../../src/vscode/view/masker';
import { SECRET_MASK as MASK } from '../../src/core/protocol';
import { LineSplitter, parseEventLine } from '../../src/vscode/child/ndjson';
import { stackConfigPath } from '../../src/core/paths';
import { describePhase, phaseWord, targetsConflict } from '../../src/vscode/view/runPhase';
import { quickFixesFor, suggestionIn } from '../../src/vscode/view/quickFixPlan';
import { toZeroBased } from '../../src/vscode/view/rangeMapping';
import { asPlan, asStatusReport, besidesRecreate, destroyed, destroyList, recreatedWith } from '../../src/vscode/child/reports';
import { STATUS_LOOK, statusLook } from '../../src/vscode/view/statusTable';
import { componentTooltip } from '../../src/vscode/view/tooltip';
import { currentChecks, describeHealthProblem, healthProblemLines } from '../../src/vscode/view/health';
import { attention, attentionCount, attentionTooltip } from '../../src/vscode/view/attention';
import { outputContextValue, outputUrl } from '../../src/vscode/view/outputs';
import { currentIsStale, describeEnvironment, environmentLook, withCurrent } from '../../src/vscode/view/environments';
import type { ComponentReadiness } from '../../src/core/readiness';

const cluster: ComponentReadiness = {
  name: 'cluster',
  kind: 'cluster',
  stack: 'modelops-infra-dev',
  status: 'outputs-missing',
  reason: 'missing: kubeconfig, cluster_name',
  missingOutputs: ['kubeconfig', 'cluster_name'],
  dependsOn: ['resource-group'],
  outputs: [
    { name: 'kubeconfig', secret: true, required: true, present: false, empty: true },
    { name: 'cluster_name', secret: false, required: true, present: false, empty: true },
    { name: 'location', secret: false, required: true, present: true, empty: false, value: 'eastus2' },
    { name: 'admin_password', secret: true, required: false, present: true, empty: false },
  ],
  verifiedAt: new Date(Date.now() - 12_000).toISOString(),
};

describe('extension helpers (no vscode)', () => {
  describe('status table', () => {
    it('has a look for every core status, with the status word as label', () => {
      for (const s of STATUSES) {
        assert.equal(STATUS_LOOK[s].label, s);
        assert.ok(STATUS_LOOK[s].icon);
      }
      assert.equal(statusLook('ready').icon, 'pass');
      assert.equal(statusLook('busy').icon, 'sync~spin');
      assert.equal(statusLook('no-such-status').icon, 'question');
    });

    it('marks as repairable exactly cancelled, interrupted, failed and outputs-missing', () => {
      const repairable = STATUSES.filter((s) => STATUS_LOOK[s].repairable).sort();
      assert.deepEqual(repairable, ['cancelled', 'failed', 'interrupted', 'outputs-missing']);
    });
  });

  describe('contextValue', () => {
    it('is a sorted, de-duplicated ;-joined set', () => {
      assert.equal(createContextValue(['b', 'a', 'b', 'component']), 'a;b;component');
    });

    it('offers repair only where it helps, up where not ready, cancel while running', () => {
      assert.equal(componentContextValue({ status: 'outputs-missing', running: false, hasOutputs: true }), 'canForceRecreate;canRepair;canUp;component;deployed;hasOutputs;outputs-missing');
      assert.equal(componentContextValue({ status: 'ready', running: false, hasOutputs: true }), 'canForceRecreate;component;deployed;hasOutputs;ready');
      assert.equal(componentContextValue({ status: 'absent', running: false, hasOutputs: false }), 'absent;canUp;component');
      assert.equal(componentContextValue({ status: 'blocked', running: false, hasOutputs: false }), 'blocked;canForceRecreate;canUp;component;deployed');
      const running = componentContextValue({ status: 'failed', running: true, hasOutputs: false });
      assert.equal(running, 'canCancel;component;failed;running');
      assert.doesNotMatch(running, /canRepair|canUp/);
      assert.equal(componentContextValue({ status: 'failed', running: true, cancelling: true, hasOutputs: false }), 'canForceStop;component;failed;running', 'once cancelling, what is left is to force it');
      assert.match(componentContextValue({ status: 'failed', running: false, hasOutputs: false }), /(^|;)canRepair(;|$)/);
      assert.match(componentContextValue({ status: 'ready', running: false, hasOutputs: true, specChanged: true }), /(^|;)canUp(;|$)/, 'a changed spec can be applied');
      assert.match(componentContextValue({ status: 'ready', running: false, hasOutputs: true, drifted: true }), /(^|;)canUp(;|$)/, 'drift can be put back');
    });

    it('gives a stalled row one inline way out: Unblock (not also Repair)', () => {
      const stalled = componentContextValue({ status: 'failed', running: false, hasOutputs: true, stalled: true });
      assert.match(stalled, /(^|;)canUnblock(;|$)/);
      assert.doesNotMatch(stalled, /canRepair/);
      assert.doesNotMatch(componentContextValue({ status: 'failed', running: false, hasOutputs: true }), /canUnblock/);
    });
  });

  it("the Force Recreate picker names what core's plan recreates with a component: its dependents, never its dependencies", () => {
    const rows = [
      { name: 'cluster', dependsOn: [] },
      { name: 'storage', dependsOn: [] },
      { name: 'workspace', dependsOn: ['cluster', 'storage'] },
      { name: 'adaptive-default', dependsOn: ['cluster', 'workspace', 'storage'] },
    ];
    assert.deepEqual(recreatedWith(rows, 'workspace'), ['adaptive-default']);
    assert.deepEqual(recreatedWith(rows, 'cluster'), ['workspace', 'adaptive-default']);
    assert.deepEqual(recreatedWith(rows, 'adaptive-default'), []);
  });

  describe('drift and the reconcile loop on a row', () => {
    const ready = { status: 'ready' as const, reason: '' };
    it('says what drifted and where the loop is, after the status', () => {
      const drift = { state: 'drifted' as const, checkedAt: 't', resources: [{ urn: 'u::results-container', type: 't', change: 'deleted' as const }] };
      assert.equal(describeRow({ ...ready, drift }), 'ready · drifted: 1 deleted');
      // The last Preview, on the row: only what an Up would change.
      const counts = { create: 0, update: 1, replace: 0, delete: 0, same: 3 };
      assert.equal(describeRow({ ...ready, spec: 'changed' }, undefined, counts), 'ready · changed since last up · preview ~1');
      assert.equal(describeRow(ready, undefined, { ...counts, update: 0, create: 2, delete: 1 }), 'ready · preview +2 -1');
      assert.equal(describeRow(ready, undefined, { ...counts, update: 0 }), 'ready', 'a preview that changes nothing says nothing');
      const reconciling = { condition: 'reconciling' as const, reason: 'Drifted', message: 'm', attempt: 2, maxAttempts: 3, at: 't' };
      assert.equal(describeRow({ ...ready, drift, reconcile: reconciling }), 'ready · drifted: 1 deleted · reconciling (attempt 2 of 3)');
      assert.equal(describeRow({ status: 'failed', reason: 'last update failed', reconcile: { ...reconciling, condition: 'stalled', reason: 'FailureBudgetSpent' } }), 'failed — last update failed · stalled: FailureBudgetSpent');
      assert.equal(describeRow({ ...ready, drift: { state: 'in-sync', resources: [] }, reconcile: { ...reconciling, condition: 'ready' } }), 'ready');
    });

    it('unblocks with our own command where the loop names one, else hands a person the command', () => {
      assert.deepEqual(unblockFor('mops-infra repair workspace --config a.yaml --env dev'), { kind: 'command', command: 'modelopsInfra.repair', title: 'Repair' });
      assert.deepEqual(unblockFor('mops-infra up adaptive-default --config a.yaml --env dev'), { kind: 'command', command: 'modelopsInfra.upComponent', title: 'Up' });
      assert.equal(unblockFor('mops-infra preview storage --config a.yaml, then mops-infra up storage')?.kind, 'command');
      assert.deepEqual(unblockFor('pulumi cancel --stack s'), { kind: 'terminal', text: 'pulumi cancel --stack s' });
      assert.equal(unblockFor(undefined), undefined);
    });
  });

  describe('range mapping', () => {
    it('turns 1-based line/column into 0-based positions', () => {
      const r = { start: { line: 3, column: 1 }, end: { line: 3, column: 9 }, startOffset: 20, endOffset: 28 };
      assert.deepEqual(toZeroBased(r), { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 8 });
    });

    it('matches the text the core parser points at', () => {
      const text = 'provider: local\nstorrage: {}\n';
      const problem = parseConfig(text, '/x/azure.yaml').problems.find((p) => p.code === 'unknown-key')!;
      assert.ok(problem, 'unknown-key reported');
      const r = toZeroBased(problem.range);
      const line = text.split('\n')[r.startLine];
      assert.equal(line.slice(r.startCharacter, r.endCharacter), 'storrage');
      assert.equal(suggestionIn(problem.message), 'storage');
      assert.deepEqual(quickFixesFor(problem).map((f) => [f.kind, f.replacement]), [['replace', 'storage']]);
    });

    it('never produces an end before the start', () => {
      const r = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 }, startOffset: 0, endOffset: 0 };
      assert.deepEqual(toZeroBased(r), { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 });
    });
  });

  describe('quick fixes', () => {
    it('are chosen by code: readiness problems get Repair (preferred), Run Up, Refresh', () => {
      for (const code of ['missing-output', 'missing-dependency-output', 'component-failed', 'component-interrupted'] as const) {
        const fixes = quickFixesFor({ code, component: 'cluster', message: 'anything at all' });
        assert.deepEqual(fixes.map((f) => f.kind), ['repair', 'up', 'refresh'], code);
        assert.equal(fixes[0].title, 'Repair cluster');
        assert.ok(fixes[0].preferred);
      }
      assert.deepEqual(quickFixesFor({ code: 'component-unknown', component: 'cluster', message: '' }).map((f) => f.kind), ['refresh']);
      assert.deepEqual(quickFixesFor({ code: 'unknown-key', message: 'no suggestion here' }), []);
    });

    it('a value of the wrong type gets the one it most likely meant, and applying that clears the error', () => {
      const cases: Array<[string, string]> = [
        ['provider: local\nworkspace:\n  kind: Workspace\n  metadata: { name: w }\n  spec:\n    workers:\n      replicas: "3"\n', '3'],
        ['provider: local\naks:\n  kubernetes_version: 1.30\n', '"1.30"'],
        ['provider: local\nlocal:\n  faults:\n    cluster:\n      omit_outputs: kubeconfig\n', '[kubeconfig]'],
        ['provider: local\nadaptive:\n  run:\n    workers: { command: 5 }\n', '"5"'],
        ['provider: local\nlocation:\n  region: eastus\n', undefined as unknown as string],
      ];
      for (const [text, meant] of cases) {
        const problem = parseConfig(text, '/x/azure.yaml').problems.find((p) => p.code === 'wrong-type');
        assert.ok(problem, `wrong-type in ${JSON.stringify(text)}`);
        const fixes = quickFixesFor(problem);
        if (meant === undefined) {
          assert.deepEqual(fixes, [], 'no guess where none is clear; the message gives an example instead');
          assert.match(problem.message, /For example: `/);
          continue;
        }
        assert.deepEqual(fixes.map((f) => [f.kind, f.title, f.replacement]), [['replace', `Change to \`${meant}\``, meant]]);
        const fixed = text.slice(0, problem.range.startOffset) + meant + text.slice(problem.range.endOffset);
        assert.deepEqual(parseConfig(fixed, '/x/azure.yaml').problems.filter((p) => p.code === 'wrong-type'), [], fixed);
      }
    });
  });

  describe('NDJSON', () => {
    it('splits lines across chunk boundaries, including multi-byte characters and CRLF', () => {
      const s = new LineSplitter();
      const bytes = Buffer.from('{"type":"log","message":"é"}\r\n{"type":"pl');
      assert.deepEqual(s.push(bytes.subarray(0, 27)), []);
      assert.deepEqual(s.push(bytes.subarray(27)), ['{"type":"log","message":"é"}']);
      assert.deepEqual(s.push('an"}\npartial'), ['{"type":"plan"}']);
      assert.deepEqual(s.flush(), ['partial']);
      assert.deepEqual(s.flush(), []);
    });

    it('parses events and ignores everything else', () => {
      assert.deepEqual(parseEventLine('{"type":"log","level":"info","message":"x"}'), { type: 'log', level: 'info', message: 'x' });
      assert.equal(parseEventLine('Updating (dev):'), undefined);
      assert.equal(parseEventLine('{"type": 3}'), undefined);
      assert.equal(parseEventLine('{"type":"log"'), undefined);
      assert.equal(parseEventLine('[1,2]'), undefined);
    });
  });

  describe('masking and formatting', () => {
    it('masks registered secret values, longest first, and each long line of multi-line values', () => {
      const m = new SecretMasker();
      m.add('s3cr3t-token');
      m.add('s3cr3t-token-longer');
      m.add('apiVersion: v1\nclusters: [cert-data-AAAA]\n');
      m.add('ab');
      assert.equal(m.mask('a s3cr3t-token-longer and s3cr3t-token'), `a ${MASK} and ${MASK}`);
      assert.equal(m.mask('line: clusters: [cert-data-AAAA]'), `line: ${MASK}`);
      assert.equal(m.mask('ab stays'), 'ab stays');
    });

    it('formats the words of the tree and the log', () => {
      assert.equal(formatElapsed(42_000), '0:42');
      assert.equal(formatElapsed(3_723_000), '1:02:03');
      assert.equal(describePhase({ kind: 'running', action: 'up', stepsLeft: 1, stepsDone: 0, since: 0 }, 'ready', 42_000), 'up… 0:42');
      assert.equal(describePhase({ kind: 'running', action: 'destroy', stepsLeft: 2, stepsDone: 0, since: 0 }, 'ready', 12_000), 'destroying… 0:12');
      assert.equal(describePhase({ kind: 'queued', stepsLeft: 1, stepsDone: 1, since: 0 }, 'absent'), 'queued');
      // A blocked row names what this window's run does to its dependency, never "busy" (our own lock).
      assert.equal(phaseWord({ kind: 'running', action: 'up', stepsLeft: 1, stepsDone: 0, since: 0 }), 'up…');
      assert.equal(phaseWord({ kind: 'queued', stepsLeft: 1, stepsDone: 0, since: 0 }), 'queued');
      assert.equal(phaseWord({ kind: 'done', stepsLeft: 0, stepsDone: 1, since: 0 }), undefined);
      assert.equal(waitingOn([{ name: 'cluster', state: phaseWord({ kind: 'running', action: 'refresh', stepsLeft: 2, stepsDone: 0, since: 0 })! }, { name: 'storage', state: 'failed' }]), 'waiting on cluster (refreshing…), storage (failed)');
      assert.equal(describePhase({ kind: 'done', stepsLeft: 0, stepsDone: 2, since: 0 }, 'ready'), 'ready · done');
      // "done" comes from the row's own steps: never on a failed repair or a step a cancel never started.
      const done = (...results: Array<[string, 'succeeded' | 'failed' | 'cancelled' | 'skipped']>) =>
        describePhase({ kind: 'done', stepsLeft: 0, stepsDone: results.length, since: 0, results: results.map(([action, result]) => ({ action, result })) }, 'ready');
      assert.equal(done(['refresh', 'succeeded'], ['up', 'failed']), 'ready · up failed');
      assert.equal(done(['up', 'skipped']), 'ready');
      assert.equal(done(['destroy', 'succeeded'], ['up', 'skipped']), 'ready · not finished');
      assert.equal(done(['up', 'cancelled']), 'ready · cancelled');
      assert.equal(done(['destroy', 'succeeded'], ['up', 'succeeded']), 'ready · done');
      assert.ok(targetsConflict('all', ['cluster']) && !targetsConflict('all', []) && !targetsConflict(['cluster'], ['storage']));
      assert.equal(describeReadiness(cluster), 'outputs-missing — missing: kubeconfig, cluster_name');
      assert.equal(describeReadiness({ status: 'ready', reason: '' }), 'ready');
      assert.equal(formatAgo(new Date(1000).toISOString(), 13_000), '12 s ago');
      assert.equal(displayValue({ secret: true, present: true, empty: false, value: 'x' }), MASK);
      assert.equal(displayValue({ secret: false, present: false, empty: true }), 'missing');
      assert.equal(displayValue({ secret: false, present: true, empty: false, value: 'x'.repeat(100) }, 10), `${'x'.repeat(9)}…`);
      assert.equal(runHeader('up', ['cluster', 'storage'], 'dev', new Date(2026, 10, 26, 23, 59, 1)), '▶ up · components: cluster, storage · env dev · 2026-11-26 23:59:01');
      assert.equal(runSummary('up', 'succeeded', 42_300, [{ status: 'ready' }, { status: 'failed' }, { status: 'ready' }, { status: 'ready' }]), '■ up succeeded in 42 s: 3 ready, 1 failed');
    });

    it('builds a tooltip with verified ✓ and missing ✗ outputs and never a secret value', () => {
      const md = componentTooltip(cluster, () => 'ready', Date.parse(cluster.verifiedAt) + 12_000);
      assert.match(md, /modelops-infra-dev/);
      assert.match(md, /✓ `location`: `eastus2`/);
      assert.match(md, /✓ `admin_password`: `\[secret\]`/);
      assert.match(md, /✗ `kubeconfig`/);
      assert.match(md, /✗ `cluster_name`/);
      assert.match(md, /resource\\-group \(ready\)/);
      // A clock time, not "12 s ago": a tooltip is built once per repaint and read any time after.
      const at = new Date(cluster.verifiedAt);
      const pad = (n: number) => String(n).padStart(2, '0');
      assert.match(md, new RegExp(`_verified at ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}_`));
      assert.equal(formatAt(cluster.verifiedAt, Date.parse(cluster.verifiedAt) + 2 * 86_400_000), `on ${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} at ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`);
      assert.equal(formatAt(undefined), 'never');
    });

    it("a cancelled update's tooltip says cancelled twice over, never \"Last update: failed\" beside \"Status: cancelled\"", () => {
      const cancelled = { ...cluster, status: 'cancelled' as const, reason: 'last update was cancelled', lastUpdate: { kind: 'update', result: 'failed' as const, cancelledAt: '2026-12-01T10:00:00Z' } };
      const md = componentTooltip(cancelled, () => 'ready');
      assert.match(md, /Status: \*\*cancelled/);
      assert.match(md, /Last update: cancelled/);
      assert.doesNotMatch(md, /failed/);
    });

    it('first contact is quiet: an absent row says to run Up, its tooltip names the stack and what it will export, nothing "✗ missing"', () => {
      const absent = { ...cluster, status: 'absent' as const, reason: 'stack modelops-infra-dev does not exist', outputs: cluster.outputs.map((o) => ({ ...o, present: false })) };
      assert.equal(describeRow(absent), 'absent — run Up to create it');
      assert.equal(describeRow({ ...absent, reason: 'stack modelops-infra-dev was destroyed' }), 'absent — destroyed; Up creates it again');
      const md = componentTooltip(absent, () => 'absent');
      assert.match(md, /stack `modelops-infra-dev`/);
      assert.match(md, /\*\*Run Up to create it\.\*\*/);
      assert.match(md, /Once created it exports `kubeconfig`, `cluster_name`, `location`\./);
      assert.doesNotMatch(md, /✗/);
    });

    it('an environment row says how ready it is and which one is current', () => {
      const e = { name: 'staging', current: false, ready: 1, total: 4, deployed: 1 };
      assert.equal(describeEnvironment(e), '1/4 ready, 3 not created');
      assert.equal(describeEnvironment({ ...e, ready: 4, deployed: 4, current: true }), '4/4 ready · current');
      assert.equal(describeEnvironment({ ...e, ready: 0, deployed: 0 }), 'nothing created');
      assert.deepEqual([environmentLook({ ...e, ready: 4, deployed: 4 }).icon, environmentLook(e).icon, environmentLook({ ...e, deployed: 0 }).icon], ['pass', 'warning', 'circle-outline']);
      const report = { configFile: 'a', environments: [{ ...e, name: 'dev', current: true, ready: 3, deployed: 4 }] };
      assert.equal(currentIsStale(report, 'dev', 3, 4), false);
      assert.equal(currentIsStale(report, 'dev', 4, 4), true, 'the Components view reads more ready now');
      assert.equal(currentIsStale(report, 'prod', 3, 4), true, 'another environment is current now');
      assert.equal(currentIsStale(undefined, 'dev', 0, 0), true);
    });

    it("the current environment's row has the Components view's figures while the backend is read again: never \"nothing created\" after an Up", () => {
      const read = [{ name: 'dev', current: true, ready: 0, total: 4, deployed: 0 }, { name: 'prod', current: false, ready: 4, total: 4, deployed: 4 }];
      const shown = withCurrent(read, 'dev', { ready: 4, total: 4, deployed: 4 });
      assert.deepEqual(shown.map(describeEnvironment), ['4/4 ready · current', '4/4 ready']);
      assert.deepEqual(withCurrent(read, 'prod', { ready: 2, total: 4, deployed: 4 }).map(describeEnvironment), ['nothing created', '2/4 ready · current'], 'a switch shows at once');
      assert.deepEqual(withCurrent(read.slice(1), 'dev', { ready: 1, total: 4, deployed: 1 }).map((e) => e.name), ['prod', 'dev'], 'an environment the last read did not list yet');
      assert.deepEqual(withCurrent(read, 'dev', undefined), read, 'nothing read yet: the backend as read');
    });

    it('an output row offers Copy Value when there is a value, and Open only for a plain web address', () => {
      assert.equal(outputContextValue({ secret: false, present: true, empty: false, value: 'http://dask-scheduler.ns:8787' }), 'canCopy;canOpen;output');
      assert.equal(outputContextValue({ secret: false, present: true, empty: false, value: 'tcp://dask-scheduler.ns:8786' }), 'canCopy;output');
      assert.equal(outputContextValue({ secret: true, present: true, empty: false }), 'canCopy;output;secret');
      assert.equal(outputContextValue({ secret: false, present: false, empty: true }), 'output');
      assert.equal(outputUrl({ secret: true, value: 'https://x' }), undefined, 'a secret is never opened');
      assert.equal(outputUrl({ secret: false, value: 'javascript:alert(1)' }), undefined);
      assert.equal(outputUrl({ secret: false, value: ' https://portal.azure.com/x ' }), 'https://portal.azure.com/x');
    });

    it('a ready row whose last health check found a problem says so; the tooltip says which check and why', () => {
      const checks = [
        { check: 'blob endpoint', verdict: 'healthy' as const, reason: '' },
        { check: 'container results', verdict: 'unhealthy' as const, reason: 'the container does not exist' },
        { check: 'container jobs', verdict: 'unknown' as const, reason: 'no key' },
      ];
      assert.equal(describeHealthProblem(checks), 'unhealthy: container results');
      assert.equal(describeHealthProblem([...checks, { ...checks[1], check: 'container jobs' }]), 'unhealthy: 2 checks');
      assert.equal(describeHealthProblem(checks.filter((c) => c.verdict !== 'unhealthy')), undefined, 'unknown is not a problem found');
      assert.equal(describeRow({ status: 'ready', reason: '' }, describeHealthProblem(checks)), 'ready · unhealthy: container results');
      const ready = { ...cluster, status: 'ready' as const, reason: '' };
      assert.match(componentTooltip(ready, () => 'ready', Date.now(), healthProblemLines(checks)), /Health \(last check\):\n\n- ✗ container results: the container does not exist/);
    });
    it('a ready component the last checks found a problem in counts for the badge and the status bar: drifted, unhealthy, once each', () => {
      const rows = [
        { name: 'cluster', status: 'ready' as const },
        { name: 'storage', status: 'ready' as const, drift: { state: 'drifted' as const, resources: [], checkedAt: '2026-12-01T10:00:00Z' } },
        { name: 'workspace', status: 'blocked' as const },
        { name: 'adaptive-a', status: 'stale' as const },
      ];
      const sick = [{ check: 'container results', verdict: 'unhealthy' as const, reason: 'gone' }];
      const found = attention(rows, (name) => (name === 'storage' || name === 'cluster' ? sick : []));
      assert.deepEqual(found, { notReady: ['workspace', 'adaptive-a'], stale: ['adaptive-a'], drifted: ['storage'], unhealthy: ['cluster', 'storage'] });
      assert.equal(attentionCount(found), 4, 'storage counts once; stale is one of the not ready');
      assert.equal(attentionTooltip(found), '1 component not ready, 1 stale, 1 drifted, 2 unhealthy');
      assert.equal(attentionCount(attention(rows.slice(0, 1), () => [])), 0);
    });

    it('a health verdict goes once the stack is deployed again: it checked what that deployment replaced', () => {
      const checks = [{ check: 'scheduler', verdict: 'unhealthy' as const, reason: 'no pod', checkedAt: '2026-12-01T10:00:05.120Z' }];
      assert.deepEqual(currentChecks(checks, { startTime: '2026-12-01T09:59:00Z', endTime: '2026-12-01T10:00:02Z' }), checks, 'checked after the last deployment');
      assert.deepEqual(currentChecks(checks, { startTime: '2026-12-01T10:00:03Z', endTime: '2026-12-01T10:01:00Z' }), [], 'an up ended after the check');
      assert.deepEqual(currentChecks(checks, undefined), checks, 'no deployment known');
    });
  });

  describe('CLI plumbing', () => {
    it('the bundleEnv and kubeContext settings turned off add --no-bundle-env and --no-kube-context to up and down only (the CLI refuses them elsewhere)', () => {
      const off = { bundleEnv: false, kubeContext: false };
      const args = (verb: Verb, s: typeof off) => flagArgs(settingFlags(verb, s));
      assert.deepEqual(args('up', off), ['--no-bundle-env', '--no-kube-context']);
      assert.deepEqual(args('down', { bundleEnv: true, kubeContext: false }), ['--no-kube-context']);
      assert.deepEqual(args('down', { bundleEnv: false, kubeContext: true }), ['--no-bundle-env']);
      assert.deepEqual(args('repair', off), []);
      assert.deepEqual(args('up', { bundleEnv: true, kubeContext: true }), []);
      for (const verb of ['up', 'down'] as const) assert.equal(parseCliArgs([verb, ...args(verb, off)]) !== 'help', true);
    });

    it('passes settings as flags and the passphrase as env, never as an argument', () => {
      const flags = flagArgs(commonFlags('/w/azure.yaml', { environment: 'prod', pulumiPath: '/p/pulumi', backendUrl: 'file:///b', retryAttempts: 3, retryDelayMs: 10 }));
      assert.deepEqual(flags, ['--config', '/w/azure.yaml', '--env', 'prod', '--pulumi', '/p/pulumi', '--backend', 'file:///b', '--retry-attempts', '3', '--retry-delay-ms', '10']);
      assert.deepEqual(flagArgs(commonFlags('a.yaml', { environment: '', pulumiPath: '', backendUrl: '' })), ['--config', 'a.yaml']);
      const env = childEnv({ PATH: '/bin', PULUMI_CONFIG_PASSPHRASE_FILE: '/f' }, 'pw');
      assert.equal(env.ELECTRON_RUN_AS_NODE, '1');
      assert.equal(env.PULUMI_CONFIG_PASSPHRASE, 'pw');
      assert.equal(env.PULUMI_CONFIG_PASSPHRASE_FILE, undefined);
      assert.equal(childEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: '/f' }, undefined).PULUMI_CONFIG_PASSPHRASE_FILE, '/f');
    });

    it('reads status and plan documents and lists destroys in order', () => {
      assert.equal(asStatusReport({ nope: 1 }), undefined);
      assert.equal(asStatusReport({ env: 'dev', components: [] })?.env, 'dev');
      const plan = asPlan({ plan: [
        { component: 'workspace', stack: 'modelops-workspace-dev', action: 'destroy', reason: '' },
        { component: 'cluster', stack: 'modelops-infra-dev', action: 'destroy', reason: '' },
        { component: 'cluster', stack: 'modelops-infra-dev', action: 'up', reason: '' },
      ] })!.plan;
      assert.equal(destroyList(plan), '1. modelops-workspace-dev (workspace)\n2. modelops-infra-dev (cluster)');
      assert.deepEqual(destroyed(plan), ['workspace', 'cluster']);
      assert.equal(stackConfigPath('/h', 'adaptive/default', 'modelops-adaptive-dev-default'), join('/h', 'pulumi', 'adaptive', 'default', 'Pulumi.modelops-adaptive-dev-default.yaml'));
    });

    it("a force recreate's modal lists what else its plan does: what it brings up to date and why, and what it leaves alone", () => {
      const plan = asPlan({ plan: [
        { component: 'workspace', stack: 'modelops-workspace-dev', action: 'destroy', reason: 'force-recreate' },
        { component: 'cluster', stack: 'modelops-infra-dev', action: 'skip', reason: 'ready' },
        { component: 'storage', stack: 'modelops-storage-dev', action: 'up', reason: 'drifted' },
        { component: 'workspace', stack: 'modelops-workspace-dev', action: 'up', reason: 'recreate' },
      ] })!.plan;
      assert.deepEqual(besidesRecreate(plan), { updated: ['storage (drifted)'], untouched: ['cluster'] });
      // Nothing exists yet: no destroy step, yet the recreated ones are not "brought up to date".
      const fresh = asPlan({ plan: [{ component: 'workspace', stack: 'modelops-workspace-dev', action: 'up', reason: 'recreate' }, { component: 'cluster', stack: 'modelops-infra-dev', action: 'skip', reason: 'ready' }] })!.plan;
      assert.deepEqual(besidesRecreate(fresh), { updated: [], untouched: ['cluster'] });
    });

    it('streams events from a child, and SIGINT cancels it (twice = force)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mops-cli-'));
      const script = join(dir, 'fake-cli.js');
      writeFileSync(
        script,
        `const out = (e) => process.stdout.write(JSON.stringify(e) + '\\n');
         let sigints = 0;
         process.on('SIGINT', () => { sigints++; if (sigints === 2) { out({ type: 'operation-done', operation: 'up', result: 'cancelled', summary: 'forced', durationMs: 1 }); process.exit(130); } });
         out({ type: 'operation-start', operation: 'up', env: 'dev', components: process.argv.slice(2), time: 'now' });
         process.stdout.write('{"type":"step-output","component":"cluster","action":"up",');
         setTimeout(() => process.stdout.write('"line":"creating"}\\nnot json\\n'), 20);
         setInterval(() => {}, 1000);`,
      );
      try {
        const child = new CliProcess({ nodePath: process.execPath, cliPath: script, args: ['cluster'], cwd: dir, env: process.env });
        const events: string[] = [];
        child.onEvent((e) => {
          events.push(e.type);
          if (e.type === 'step-output') {
            child.cancel();
            setTimeout(() => child.cancel(), 100);
          }
        });
        const exit = await child.done;
        assert.deepEqual(events, ['operation-start', 'step-output', 'operation-done']);
        assert.equal(exit.code, 130);
        assert.equal(child.cancelCount, 2);
        assert.match(exit.stdout, /not json/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
