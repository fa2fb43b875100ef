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

export class StoreSnapshot implements StateStore {
  private constructor(
    private readonly store: StateStore,
    /** Each listed prefix and every object that starts with it (path → version), as the listings come in. */
    private readonly listed: ReadonlyMap<string, Promise<ReadonlyMap<string, string | undefined>>>,
    private readonly digests?: DigestCache,
  ) {}

  /**
   * Lists each of `prefixes` over `store`, all at once. It does not wait for them: a read
   * outside them goes to the store at once, a read inside one waits for its listing.
   */
  static take(store: StateStore, prefixes: readonly string[], digests?: DigestCache): StoreSnapshot {
    const listed = new Map<string, Promise<ReadonlyMap<string, string | undefined>>>();
    for (const prefix of new Set(prefixes)) {
      const listing = store.listPrefix(prefix).then((found) => new Map(found.map((o) => [o.path, o.version])));
      listing.catch(() => undefined); // a failed listing fails the reads that need it, not the process
      listed.set(prefix, listing);
    }
    return new StoreSnapshot(store, listed, digests);
  }

  get where(): string {
    return this.store.where;
  }

  get shared(): boolean {
    return this.store.shared;
  }

  /** The listing that holds every path starting with `prefix`, if one was taken. */
  private covering(prefix: string): Promise<ReadonlyMap<string, string | undefined>> | undefined {
    for (const [listed, paths] of this.listed) if (prefix.startsWith(listed)) return paths;
    return undefined;
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
