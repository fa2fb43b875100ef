/** The gauges of `status --format openmetrics` and `reconcile --metrics-file`, read back by a real parser of the text format (npm parse-prometheus-text-format). */
import { strict as assert } from 'node:assert';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { componentsFor } from '../../src/core/components';
import { readinessMetrics } from '../../src/core/metrics';
import { computeReadiness } from '../../src/core/readiness';
import { byName, graphOf, localConfig, readyState, statesFor } from './helpers';

const components = componentsFor(localConfig({}, ['a']), 'dev');
const NOW = Date.parse('2026-12-07T12:00:00Z');

function families() {
  const storage = byName(components, 'storage');
  const states = statesFor(components, { storage: readyState(storage, { lastUpdate: { kind: 'update', result: 'failed', endTime: '2026-12-07T11:00:00Z' }, outputs: { connection_string: { secret: true, empty: false }, account_name: { secret: false, empty: false, value: 'acct-"quoted"\\name' } } }) });
  const readiness = computeReadiness(components, graphOf(components), states).map((r) =>
    r.name === 'storage' ? { ...r, reconcile: { condition: 'stalled' as const, reason: 'FailureBudgetSpent', message: 'm', attempt: 3, maxAttempts: 3, at: '2026-12-07T11:59:00Z', since: '2026-12-04T12:00:00Z', command: 'mops-infra repair storage' } } : r,
  );
  const text = readinessMetrics('dev', readiness, NOW);
  return { text, parsed: parsePrometheusTextFormat(text) };
}

const sample = (parsed: ReturnType<typeof parsePrometheusTextFormat>, name: string, component: string) => {
  const family = parsed.find((f) => f.name === `modelops_infra_${name}`);
  assert.ok(family, `family ${name}`);
  assert.equal(family.type, 'GAUGE');
  assert.ok(family.help.length > 10, `${name} says what it is`);
  return family.metrics.find((m) => 'labels' in m && m.labels?.component === component);
};

describe('metrics', () => {
  it('a parser of the text format reads every family, each a gauge with its help, labelled with env, component and stack; the text ends with # EOF', () => {
    const { text, parsed } = families();
    assert.ok(text.endsWith('\n# EOF\n'), 'OpenMetrics ends with # EOF');
    assert.equal(parsed.filter((f) => f.name.startsWith('modelops_infra_component_')).length, 10);
    const ready = sample(parsed, 'component_ready', 'cluster')!;
    assert.deepEqual(ready, { value: '1', labels: { env: 'dev', component: 'cluster', stack: components.find((c) => c.name === 'cluster')!.stack } });
  });

  it('says what alerting needs: not ready, which status and since when, stalled with its reason, how long in the condition, the attempts spent', () => {
    const { parsed } = families();
    assert.equal(sample(parsed, 'component_ready', 'storage')?.value, '0');
    assert.deepEqual(sample(parsed, 'component_status', 'storage')?.labels?.status, 'failed');
    assert.equal(sample(parsed, 'component_status_seconds', 'storage')?.value, '3600');
    const stalled = sample(parsed, 'component_stalled', 'storage')!;
    assert.deepEqual([stalled.value, stalled.labels?.reason], ['1', 'FailureBudgetSpent']);
    assert.equal(sample(parsed, 'component_stalled', 'cluster')?.value, '0');
    assert.equal(sample(parsed, 'component_condition_seconds', 'storage')?.value, String(3 * 86_400));
    assert.equal(sample(parsed, 'component_reconcile_attempt', 'storage')?.value, '3');
    assert.equal(sample(parsed, 'component_condition_seconds', 'cluster'), undefined, 'no condition before the loop ran: no sample, rather than a made-up 0');
  });

  it('never carries a secret or the value of an output', () => {
    const { text } = families();
    assert.doesNotMatch(text, /acct-|connection_string|account_name/);
  });
});
