/**
 * What the state reader took from a backend object it downloaded — a checkpoint's outputs and
 * pending operations, a history entry's result — kept on this machine by the object's version
 * (its ETag, which Blob Storage changes on every write). A status of an unchanged environment
 * then costs its listings and no downloads. Only digests are kept, never the objects: secret
 * outputs are kept as "secret, not empty", as the reader shows them.
 *
 * One JSON file per backend under MODELOPS_HOME/cache. It is a cache: a missing, unreadable or
 * foreign file is an empty cache, a failed write is ignored, and two processes writing at once
 * only lose each other's new entries.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FORMAT = 1;
/** Enough for many environments of 40 stacks with a few history entries each. */
const MAX_ENTRIES = 4096;

/** [when it was kept (ms), the digest] */
type Entry = [number, unknown];

export class DigestCache {
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** The cache of the backend at `backendUrl`, as this machine last left it. */
  static open(modelopsHome: string, backendUrl: string): DigestCache {
    const name = createHash('sha256').update(backendUrl).digest('hex').slice(0, 16);
    const file = join(modelopsHome, 'cache', `digests-${name}.json`);
    return new DigestCache(file, readEntries(file));
  }

  /** The digest kept for this version of the object, if any. `kind` names the digest's shape. */
  get(kind: string, path: string, version: string): unknown {
    return this.entries.get(keyOf(kind, path, version))?.[1];
  }

  keep(kind: string, path: string, version: string, digest: unknown): void {
    this.entries.set(keyOf(kind, path, version), [Date.now(), digest]);
    if (this.dirty) return;
    this.dirty = true;
    setImmediate(this.save);
    // The CLI ends with process.exit(), which drops what setImmediate scheduled: the digests kept
    // last (the slowest stacks' histories) were lost on every run. 'exit' listeners still run.
    process.once('exit', this.save);
  }

  /** Writes what was kept since the last write (at once; otherwise it happens on the next turn or at exit). */
  readonly save = (): void => {
    if (!this.dirty) return;
    this.dirty = false;
    process.removeListener('exit', this.save);
    const newest = [...this.entries].sort((a, b) => b[1][0] - a[1][0]).slice(0, MAX_ENTRIES);
    try {
      mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, entries: Object.fromEntries(newest) }), { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch {
      // A cache that cannot be written is a cache that is not kept.
    }
  };
}

const keyOf = (kind: string, path: string, version: string): string => `${kind} ${version} ${path}`;

function readEntries(file: string): Map<string, Entry> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; entries?: unknown };
    if (parsed.format !== FORMAT || typeof parsed.entries !== 'object' || parsed.entries === null) return new Map();
    const entries = Object.entries(parsed.entries as Record<string, unknown>).filter((e): e is [string, Entry] => Array.isArray(e[1]) && typeof e[1][0] === 'number');
    return new Map(entries);
  } catch {
    return new Map();
  }
}
