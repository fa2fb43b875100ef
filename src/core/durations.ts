/** Durations and moments as people write them (`--wait=10m`) and read them (`running 3 min`, `since 10:42`). Pure. */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * `90s`, `10m`, `1h30m`, `2h`, `1d`, or a number of seconds; undefined when it is none of these.
 * (Go's time.ParseDuration units, which Pulumi's and Kubernetes' flags use, plus days.)
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^(\d+(ms|s|m|h|d))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total;
}

/** `12 s`, `3 min`, `2 h 5 min`, `3 d`: the largest unit or two, rounded down. */
export function describeSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 && d < 7 ? `${d} d ${h % 24} h` : `${d} d`;
}

/**
 * How long something has held, as a status says it: `since 10:42` within a day (local time),
 * else `for 3 d`; '' when it is not known.
 */
export function heldSince(since: string | undefined, now: number): string {
  const then = since ? Date.parse(since) : NaN;
  if (!Number.isFinite(then)) return '';
  if (now - then < 86_400_000) return `since ${localClock(new Date(then))}`;
  return `for ${describeSpan(now - then)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment's local clock time: `10:42`, or `10:42:07` with seconds. */
export function localClock(at: Date, seconds = false): string {
  return `${pad(at.getHours())}:${pad(at.getMinutes())}${seconds ? `:${pad(at.getSeconds())}` : ''}`;
}

/** A moment's local date: `2026-12-07`. */
export function localDate(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}
