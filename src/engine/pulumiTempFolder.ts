/**
 * A temporary folder of this process's own for Pulumi and its plugins, removed when it exits.
 * The Kubernetes provider writes every kubeconfig it is given to a temporary file it never
 * removes (pulumi-kubernetes provider.go, `writeKubeconfigToFile`): without this, each run
 * would leave the cluster's credentials behind in the machine's temporary folder.
 *
 * Its name carries this process's pid and its watchdog's (and their pid namespace). Killed alone, this process leaves the
 * folder to the watchdog; killed with it (a cancelled CI job ends the whole tree), nothing removes
 * it then, and the next run on the machine does, once neither process lives.
 */
import { lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from './liveness';
import { removeWhenGone, watchdogPid } from './pulumiProcess';

const OWNED = /^mops-pulumi-(\d+)-(\d+)-(\d+)-/;

let folder: string | undefined;

export function pulumiTempFolder(): string {
  if (!folder) {
    const parent = tmpdir();
    removeLeftFolders(parent);
    const made = mkdtempSync(join(parent, folderPrefix(process.pid, watchdogPid() ?? 0)));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    removeWhenGone(made);
    folder = made;
  }
  return folder;
}

/** The start of the folder's name: the pid namespace, the run's pid, its watchdog's (0: none, as on Windows). */
export function folderPrefix(pid: number, watchdog: number, namespace = pidNamespace()): string {
  return `mops-pulumi-${namespace}-${pid}-${watchdog}-`;
}

/**
 * Removes the folders in `parent` that runs of this user left when they were killed with their
 * watchdog: neither pid in the name lives. Pids name processes only within their namespace, and
 * containers may share a temporary folder: another namespace's folders are left alone. A reused
 * pid only keeps a folder longer. Returns what it removed.
 */
export function removeLeftFolders(parent: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const namespace = pidNamespace();
  const removed: string[] = [];
  for (const name of names) {
    const [, ns, ...pids] = OWNED.exec(name) ?? [];
    if (ns !== namespace || pids.map(Number).some((pid) => pid > 0 && isProcessAlive(pid))) continue;
    const path = join(parent, name);
    try {
      const stat = lstatSync(path);
      if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Removed by another run first, or not ours to remove.
    }
  }
  return removed;
}

/** This process's pid namespace (Linux: /proc/self/ns/pid is "pid:[4026531836]"); 0 elsewhere. */
function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0';
  } catch {
    return '0';
  }
}
