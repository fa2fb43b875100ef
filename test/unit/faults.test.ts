/** Advice that knows about the local provider's rehearsal faults, and the edit that removes one. */
import { strict as assert } from 'node:assert';
import { componentsFor } from '../../src/core/components';
import { faultCause, faultOf, removeFaultEdit } from '../../src/core/config/faults';
import { parseConfig } from '../../src/core/config/parse';
import { readinessProblems } from '../../src/core/readinessProblems';
import { computeReadiness } from '../../src/core/readiness';
import { quickFixesFor } from '../../src/vscode/view/quickFixPlan';
import { lines } from '../fixtures';
import { byName, graphOf, readyState, statesFor, withOutputs } from './helpers';

const FILE = '/project/azure.yaml';
const BASE = ['provider: local', 'storage: {}', 'workspace:', '  metadata: { name: w }'];
const WITH_FAULT = lines(...BASE, 'local:', '  faults:', '    cluster:', '      omit_outputs: [kubeconfig]', '    storage: { step_delay_ms: 5 }');

function problemsOf(text: string, overrides: (c: ReturnType<typeof componentsFor>) => Parameters<typeof statesFor>[1]) {
  const parsed = parseConfig(text, FILE);
  const components = componentsFor(parsed.config!, 'dev');
  const readiness = computeReadiness(components, graphOf(components), statesFor(components, overrides(components)), new Map());
  return { parsed, problems: readinessProblems(parsed, components, readiness) };
}

const apply = (text: string, edit: { startOffset: number; endOffset: number; newText: string }) => text.slice(0, edit.startOffset) + edit.newText + text.slice(edit.endOffset);

describe('fault-aware advice', () => {
  const missingKubeconfig = (c: ReturnType<typeof componentsFor>) => ({ cluster: withOutputs(readyState(byName(c, 'cluster')), { kubeconfig: undefined }) });

  it('a missing output the fault omits says so, points at the fault, and puts removing it first', () => {
    const { problems } = problemsOf(WITH_FAULT, missingKubeconfig);
    const owner = problems.find((p) => p.code === 'missing-output')!;
    assert.match(owner.message, /The fault `local\.faults\.cluster` \(line 7\) leaves it out, so Repair and Up fail the same way while it is there: remove the fault, then Repair cluster\./);
    assert.deepEqual(owner.related![0], { file: FILE, range: faultOf(parseConfig(WITH_FAULT, FILE), 'cluster')!.range, message: 'the fault that omits kubeconfig' });
    assert.deepEqual(quickFixesFor(owner).map((f) => [f.kind, f.title, !!f.preferred]), [
      ['remove-fault', 'Remove the fault on cluster', true],
      ['repair', 'Repair cluster', false],
      ['up', 'Run Up', false],
      ['refresh', 'Refresh', false],
    ]);
  });

  it("the fault's own line gets a warning with only the Remove quick fix", () => {
    const { problems } = problemsOf(WITH_FAULT, missingKubeconfig);
    const active = problems.find((p) => p.code === 'fault-active')!;
    assert.deepEqual([active.severity, active.range.start.line, active.component], ['warning', 7, 'cluster']);
    assert.equal(active.message, 'This rehearsal fault omits kubeconfig for cluster, which is missing kubeconfig because of it. Remove it, then Repair cluster.');
    assert.deepEqual(quickFixesFor(active).map((f) => f.kind), ['remove-fault']);
  });

  it('a fault that is not the cause says nothing; without faults the advice is Repair', () => {
    const storageOnly = problemsOf(WITH_FAULT, (c) => ({ storage: withOutputs(readyState(byName(c, 'storage')), { account_name: undefined }) })).problems;
    assert.ok(storageOnly.every((p) => !p.fault && p.code !== 'fault-active'), JSON.stringify(storageOnly));
    const clean = problemsOf(lines(...BASE), missingKubeconfig).problems.find((p) => p.code === 'missing-output')!;
    assert.match(clean.message, /Repair cluster \(or run Up\) to export it again\./);
    assert.equal(quickFixesFor(clean)[0].kind, 'repair');
  });

  it('a failed update under fail_after_resources names the fault', () => {
    const text = lines(...BASE, 'local:', '  faults:', '    infra: { fail_after_resources: 1 }');
    const { problems } = problemsOf(text, (c) => ({ cluster: readyState(byName(c, 'cluster'), { lastUpdate: { kind: 'update', result: 'failed' } }) }));
    const failed = problems.find((p) => p.code === 'component-failed')!;
    assert.match(failed.message, /The fault `local\.faults\.infra` \(line 7\) makes every update of it fail/);
    assert.equal(problems.find((p) => p.code === 'fault-active')?.message, 'This rehearsal fault fails after 1 resource for cluster, which is failed because of it. Remove it, then Repair cluster.');
  });
});

