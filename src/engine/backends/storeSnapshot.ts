/**
 * One moment's read of a backend, for a snapshot of every stack. The folders that hold a few
 * objects per stack (the checkpoints, Pulumi's locks, our own locks and records) are listed
 * once, flat, and answered from that listing: a path it does not hold is absent without a
 * request. On Blob Storage that turns about ten requests per stack into three (its checkpoint,
 * its history's listing and newest entry). Read-only: writing through a view of the past
 * would be a mistake, so it throws.
 */
import type { StateStore } from './stateStore';

const folder = (dir: string) => dir.replace(/\/$/, '');

export class StoreSnapshot implements StateStore {
  private constructor(
    private readonly store: StateStore,
    /** Each listed folder and every object path under it. */
    private readonly listed: ReadonlyMap<string, ReadonlySet<string>>,
  ) {}

  /** Lists each of `dirs` (all at once) over `store`. */
  static async take(store: StateStore, dirs: readonly string[]): Promise<StoreSnapshot> {
    const unique = [...new Set(dirs.map(folder))];
    const trees = await Promise.all(unique.map(async (dir) => [dir, new Set(await store.listTree(dir))] as const));
    return new StoreSnapshot(store, new Map(trees));
  }

  get where(): string {
    return this.store.where;
  }

  get shared(): boolean {
    return this.store.shared;
  }

  /** The listing that covers `path` (a folder or an object), if one was taken. */
  private covering(path: string): ReadonlySet<string> | undefined {
    for (const [dir, paths] of this.listed) if (path === dir || path.startsWith(`${dir}/`)) return paths;
    return undefined;
  }

  async list(dir: string): Promise<string[]> {
    const paths = this.covering(folder(dir));
    if (!paths) return this.store.list(dir);
    const prefix = `${folder(dir)}/`;
    const names = new Set<string>();
    for (const path of paths) if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split('/')[0]);
    return [...names];
  }

  async listTree(dir: string): Promise<string[]> {
    const paths = this.covering(folder(dir));
    if (!paths) return this.store.listTree(dir);
    const prefix = `${folder(dir)}/`;
    return [...paths].filter((p) => p.startsWith(prefix));
  }

  async read(path: string): Promise<Buffer | undefined> {
    const paths = this.covering(path);
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
