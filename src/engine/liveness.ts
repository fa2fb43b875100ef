/** Whether a lock's owner can still be running: only a process on this host can be checked. */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** This machine's name, as Pulumi writes it into its lock files (and we into ours). */
export function thisHost(): string {
  return hostname();
}

/** A zombie (killed, not yet reaped by its new parent) counts as dead: it holds nothing. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}
