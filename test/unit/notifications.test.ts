/** What the reconcile loop posts on a transition: when, and in which shape for which webhook. */
import { strict as assert } from 'node:assert';
import type { ConditionReport } from '../../src/core/conditions';
import { describeTransition, notificationBody, transitionOf, webhookKind, type Transition } from '../../src/core/notifications';

const at = '2026-12-07T10:00:00Z';
const c = (condition: ConditionReport['condition'], reason = 'Converged', extra: Partial<ConditionReport> = {}): ConditionReport => ({ condition, reason, message: 'the message', attempt: 1, maxAttempts: 3, at, ...extra });

describe('notifications', () => {
  it('a transition is news once: stalled when it stalls, recovered when a stalled component is ready again, drift when a pass finds it', () => {
    assert.equal(transitionOf(c('reconciling', 'UpdateFailed'), c('stalled', 'FailureBudgetSpent'), false), 'stalled');
    assert.equal(transitionOf(c('stalled', 'FailureBudgetSpent'), c('stalled', 'FailureBudgetSpent'), false), undefined, 'still stalled: said already');
    assert.equal(transitionOf(c('stalled', 'FailureBudgetSpent'), c('ready'), false), 'recovered');
    assert.equal(transitionOf(undefined, c('ready'), false), undefined, 'the first pass ever: nothing recovered');
    assert.equal(transitionOf(c('reconciling', 'DependencyNotReady'), c('ready'), false), undefined, 'it only waited on a dependency');
    assert.equal(transitionOf(c('ready'), c('ready'), true), 'drift-found', 'found and healed in the same pass');
    assert.equal(transitionOf(c('reconciling', 'Drifted'), c('reconciling', 'Drifted'), true), undefined, 'the same drift, found again');
  });

  it('the webhook is told apart by its host: Slack, Teams (connectors and Workflows), else our JSON', () => {
    assert.equal(webhookKind('https://hooks.slack.com/services/T0/B0/xyz'), 'slack');
    assert.equal(webhookKind('https://contoso.webhook.office.com/webhookb2/abc'), 'teams');
    assert.equal(webhookKind('https://prod-01.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x'), 'teams');
    assert.equal(webhookKind('https://default123.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc'), 'teams');
    assert.equal(webhookKind('http://127.0.0.1:9000/hook'), 'json');
  });

  const stalled: Transition = { kind: 'stalled', env: 'prod', component: 'storage', stack: 'modelops-storage-prod', condition: c('stalled', 'FailureBudgetSpent', { command: 'mops-infra repair storage --env prod', since: at }) };

  it("each shape carries the one line a person reads; Slack's is { text }, Teams' an Adaptive Card message", () => {
    const line = 'ModelOps prod: storage stalled (FailureBudgetSpent): the message. To unblock: mops-infra repair storage --env prod';
    assert.equal(describeTransition(stalled), line);
    assert.deepEqual(notificationBody('slack', stalled), { text: line });
    const teams = notificationBody('teams', stalled) as { type: string; attachments: Array<{ contentType: string; content: { type: string; body: Array<{ type: string; text?: string }> } }> };
    assert.equal(teams.type, 'message');
    assert.equal(teams.attachments[0]!.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(teams.attachments[0]!.content.type, 'AdaptiveCard');
    assert.equal(teams.attachments[0]!.content.body[0]!.text, line);
    const json = notificationBody('json', stalled) as Record<string, unknown>;
    assert.deepEqual([json.transition, json.env, json.component, json.reason, json.command, json.since], ['stalled', 'prod', 'storage', 'FailureBudgetSpent', 'mops-infra repair storage --env prod', at]);
    assert.equal(describeTransition({ ...stalled, kind: 'recovered', condition: c('ready') }), 'ModelOps prod: storage recovered: ready again.');
  });
});
