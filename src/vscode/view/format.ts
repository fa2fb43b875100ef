/** Words and numbers as the views show them. Pure. */
import { describeDrift } from '../../core/drift';
import { describeReadiness, type ComponentReadiness } from '../../core/readiness';
import { madeElsewhereNote } from '../../core/dataGuard';
import { describeCondition } from '../../core/attempts';
import { SECRET_MASK } from '../../core/protocol';
import type { ChangeCounts } from '../../core/events';
import { localClock, localDate } from '../../core/durations';

/** `0:42`, `12:05`, `1:02:03`. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * A moment as a clock time (today) or a date and a time, in local time. Unlike "… ago", it stays
 * true however long after it was written it is read (a tooltip is built once per repaint).
 */
export function formatAt(iso: string | undefined, now = Date.now()): string {
  const then = iso ? new Date(iso) : undefined;
  if (!then || !Number.isFinite(then.getTime())) return 'never';
  const time = localClock(then, true);
  return localDate(then) === localDate(new Date(now)) ? `at ${time}` : `on ${localDate(then)} at ${time}`;
}

export function formatAgo(iso: string | undefined, now = Date.now()): string {
  const then = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(then)) return 'never';
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/**
 * A row's description: its status, then what else a person should know — azure.yaml changed
 * since the last up, drift the last check found, a problem the last health check found, and
 * where the reconcile loop is with it. Short: the stack and the details are in the tooltip.
 */
export function describeRow(r: Pick<ComponentReadiness, 'status' | 'reason' | 'spec' | 'drift' | 'reconcile' | 'madeElsewhere' | 'since'>, healthProblem?: string, preview?: ChangeCounts, now = Date.now()): string {
  const parts = [r.status === 'absent' ? describeAbsent(r.reason) : describeReadiness(r, now)];
  const previewed = preview && previewNote(preview);
  if (healthProblem && r.status === 'ready') parts.push(healthProblem);
  if (r.spec === 'changed' && r.status !== 'absent') parts.push('changed since last up');
  const elsewhere = madeElsewhereNote(r);
  if (elsewhere) parts.push(elsewhere);
  if (r.drift?.state === 'drifted') parts.push(describeDrift(r.drift.resources));
  if (r.reconcile && r.reconcile.condition !== 'ready') parts.push(describeCondition(r.reconcile, now));
  if (previewed) parts.push(previewed);
  return parts.join(' · ');
}

/** What the last Preview found an Up would change, on the row itself (`preview ~1`, `preview +2 -1`); nothing when it changes nothing. */
export function previewNote(c: ChangeCounts): string | undefined {
  const parts = ([['+', c.create], ['~', c.update], ['±', c.replace], ['-', c.delete]] as const).filter(([, n]) => n > 0).map(([sign, n]) => `${sign}${n}`);
  return parts.length ? `preview ${parts.join(' ')}` : undefined;
}

/** An absent row says what to do, not which stack is missing (the tooltip names it). */
function describeAbsent(reason: string): string {
  return / was destroyed$/.test(reason) ? 'absent — destroyed; Up creates it again' : 'absent — run Up to create it';
}

export function truncate(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** How an output value is shown: secrets masked, others as text, truncated. */
export function displayValue(o: { secret: boolean; present: boolean; empty: boolean; value?: unknown }, max = 60): string {
  if (!o.present) return 'missing';
  if (o.secret) return SECRET_MASK;
  if (o.empty) return '(empty)';
  if (o.value === undefined) return '';
  return truncate(typeof o.value === 'string' ? o.value : JSON.stringify(o.value), max);
}

/** `2026-11-26 23:59:01` in local time. */
export function formatTimestamp(date: Date): string {
  return `${localDate(date)} ${localClock(date, true)}`;
}

/** `▶ up · components: cluster, storage · env dev · 2026-11-26 23:59:01`. */
export function runHeader(operation: string, components: readonly string[], env: string, date: Date): string {
  const parts = [`▶ ${operation}`];
  if (components.length) parts.push(`components: ${components.join(', ')}`);
  parts.push(`env ${env}`, formatTimestamp(date));
  return parts.join(' · ');
}

/** `■ up succeeded in 42 s: 3 ready, 1 failed`. */
export function runSummary(operation: string, result: string, durationMs: number, readiness: ReadonlyArray<Pick<ComponentReadiness, 'status'>>): string {
  const counts = new Map<string, number>();
  for (const r of readiness) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const tally = [...counts.entries()].sort(([a], [b]) => (a === 'ready' ? -1 : b === 'ready' ? 1 : a.localeCompare(b))).map(([s, n]) => `${n} ${s}`);
  const seconds = Math.round(durationMs / 1000);
  return `■ ${operation} ${result} in ${seconds} s${tally.length ? `: ${tally.join(', ')}` : ''}`;
}


/** A title as it reads inside a sentence: "Force recreate workspace" → "force recreate workspace". */
export function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
