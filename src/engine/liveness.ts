/**
 * Whether a lock's owner can still be running. Only a process of this machine can be checked,
 * and in a backend shared by many machines a hostname proves nothing (containers and runners
 * often share one), so our own locks also carry this machine's identity: a random id kept in
 * MODELOPS_HOME, made once.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FileStore } from './backends/stateStore';

/** This machine's name, as Pulumi writes it into its lock files (and we into ours). */
export function thisHost(): string {
  return hostname();
}

const ids = new Map<string, string>();

/** This machine's identity for our locks: `<home>/machine-id`, created once (a concurrent creator's id wins). */
export async function machineId(home: string): Promise<string> {
  const known = ids.get(home);
  if (known) return known;
  const store = new FileStore(home);
  await store.create('machine-id', randomBytes(12).toString('hex'));
  const id = (await store.read('machine-id'))!.toString('utf8').trim();
  ids.set(home, id);
  return id;
}

/** This machine's identity if it was ever made (a read never makes it). */
export async function existingMachineId(home: string): Promise<string | undefined> {
  return ids.get(home) ?? (await new FileStore(home).read('machine-id'))?.toString('utf8').trim();
}

/** A zombie (killed, not yet reaped by its new parent) counts as dead: it holds nothing. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(join('/proc', String(pid), 'stat'), 'utf8');
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