describe("an operation's summary", () => {
  it('names the fault that keeps a component from being ready, and only that', () => {
    const parsed = parseConfig(WITH_FAULT, FILE);
    assert.equal(faultCause(parsed, 'cluster', { status: 'outputs-missing', missingOutputs: ['kubeconfig'] }), 'the fault `local.faults.cluster` (line 7 of /project/azure.yaml) omits kubeconfig: remove it, then repair cluster');
    assert.equal(faultCause(parsed, 'cluster', { status: 'failed', missingOutputs: [] }), undefined);
    assert.equal(faultCause(parsed, 'storage', { status: 'outputs-missing', missingOutputs: ['account_name'] }), undefined);
  });
});

describe('removing a fault', () => {
  it('takes a block entry out with its lines, and leaves the rest as written', () => {
    const parsed = parseConfig(WITH_FAULT, FILE);
    const after = apply(WITH_FAULT, removeFaultEdit(parsed, 'cluster')!);
    assert.equal(after, lines(...BASE, 'local:', '  faults:', '    storage: { step_delay_ms: 5 }'));
    assert.deepEqual(parseConfig(after, FILE).config?.local.faults, { storage: { omitOutputs: [], stepDelayMs: 5 } });
  });

  it('takes out the last fault, and a flow-style one', () => {
    const only = lines(...BASE, 'local:', '  faults:', '    cluster:', '      omit_outputs: [kubeconfig]  # rehearse');
    const after = apply(only, removeFaultEdit(parseConfig(only, FILE), 'cluster')!);
    assert.equal(after, lines(...BASE, 'local:', '  faults:'));
    assert.deepEqual(parseConfig(after, FILE).problems.filter((p) => p.severity !== 'info'), []);
    const flow = lines(...BASE, 'local: { faults: { cluster: { omit_outputs: [kubeconfig] }, storage: { step_delay_ms: 5 } } }');
    const flowAfter = apply(flow, removeFaultEdit(parseConfig(flow, FILE), 'cluster')!);
    assert.deepEqual(parseConfig(flowAfter, FILE).config?.local.faults, { storage: { omitOutputs: [], stepDelayMs: 5 } });
    assert.match(flowAfter, /^provider: local\n/);
  });

  it('keeps a sibling, a comment after the entry and the file as written around it', () => {
    const text = lines(...BASE, 'local:', '  faults:', '    cluster:', '      omit_outputs: [kubeconfig]', '    # storage rehearses slowness', '    storage:', '      step_delay_ms:   5', 'depends_on: { storage: [] }');
    const after = apply(text, removeFaultEdit(parseConfig(text, FILE), 'cluster')!);
    assert.equal(after, lines(...BASE, 'local:', '  faults:', '    # storage rehearses slowness', '    storage:', '      step_delay_ms:   5', 'depends_on: { storage: [] }'));
    const last = lines(...BASE, 'local:', '  faults:', '    storage: { step_delay_ms: 5 }', '    cluster:', '      omit_outputs: [kubeconfig]').slice(0, -1);
    assert.equal(apply(last, removeFaultEdit(parseConfig(last, FILE), 'cluster')!), lines(...BASE, 'local:', '  faults:', '    storage: { step_delay_ms: 5 }'));
  });

  it('finds the fault under an alias, and nothing when there is none', () => {
    const text = lines(...BASE, 'local:', '  faults:', '    infra: { omit_outputs: [kubeconfig] }');
    assert.equal(apply(text, removeFaultEdit(parseConfig(text, FILE), 'cluster')!), lines(...BASE, 'local:', '  faults:'));
    assert.equal(removeFaultEdit(parseConfig(lines(...BASE), FILE), 'cluster'), undefined);
  });
});
