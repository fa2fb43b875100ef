/**
 * One moment's read of a backend, for a snapshot of many stacks. What holds a few objects per
 * stack (the checkpoints, the history, Pulumi's locks, our own locks and records) is listed by
 * prefix, once for all the stacks, and answered from those listings: a path a listing does not
 * hold is absent without a request. On Blob Storage that turns about ten requests per stack
 * into two (its checkpoint and its newest history entry), and with a DigestCache into none for
 * an object whose version the listing shows unchanged. Read-only: writing through a view of the
 * past would be a mistake, so it throws.
 */
import type { DigestCache } from './digestCache';
import type { StateStore, StoredObject } from './stateStore';

const asFolder = (dir: string) => `${dir.replace(/\/$/, '')}/`;

type Paths = ReadonlyMap<string, string | undefined>;

/** A prefix's listing: every object that starts with it (path → version), when it was asked for and answered. */
interface Listing {
  paths: Promise<Paths>;
  askedAt: number;
  answeredAt?: number;
}

export class StoreSnapshot implements StateStore {
  private readonly listed = new Map<string, Listing>();

  private constructor(
    private readonly store: StateStore,
    /** Prefixes listed only when a read falls inside one. */
    private readonly deferred: readonly string[],
    private readonly digests?: DigestCache,
  ) {}

  /**
   * Lists each of `prefixes` over `store`, all at once, and each of `deferred` when a read first
   * falls inside it. It does not wait for them: a read outside them goes to the store at once, a
   * read inside one waits for its listing.
   */
  static take(store: StateStore, prefixes: readonly string[], digests?: DigestCache, deferred: readonly string[] = []): StoreSnapshot {
    const snapshot = new StoreSnapshot(store, [...new Set(deferred)], digests);
    for (const prefix of new Set(prefixes)) snapshot.listNow(prefix);
    return snapshot;
  }

  private listNow(prefix: string): Listing {
    const listing: Listing = { paths: Promise.resolve(new Map()), askedAt: Date.now() };
    listing.paths = this.store.listPrefix(prefix).then((found) => {
      listing.answeredAt = Date.now();
      return new Map(found.map((o) => [o.path, o.version]));
    });
    listing.paths.catch(() => undefined); // a failed listing fails the reads that need it, not the process
    this.listed.set(prefix, listing);
    return listing;
  }

  get where(): string {
    return this.store.where;
  }

  get shared(): boolean {
    return this.store.shared;
  }

  /** The listing that holds every path starting with `prefix`, if one was (or is now) taken. */
  private covering(prefix: string): Promise<Paths> | undefined {
    for (const [listed, listing] of this.listed) if (prefix.startsWith(listed)) return listing.paths;
    const deferred = this.deferred.find((d) => prefix.startsWith(d));
    return deferred === undefined ? undefined : this.listNow(deferred).paths;
  }

  /** The object's version as its listing shows it; undefined when absent, unversioned or not listed. */
  async versionOf(path: string): Promise<string | undefined> {
    return (await this.covering(path))?.get(path);
  }

  /**
   * How many ms passed from asking for the listing of `first` to receiving the one of `then`
   * (Infinity when either was not taken): whatever the store did between them happened in that
   * time. Both prefixes must be listed ones.
   */
  async listingSpan(first: string, then: string): Promise<number> {
    const a = this.listed.get(first);
    const b = this.listed.get(then);
    if (!a || !b) return Infinity;
    await Promise.all([a.paths, b.paths]);
    return (b.answeredAt ?? Infinity) - a.askedAt;
  }

  /** A digest kept for this version of the object at `path` (see `digest`), without reading anything. */
  kept<T>(kind: string, path: string, version: string): T | undefined {
    return this.digests?.get(kind, path, version) as T | undefined;
  }

  keep(kind: string, path: string, version: string, digest: unknown): void {
    this.digests?.keep(kind, path, version, digest);
  }

  /** Writes the digests kept so far: a read that follows at once (in this process or the next) finds them. */
  saveDigests(): void {
    this.digests?.save();
  }

  /** Whether digests are kept across reads (a container), so `kept` can ever answer. */
  get keepsDigests(): boolean {
    return this.digests !== undefined;
  }

  async list(dir: string): Promise<string[]> {
    const folder = asFolder(dir);
    const paths = await this.covering(folder);
    if (!paths) return this.store.list(dir);
    const names = new Set<string>();
    for (const path of paths.keys()) if (path.startsWith(folder)) names.add(path.slice(folder.length).split('/')[0]);
    return [...names];
  }

  async listPrefix(prefix: string): Promise<StoredObject[]> {
    const paths = await this.covering(prefix);
    if (!paths) return this.store.listPrefix(prefix);
    return [...paths].filter(([path]) => path.startsWith(prefix)).map(([path, version]) => ({ path, ...(version ? { version } : {}) }));
  }

  async read(path: string): Promise<Buffer | undefined> {
    const paths = await this.covering(path);
    if (paths && !paths.has(path)) return undefined;
    return this.store.read(path);
  }

  /**
   * What `make` takes from the object (undefined when it does not exist), answered from the
   * DigestCache when the listing shows a version it kept a digest of. `kind` names the digest's
   * shape: change it when `make` changes.
   */
  async digest<T>(path: string, kind: string, make: (body: Buffer) => T): Promise<T | undefined> {
    const version = (await this.covering(path))?.get(path);
    const kept = version ? this.digests?.get(kind, path, version) : undefined;
    if (kept !== undefined) return kept as T;
    const body = await this.read(path);
    if (!body) return undefined;
    const made = make(body);
    // Written again since the listing? Then this digest is of a newer object than `version`,
    // which no later listing can show again (every write makes a new ETag): harmless.
    if (version) this.digests?.keep(kind, path, version, made);
    return made;
  }

  private readOnly(): never {
    throw new Error(`a snapshot of ${this.store.where} is read-only`);
  }

  async create(): Promise<boolean> {
    return this.readOnly();
  }

  async write(): Promise<void> {
    return this.readOnly();
  }

  async rewrite(): Promise<boolean> {
    return this.readOnly();
  }

  async remove(): Promise<void> {
    return this.readOnly();
  }
}
