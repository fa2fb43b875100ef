/**
 * The objects of a DIY backend — a folder on disk or a Blob Storage container — behind one
 * small interface, so the same reader (diyState.ts) and the same operation lock serve both.
 * Paths are `/`-separated and relative to the backend's root (`.pulumi/stacks/…`).
 */
import { existsSync, linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { writeAside } from '../fileWrite';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** An object a listing found; `version` changes whenever the object is written (a blob's ETag), when the store knows one. */
export interface StoredObject {
  path: string;
  version?: string;
}

export interface StateStore {
  /** Where the state is, as a person reads it in messages. */
  readonly where: string;
  /**
   * Whether machines other than this one use it by nature (a blob container): then a lock that
   * names this hostname may still be another machine's, and its pid proves nothing here.
   */
  readonly shared: boolean;
  /** The objects directly under `dir` (names only; sub-folders too), or [] when there is none. */
  list(dir: string): Promise<string[]>;
  /**
   * Every object whose path starts with `prefix` (`dir/` for everything under a folder; a
   * partial name matches like Blob Storage's prefix listing), with their paths from the root.
   */
  listPrefix(prefix: string): Promise<StoredObject[]>;
  /** The object's bytes, or undefined when it does not exist. */
  read(path: string): Promise<Buffer | undefined>;
  /** Writes the object whole, only when it does not exist yet; false when it already did. */
  create(path: string, body: string): Promise<boolean>;
  /** Writes the object whole (replacing it). */
  write(path: string, body: string): Promise<void>;
  /** Replaces the object only while it exists (never brings back one that was removed); false when it was gone. */
  rewrite(path: string, body: string): Promise<boolean>;
  remove(path: string): Promise<void>;
}

/**
 * What `make` takes from the object at `path`, or undefined when there is none; a store that
 * keeps digests by version (a StoreSnapshot with a DigestCache) may answer without reading it.
 */
export function readDigest<T>(store: StateStore, path: string, kind: string, make: (body: Buffer) => T): Promise<T | undefined> {
  const digesting = store as Partial<Pick<Digesting, 'digest'>>;
  if (digesting.digest) return digesting.digest(path, kind, make);
  return store.read(path).then((body) => body && make(body));
}

interface Digesting {
  digest<T>(path: string, kind: string, make: (body: Buffer) => T): Promise<T | undefined>;
}

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR';

/** A `file://` backend: a folder. Writes are whole (aside, then renamed or linked into place). */
export class FileStore implements StateStore {
  readonly shared = false;

  constructor(private readonly root: string) {}

  get where(): string {
    return this.root;
  }

  private path(p: string): string {
    return join(this.root, ...p.split('/'));
  }

  async list(dir: string): Promise<string[]> {
    try {
      return await readdir(this.path(dir));
    } catch (error) {
      if (missing(error)) return [];
      throw error;
    }
  }

  async listPrefix(prefix: string): Promise<StoredObject[]> {
    const cut = prefix.lastIndexOf('/');
    const [dir, partial] = [prefix.slice(0, Math.max(cut, 0)), prefix.slice(cut + 1)];
    const found: StoredObject[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(this.path(rel), { withFileTypes: true });
      } catch (error) {
        if (missing(error)) return;
        throw error;
      }
      await Promise.all(
        entries.map(async (e) => {
          const path = rel ? `${rel}/${e.name}` : e.name;
          if (rel === dir && !e.name.startsWith(partial)) return;
          if (e.isDirectory()) await walk(path);
          else if (e.isFile()) found.push({ path });
        }),
      );
    };
    await walk(dir);
    return found;
  }

  async read(path: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(path));
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  private aside(path: string, body: string): string {
    const target = this.path(path);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeAside(tmp, target, body, { mode: 0o600 });
    return tmp;
  }

  async create(path: string, body: string): Promise<boolean> {
    const tmp = this.aside(path, body);
    try {
      linkSync(tmp, this.path(path));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  async write(path: string, body: string): Promise<void> {
    renameSync(this.aside(path, body), this.path(path));
  }

  async rewrite(path: string, body: string): Promise<boolean> {
    const tmp = this.aside(path, body);
    try {
      // rename replaces atomically; the check before it is the best a folder offers.
      if (!existsSync(this.path(path))) return false;
      renameSync(tmp, this.path(path));
      return true;
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  async remove(path: string): Promise<void> {
    rmSync(this.path(path), { force: true });
  }
}
