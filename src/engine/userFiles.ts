/** Files of the user's: read with a bound, and those a run keeps current (the bundle-env file, the kubeconfig). */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { writeAside } from './fileWrite';
import { dirname, join } from 'node:path';
import { MAX_CONFIG_CHARS } from '../core/config/load';

/** A path that names a directory, a device or a socket: nothing to read as a file. */
export class NotAFileError extends Error {
  constructor(readonly path: string, readonly what: string) {
    super(`${path} is ${what}, not a file`);
  }
}

/**
 * At most `maxBytes` of a user's file, and whether there was more: never more is read, whatever
 * the path names (`/dev/zero` once read until the kernel killed the process). A regular file, or
 * a pipe a user names on purpose; anything else throws NotAFileError; Node's errors (ENOENT …)
 * pass through.
 */
export function readAtMost(path: string, maxBytes: number): { text: string; truncated: boolean } {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() && !stat.isFIFO()) throw new NotAFileError(path, stat.isDirectory() ? 'a directory' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a regular file');
    // One byte more than allowed tells a file that is too large; a regular file's size bounds the
    // read (some, in /proc, say 0: then the cap does).
    const cap = maxBytes + 1;
    const buffer = Buffer.alloc(stat.isFile() && stat.size > 0 ? Math.min(cap, stat.size + 1) : cap);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    return { text: buffer.toString('utf8', 0, Math.min(length, maxBytes)), truncated: length > maxBytes };
  } finally {
    closeSync(fd);
  }
}

/**
 * A config file's text as far as the parser needs it to say the file is too large
 * (MAX_CONFIG_CHARS + 1 characters; UTF-8 takes at most 4 bytes a character). Throws as readAtMost.
 */
export function readConfigFile(path: string): string {
  return readAtMost(path, (MAX_CONFIG_CHARS + 1) * 4).text.slice(0, MAX_CONFIG_CHARS + 1);
}

/** More than any kubeconfig we have seen (one with hundreds of clusters is a few hundred KB). */
export const KUBECONFIG_MAX_BYTES = 8 * 1024 * 1024;

/**
 * A small file of the user's (a kubeconfig, a key, a settings file) as text, or undefined when it
 * does not exist; a larger one, or a path that is not a file, is an error naming it.
 */
export function readSmallFile(path: string, what: string, maxBytes: number): string | undefined {
  let read: { text: string; truncated: boolean };
  try {
    read = readAtMost(path, maxBytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof NotAFileError) throw new Error(`${path} is ${error.what}, not ${what}`);
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (read.truncated) throw new Error(`${path} is larger than ${Math.round(maxBytes / 1024)} KB, too large for ${what}; check the path`);
  return read.text;
}

/**
 * Written beside and renamed over, so a reader never sees half a file: mode 0600 (or `mode`), or
 * with `keepMode` the existing file's mode; its folder is made 0700 when missing.
 */
export function writeAtomically(path: string, text: string, keepMode = false, newMode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let mode = newMode;
  try {
    if (keepMode) mode = statSync(path).mode & 0o777;
  } catch {
    /* a new file */
  }
  const tmp = join(dirname(path), `.${process.pid}.${Date.now()}.tmp`);
  try {
    writeAside(tmp, path, text, { mode });
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}
