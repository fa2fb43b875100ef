/** "Did you mean …?" for mistyped keys and values. */

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidate closest to `typed`, if close enough to be a plausible typo. */
export function closestMatch(typed: string, candidates: readonly string[]): string | undefined {
  if (typed.length > 64) return undefined;
  const normalised = typed.toLowerCase().replace(/-/g, '_');
  const tolerance = Math.max(1, Math.floor(Math.max(typed.length, 3) / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - typed.length) > tolerance) continue;
    const distance = levenshtein(normalised, candidate.toLowerCase().replace(/-/g, '_'));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= tolerance ? best : undefined;
}

export function didYouMean(typed: string, candidates: readonly string[]): string {
  const match = closestMatch(typed, candidates);
  return match === undefined ? '' : ` Did you mean \`${match}\`?`;
}

export function listOf(values: readonly string[]): string {
  return values.map((v) => `\`${v}\``).join(', ');
}

/** A name as it can be shown in a message: control characters escaped, long names cut. */
export function printable(text: string): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 80 ? `${escaped.slice(0, 80)}…` : escaped;
}
