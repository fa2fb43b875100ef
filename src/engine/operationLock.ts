/**
 * One operation per stack at a time, across processes (CLI, extension, CI). Pulumi's own
 * lock exists only while the engine runs, so it cannot cover the gaps between the steps of
 * an operation; this one does.
 *
 * Each claimant writes its own file, `locks/<stack>/<host>~<pid>~<nonce>.json`, complete in
 * one step (written aside, then renamed into place), and only then lists the folder: a
 * claim holds when no other live claim is there. Two claimants that see each other both
 * withdraw and try again after a random pause, so there is never more than one holder.
 * A claim is removed by anyone only when its name proves it stale: this host, a dead pid.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StackBusyError, type OperationLockHolder } from '../core/errors';
import { isProcessAlive } from './fileBackend';

export { StackBusyError };
export type OperationLockInfo = OperationLockHolder;

const SEP = '~';

function stackDir(home: string, stack: string): string {
  return join(home, 'locks', stack);
}

interface Claim {
  file: string;
  host: string;
  pid: number;
}

function parseClaim(file: string): Claim | undefined {
  const m = /^(.+)~(\d+)~[0-9a-f]+\.json$/.exec(file);
  return m ? { file, host: m[1], pid: Number(m[2]) } : undefined;
}

function isStale(claim: Claim): boolean {
  return claim.host === hostname() && !isProcessAlive(claim.pid);
}

function listClaims(dir: string): Claim[] {
  try {
    return readdirSync(dir).map(parseClaim).filter((c): c is Claim => c !== undefined);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function infoOf(dir: string, claim: Claim): OperationLockInfo {
  try {
    return JSON.parse(readFileSync(join(dir, claim.file), 'utf8')) as OperationLockInfo;
  } catch {
    // Released while we looked, or written by something else: the name still says who.
    return { pid: claim.pid, hostname: claim.host, operation: 'an operation', startedAt: 'an unknown time' };
  }
}

/** The live holder of a stack's operation lock other than `exceptPid`, if any. */
export function readOperationLock(home: string, stack: string, exceptPid?: number): OperationLockInfo | undefined {
  const dir = stackDir(home, stack);
  const live = listClaims(dir).find((c) => !isStale(c) && !(c.host === hostname() && c.pid === exceptPid));
  return live ? infoOf(dir, live) : undefined;
}

function writeClaim(dir: string, info: OperationLockInfo): string {
  mkdirSync(dir, { recursive: true });
  const nonce = randomBytes(6).toString('hex');
  const file = `${info.hostname}${SEP}${info.pid}${SEP}${nonce}.json`;
  const aside = join(dir, `.${nonce}.tmp`);
  writeFileSync(aside, JSON.stringify(info), { mode: 0o600 });
  renameSync(aside, join(dir, file));
  return file;
}

const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Claims one stack; throws StackBusyError when another live claim stays after a few tries. */
function claim(home: string, stack: string, info: OperationLockInfo, random: () => number): () => void {
  const dir = stackDir(home, stack);
  for (let attempt = 1; ; attempt++) {
    const mine = writeClaim(dir, info);
    const others = listClaims(dir).filter((c) => c.file !== mine);
    for (const stale of others.filter(isStale)) rmSync(join(dir, stale.file), { force: true });
    const live = others.filter((c) => !isStale(c));
    if (live.length === 0) return () => rmSync(join(dir, mine), { force: true });
    rmSync(join(dir, mine), { force: true });
    if (attempt >= 5) throw new StackBusyError(stack, infoOf(dir, live[0]));
    pause(20 + Math.round(random() * 80 * attempt));
  }
}

/** Locks every stack or none; the returned function releases them. */
export function acquireOperationLocks(home: string, stacks: readonly string[], operation: string, random: () => number = Math.random): () => void {
  const info: OperationLockInfo = { pid: process.pid, hostname: hostname(), operation, startedAt: new Date().toISOString() };
  const releases: Array<() => void> = [];
  try {
    for (const stack of [...new Set(stacks)].sort()) releases.push(claim(home, stack, info, random));
  } catch (error) {
    releases.forEach((release) => release());
    throw error;
  }
  return () => releases.forEach((release) => release());
}
