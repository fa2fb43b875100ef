/** Splits a byte stream into lines across chunk boundaries (NDJSON from the CLI). */

export class LineSplitter {
  private buffer = '';
  private readonly decoder = new TextDecoder('utf-8');

  /** Feeds a chunk; returns the complete lines it finished (without `\n` / `\r\n`). */
  push(chunk: Uint8Array | string): string[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    return parts.map(stripCr);
  }

  /** The unterminated last line, if any, at end of stream. */
  flush(): string[] {
    this.buffer += this.decoder.decode();
    const rest = stripCr(this.buffer);
    this.buffer = '';
    return rest.length > 0 ? [rest] : [];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** A parsed JSON object with a string `type`, or undefined for anything else (human text, partial JSON). */
export function parseEventLine(line: string): { type: string; [key: string]: unknown } | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string') {
      return value as { type: string };
    }
  } catch {
    // not an event
  }
  return undefined;
}
