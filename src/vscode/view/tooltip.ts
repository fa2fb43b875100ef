/** The Markdown of a component's tooltip. Pure; secrets are always masked. */
import { describeDrift } from '../../core/drift';
import { describeCondition } from '../../core/attempts';
import { displayValue, formatAt } from './format';
import { describeReadiness, type ComponentReadiness } from '../../core/readiness';

/** Escapes Markdown punctuation in plain text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** `verified: false` leaves out when the row was verified: what a row's look compares (it changes with every re-read). */
export function componentTooltip(r: ComponentReadiness, statusOf: (name: string) => string | undefined, now = Date.now(), healthProblems: readonly string[] = [], verified = true): string {
  const lines = [`**${escapeMarkdown(r.name)}** · stack ${code(r.stack)}`, '', `Status: **${escapeMarkdown(describeReadiness(r, now))}**`, ''];
  const present = r.outputs.filter((o) => o.present && !o.empty);
  const absent = r.status === 'absent';
  const missing = absent ? [] : r.outputs.filter((o) => o.required && (!o.present || o.empty));
  if (absent) {
    lines.push('**Run Up to create it.**', '');
    const exports = r.outputs.filter((o) => o.required).map((o) => code(o.name));
    if (exports.length) lines.push(`Once created it exports ${exports.join(', ')}.`, '');
  }
  if (healthProblems.length) {
    lines.push('Health (last check):', '');
    for (const p of healthProblems) lines.push(`- ✗ ${escapeMarkdown(p)}`);
    lines.push('');
  }
  if (present.length) {
    lines.push('Verified outputs:', '');
    for (const o of present) lines.push(`- ✓ ${code(o.name)}: ${code(displayValue(o, 48))}`);
    lines.push('');
  }
  if (missing.length) {
    lines.push('Missing outputs:', '');
    for (const o of missing) lines.push(`- ✗ ${code(o.name)}${o.present ? ' (empty)' : ''}`);
    lines.push('');
  }
  if (r.dependsOn.length) {
    lines.push(`Depends on: ${r.dependsOn.map((d) => `${escapeMarkdown(d)} (${escapeMarkdown(statusOf(d) ?? 'unknown')})`).join(', ')}`, '');
  }
  if (r.spec === 'changed') lines.push('Spec: **changed since the last up** (Up applies azure.yaml)', '');
  else if (r.spec === 'unknown' && r.status !== 'absent') lines.push('Spec: unknown (deployed before specs were recorded, or by another tool)', '');
  if (r.drift && r.drift.state !== 'unchecked') lines.push(`Drift: **${escapeMarkdown(describeDrift(r.drift.resources))}** (checked ${escapeMarkdown(formatAt(r.drift.checkedAt, now))})`, '');
  if (r.reconcile && r.reconcile.condition !== 'ready') {
    lines.push(`Reconcile: **${escapeMarkdown(describeCondition(r.reconcile, now))}** — ${escapeMarkdown(`${r.reconcile.reason}: ${r.reconcile.message}`)}`, '');
    if (r.reconcile.command) lines.push(`To unblock: ${code(r.reconcile.command)}`, '');
  }
  if (r.lastUpdate) {
    const when = r.lastUpdate.endTime ?? r.lastUpdate.startTime;
    // Pulumi records a cancelled update as failed; our own record says it was a cancel.
    const result = r.lastUpdate.cancelledAt ? 'cancelled' : r.lastUpdate.result;
    lines.push(`Last ${escapeMarkdown(r.lastUpdate.kind)}: ${escapeMarkdown(result)}${when ? ` ${escapeMarkdown(formatAt(when, now))}` : ''}`, '');
  }
  if (verified) lines.push(`_verified ${escapeMarkdown(formatAt(r.verifiedAt, now))}_`);
  return lines.join('\n');
}
