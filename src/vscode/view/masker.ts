/** Replaces known secret values in text before it reaches a log or a view. */

import { SECRET_MASK } from '../../core/protocol';

export class SecretMasker {
  private readonly values = new Set<string>();

  /** Registers a value (and, for multi-line values, each long line of it). Short values are ignored: masking "a" would wreck every line. */
  add(value: unknown): void {
    if (value === undefined || value === null) return;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text.length >= 4) this.values.add(text);
    for (const line of text.split(/\r?\n/)) if (line.trim().length >= 8) this.values.add(line.trim());
  }

  get size(): number {
    return this.values.size;
  }

  mask(text: string): string {
    let result = text;
    // Longest first so a value containing another is masked whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      if (result.includes(value)) result = result.split(value).join(SECRET_MASK);
    }
    return result;
  }
}
