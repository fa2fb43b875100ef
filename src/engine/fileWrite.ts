/** Writes of our own files that, when the system refuses them, say which file and what to do. */
import { rmSync, writeFileSync, type WriteFileOptions } from 'node:fs';
import { FileWriteError } from '../core/errors';

/**
 * `writeFileSync(tmp, …)` for a file that becomes `target` once written: a failed write
 * leaves no partial `tmp` behind and throws a FileWriteError naming `target`.
 */
export function writeAside(tmp: string, target: string, data: string, options: WriteFileOptions): void {
  try {
    writeFileSync(tmp, data, options);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new FileWriteError(target, error as NodeJS.ErrnoException);
  }
}
