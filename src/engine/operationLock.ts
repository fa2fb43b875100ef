/**
 * One operation per stack at a time, across processes and machines (CLI, extension, CI).
 * Pulumi's own lock exists only while the engine runs, so it cannot cover the gaps between
 * the steps of an operation; this one does. Its claims live next to the state, in the
 * backend (`.modelops/locks/<stack>/` of the folder or the container), so every machine that
 * shares the state sees them; a backend only the CLI reads keeps them under MODELOPS_HOME.
 *
 * Each claimant writes its own claim, `<host>~<pid>~<nonce>.json`, whole and only if it does
 * not exist (a conditional write), and only then lists the claims: a claim holds when no
 * other live claim is there. Two claimants that see each other both withdraw and try again
 * after a random pause, so there is never more than one holder. A holder rewrites its claims
 * every 30 s (a heartbeat; at most a quarter of the stale time). A claim is removed by anyone only when it is provably stale: this
 * host, a dead pid. A claim of another host whose heartbeat stopped is reported as looking
 * dead, and cleared only by a person (`repair --force-unlock`).
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { StackBusyError, type OperationLockHolder } from '../core/errors';
import { isProcessAlive, thisHost } from './liveness';
import type { StateStore } from './backends/stateStore';

export { StackBusyError };
export type OperationLockInfo = OperationLockHolder;

const SEP = '~';
/** A claim of another host not rewritten for this long looks dead (it is still not cleared); MODELOPS_LOCK_STALE_SECONDS changes it. */
export const STALE_AFTER_MS = 3 * 60_000;

function staleAfterMs(): number {
  const seconds = Number(process.env.MODELOPS_LOCK_STALE_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : STALE_AFTER_MS;
}

/** How often a holder rewrites its claims: well within the time after which they look dead. */
function heartbeatMs(): number {
  return Math.min(30_000, Math.max(500, staleAfterMs() / 4));
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

/** Provably stale: its owner was on this host and is gone. */
function isDead(claim: Claim): boolean {
  return claim.host === thisHost() && !isProcessAlive(claim.pid);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function username(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

export class OperationLocks {
  /** @param prefix the folder of the claims in `store` (`.modelops/locks` in a backend) */
  constructor(private readonly store: StateStore, private readonly prefix = '.modelops/locks', private readonly random: () => number = Math.random) {}

  private dir(stack: string): string {
    return `${this.prefix}/${stack}`;
  }

  private async claims(stack: string): Promise<Claim[]> {
    return (await this.store.list(this.dir(stack))).map(parseClaim).filter((c): c is Claim => c !== undefined);
  }

  private async infoOf(stack: string, claim: Claim): Promise<OperationLockInfo> {
    const fallback: OperationLockInfo = { pid: claim.pid, hostname: claim.host, operation: 'an operation', startedAt: 'an unknown time' };
    let info = fallback;
    try {
      const body = await this.store.read(`${this.dir(stack)}/${claim.file}`);
      if (body) info = { ...fallback, ...(JSON.parse(body.toString('utf8')) as OperationLockInfo) };
    } catch {
      // released while we looked, or written by something else: the name still says who
    }
    if (claim.host !== thisHost()) {
      const beat = Date.parse(info.heartbeatAt ?? info.startedAt);
      if (Number.isFinite(beat) && Date.now() - beat > staleAfterMs()) info = { ...info, stale: `no heartbeat since ${new Date(beat).toISOString()}` };
    }
    return info;
  }

  /** The live holder of a stack's lock other than this process, if any (claims of dead local processes do not count). */
  async holder(stack: string): Promise<OperationLockInfo | undefined> {
    const live = (await this.claims(stack)).find((c) => !isDead(c) && !(c.host === thisHost() && c.pid === process.pid));
    return live ? this.infoOf(stack, live) : undefined;
  }

  /** Claims one stack; throws StackBusyError when another live claim stays after a few tries. */
  private async claim(stack: string, info: OperationLockInfo): Promise<string> {
    const dir = this.dir(stack);
    for (let attempt = 1; ; attempt++) {
      const mine = `${info.hostname}${SEP}${info.pid}${SEP}${randomBytes(6).toString('hex')}.json`;
      if (!(await this.store.create(`${dir}/${mine}`, JSON.stringify(info)))) continue; // a nonce taken: another name
      const others = (await this.claims(stack)).filter((c) => c.file !== mine);
      for (const dead of others.filter(isDead)) await this.store.remove(`${dir}/${dead.file}`);
      const live = others.filter((c) => !isDead(c));
      if (live.length === 0) return `${dir}/${mine}`;
      await this.store.remove(`${dir}/${mine}`);
      if (attempt >= 5) throw new StackBusyError(stack, await this.infoOf(stack, live[0]));
      await pause(20 + Math.round(this.random() * 80 * attempt));
    }
  }

  /** Locks every stack or none; the returned function releases them. Claims are rewritten every 30 s while held. */
  async acquire(stacks: readonly string[], operation: string): Promise<() => Promise<void>> {
    const info: OperationLockInfo = { pid: process.pid, hostname: thisHost(), username: username(), operation, startedAt: new Date().toISOString() };
    const held: string[] = [];
    try {
      for (const stack of [...new Set(stacks)].sort()) held.push(await this.claim(stack, info));
    } catch (error) {
      await Promise.all(held.map((path) => this.store.remove(path)));
      throw error;
    }
    const heartbeat = setInterval(() => {
      const beat = JSON.stringify({ ...info, heartbeatAt: new Date().toISOString() });
      for (const path of held) void this.store.write(path, beat).catch(() => undefined);
    }, heartbeatMs());
    heartbeat.unref();
    return async () => {
      clearInterval(heartbeat);
      await Promise.all(held.map((path) => this.store.remove(path)));
    };
  }

  /**
   * Removes every claim of a stack that is not this process's: what `repair --force-unlock`
   * does once a person knows the run that held it is dead. Returns who held it.
   */
  async forceUnlock(stack: string): Promise<OperationLockInfo[]> {
    const claims = (await this.claims(stack)).filter((c) => !(c.host === thisHost() && c.pid === process.pid));
    const holders = await Promise.all(claims.map((c) => this.infoOf(stack, c)));
    await Promise.all(claims.map((c) => this.store.remove(`${this.dir(stack)}/${c.file}`)));
    return holders;
  }
}
