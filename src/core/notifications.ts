/**
 * What the reconcile loop tells a webhook when a component changes condition: a component
 * stalled, recovered, or drift was found. The body is JSON of our own, or the message an
 * incoming webhook of Slack or Microsoft Teams takes, chosen by the URL's host. Names, conditions
 * and reasons only (what `status` shows): never an output's value. Pure.
 */
import type { ConditionReport } from './conditions';

export type TransitionKind = 'stalled' | 'recovered' | 'drift-found';

export interface Transition {
  kind: TransitionKind;
  env: string;
  component: string;
  stack: string;
  condition: ConditionReport;
}

/** What is news in how a pass took a component from `start` to `end`, if anything (and whether the pass found it drifted). */
export function transitionOf(start: ConditionReport | undefined, end: ConditionReport, driftFound: boolean): TransitionKind | undefined {
  if (end.condition === 'stalled' && start?.condition !== 'stalled') return 'stalled';
  // Recovered from what was news: a stall (a dependency that kept it waiting, or a retry on its way, was not).
  if (end.condition === 'ready' && start?.condition === 'stalled') return 'recovered';
  if (driftFound && start?.reason !== 'Drifted') return 'drift-found';
  return undefined;
}

export type WebhookKind = 'slack' | 'teams' | 'json';

/**
 * Slack's incoming webhooks live on hooks.slack.com; Teams' on *.webhook.office.com (and the
 * retired outlook.office.com connectors), or as a Workflows trigger (*.logic.azure.com,
 * *.powerplatform.com). Anything else gets our JSON.
 */
export function webhookKind(url: string): WebhookKind {
  const host = new URL(url).hostname.toLowerCase();
  if (host === 'hooks.slack.com') return 'slack';
  if (host.endsWith('.webhook.office.com') || host === 'outlook.office.com' || host.endsWith('.logic.azure.com') || host.endsWith('.powerplatform.com')) return 'teams';
  return 'json';
}

const WORDS: Record<TransitionKind, string> = { stalled: 'stalled', recovered: 'recovered', 'drift-found': 'drifted' };

/** One line a person reads in a channel. */
export function describeTransition(t: Transition): string {
  const head = `ModelOps ${t.env}: ${t.component} ${WORDS[t.kind]}`;
  if (t.kind === 'recovered') return `${head}: ready again.`;
  const unblock = t.condition.command ? ` To unblock: ${t.condition.command}` : '';
  return `${head} (${t.condition.reason}): ${t.condition.message}.${unblock}`;
}

/**
 * The body to post. Slack: `{ text }` (api.slack.com/messaging/webhooks). Teams: a message with one
 * Adaptive Card attachment (learn.microsoft.com, "Send Adaptive Cards using an Incoming Webhook";
 * Workflows' "When a Teams webhook request is received" takes the same).
 */
export function notificationBody(kind: WebhookKind, t: Transition): unknown {
  const text = describeTransition(t);
  if (kind === 'slack') return { text };
  if (kind === 'teams') {
    const facts = [
      { title: 'Environment', value: t.env },
      { title: 'Stack', value: t.stack },
      { title: 'Condition', value: `${t.condition.condition} (${t.condition.reason})` },
      ...(t.condition.command ? [{ title: 'To unblock', value: t.condition.command }] : []),
    ];
    const card = { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text, wrap: true }, { type: 'FactSet', facts }] };
    return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
  }
  const { condition: c } = t;
  return {
    source: 'modelops-infra',
    transition: t.kind,
    env: t.env,
    component: t.component,
    stack: t.stack,
    condition: c.condition,
    reason: c.reason,
    message: c.message,
    attempt: c.attempt,
    maxAttempts: c.maxAttempts,
    ...(c.command ? { command: c.command } : {}),
    ...(c.since ? { since: c.since } : {}),
    at: c.at,
    text,
  };
}
