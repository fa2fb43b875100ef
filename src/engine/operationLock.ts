/**
 * One operation per stack at a time, across processes (CLI, extension, CI). A lock
 * is a file created exclusively under MODELOPS_HOME/locks; one left by a dead
 * process is taken over. Pulumi's own lock only exists while the engine runs,
 * so it cannot cover the gaps between the steps of an operation.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from './fileBackend';

export interface OperationLockInfo {
  pid: number;
  hostname: string;
  operation: string;
  startedAt: string;
}

export class StackBusyError extends Error {
  constructor(readonly stackName: string, readonly holder: OperationLockInfo) {
    super(`stack ${stackName} is busy: ${holder.operation} by pid ${holder.pid} on ${holder.hostname} since ${holder.startedAt}. Wait for it to finish or cancel it.`);
  }
}

function lockPath(home: string, stack: string): string {
  return join(home, 'locks', `${stack}.lock`);
}

export function readOperationLock(home: string, stack: string): OperationLockInfo | undefined {
  try {
    return JSON.parse(readFileSync(lockPath(home, stack), 'utf8')) as OperationLockInfo;
  } catch {
    return undefined;
  }
}

export function isLockLive(info: OperationLockInfo): boolean {
  return info.hostname !== hostname() || isProcessAlive(info.pid);
}

function tryAcquire(home: string, stack: string, info: OperationLockInfo): void {
  const path = lockPath(home, stack);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readOperationLock(home, stack);
      if (holder && isLockLive(holder)) throw new StackBusyError(stack, holder);
      rmSync(path, { force: true }); // left by a dead process
    }
  }
  throw new Error(`could not lock stack ${stack}: ${path} keeps changing`);
}

/** Locks every stack or none; the returned function releases them. */
export function acquireOperationLocks(home: string, stacks: readonly string[], operation: string): () => void {
  mkdirSync(join(home, 'locks'), { recursive: true });
  const info: OperationLockInfo = { pid: process.pid, hostname: hostname(), operation, startedAt: new Date().toISOString() };
  const held: string[] = [];
  try {
    for (const stack of [...stacks].sort()) {
      tryAcquire(home, stack, info);
      held.push(stack);
    }
  } catch (error) {
    for (const stack of held) rmSync(lockPath(home, stack), { force: true });
    throw error;
  }
  return () => {
    for (const stack of held) rmSync(lockPath(home, stack), { force: true });
  };
}
