/**
 * One moment's read of a backend, for a snapshot of many stacks. What holds a few objects per
 * stack (the checkpoints, the history, Pulumi's locks, our own locks and records) is listed by
 * prefix, once for all the stacks, and answered from those listings: a path a listing does not
 * hold is absent without a request. On Blob Storage that turns about ten requests per stack
 * into two (its checkpoint and its newest history entry). Read-only: writing through a view of
 * the past would be a mistake, so it throws.
 */
import type { StateStore } from './stateStore';

const asFolder = (dir: string) => `${dir.replace(/\/$/, '')}/`;

export class StoreSnapshot implements StateStore {
  private constructor(
    private readonly store: StateStore,
    /** Each listed prefix and every object path that starts with it, as the listings come in. */
    private readonly listed: ReadonlyMap<string, Promise<ReadonlySet<string>>>,
  ) {}

  /**
   * Lists each of `prefixes` over `store`, all at once. It does not wait for them: a read
   * outside them goes to the store at once, a read inside one waits for its listing.
   */
  static take(store: StateStore, prefixes: readonly string[]): StoreSnapshot {
    const listed = new Map<string, Promise<ReadonlySet<string>>>();
    for (const prefix of new Set(prefixes)) {
      const listing = store.listPrefix(prefix).then((paths) => new Set(paths));
      listing.catch(() => undefined); // a failed listing fails the reads that need it, not the process
      listed.set(prefix, listing);
    }
    return new StoreSnapshot(store, listed);
  }

  get where(): string {
    return this.store.where;
  }

  get shared(): boolean {
    return this.store.shared;
  }

  /** The listing that holds every path starting with `prefix`, if one was taken. */
  private covering(prefix: string): Promise<ReadonlySet<string>> | undefined {
    for (const [listed, paths] of this.listed) if (prefix.startsWith(listed)) return paths;
    return undefined;
  }

  async list(dir: string): Promise<string[]> {
    const folder = asFolder(dir);
    const paths = await this.covering(folder);
    if (!paths) return this.store.list(dir);
    const names = new Set<string>();
    for (const path of paths) if (path.startsWith(folder)) names.add(path.slice(folder.length).split('/')[0]);
    return [...names];
  }

  async listPrefix(prefix: string): Promise<string[]> {
    const paths = await this.covering(prefix);
    if (!paths) return this.store.listPrefix(prefix);
    return [...paths].filter((p) => p.startsWith(prefix));
  }

  async read(path: string): Promise<Buffer | undefined> {
    const paths = await this.covering(path);
    if (paths && !paths.has(path)) return undefined;
    return this.store.read(path);
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
