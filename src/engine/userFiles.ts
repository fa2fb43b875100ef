/** Files of the user's that a run keeps current (the bundle-env file, the kubeconfig). */
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { writeAside } from './fileWrite';
import { dirname, join } from 'node:path';

/**
 * Written beside and renamed over, so a reader never sees half a file: mode 0600, or with
 * `keepMode` the existing file's mode; its folder is made 0700 when missing.
 */
export function writeAtomically(path: string, text: string, keepMode = false): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let mode = 0o600;
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
