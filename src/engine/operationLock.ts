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
 * every 30 s (a heartbeat; at most a quarter of the stale time), only while they exist, so a
 * claim that was cleared is never brought back. A claim is removed by anyone only when it is
 * provably stale: this machine (by its id, not its hostname), a dead pid. Another machine's
 * claim whose heartbeat stopped looks dead, and is cleared only by a person
 * (`repair --force-unlock`).
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { StackBusyError, type OperationLockHolder } from '../core/errors';
import type { StateStore } from './backends/stateStore';
import { isProcessAlive, thisHost } from './liveness';

export { StackBusyError };
export type OperationLockInfo = OperationLockHolder;

/** A claim of another machine not rewritten for this long looks dead (it is still not cleared); MODELOPS_LOCK_STALE_SECONDS changes it. */
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
  /** What the claim says of itself; undefined when it cannot be read (then it is never taken for stale). */
  info?: OperationLockInfo;
}

/** Who holds a stack, and whether that holder can be running (as far as this machine can tell). */
export interface Holder {
  info: OperationLockInfo;
  /** true: a live process of this machine, or another machine's with a fresh heartbeat; 'unknown': its heartbeat stopped. */
  alive: true | 'unknown';
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function username(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** Every lock this process holds, so a forced exit can still let go of them. */
const held = new Set<() => Promise<void>>();

/** Releases every lock this process holds (a forced exit); never throws, gives up after `timeoutMs`. */
export async function releaseAllHeld(timeoutMs = 3000): Promise<void> {
  await Promise.race([Promise.all([...held].map((release) => release())), pause(timeoutMs)]);
}

export class OperationLocks {
  /**
   * @param machine this machine's id (liveness.machineId): only its own claims' pids can be checked
   * @param prefix the folder of the claims in `store` (`.modelops/locks` in a backend)
   */
  constructor(
    private readonly store: StateStore,
    private readonly machine: string,
    private readonly prefix = '.modelops/locks',
    private readonly random: () => number = Math.random,
  ) {}

  private dir(stack: string): string {
    return `${this.prefix}/${stack}`;
  }

  private async claims(stack: string): Promise<Claim[]> {
    const files = await this.store.list(this.dir(stack));
    const claims = await Promise.all(
      files.map(async (file): Promise<Claim | undefined> => {
        const m = /^(.+)~(\d+)~[0-9a-f]+\.json$/.exec(file);
        if (!m) return undefined;
        let info: OperationLockInfo | undefined;
        try {
          const body = await this.store.read(`${this.dir(stack)}/${file}`);
          if (body) info = JSON.parse(body.toString('utf8')) as OperationLockInfo;
        } catch {
          // written by something else, or half-gone: the name still says who
        }
        return { file, host: m[1], pid: Number(m[2]), info };
      }),
    );
    return claims.filter((c): c is Claim => c !== undefined);
  }

  private isHere(claim: Claim): boolean {
    return claim.info?.machine === this.machine;
  }

  private isMine(claim: Claim): boolean {
    return this.isHere(claim) && claim.pid === process.pid;
  }

  /** Provably stale: its owner was on this machine and is gone. */
  private isDead(claim: Claim): boolean {
    return this.isHere(claim) && !isProcessAlive(claim.pid);
  }

  private holderOf(claim: Claim): Holder {
    const info: OperationLockInfo = { pid: claim.pid, hostname: claim.host, operation: 'an operation', startedAt: 'an unknown time', ...claim.info };
    if (this.isHere(claim)) return { info, alive: true };
    const beat = Date.parse(info.heartbeatAt ?? info.startedAt);
    if (Number.isFinite(beat) && Date.now() - beat > staleAfterMs()) return { info: { ...info, stale: `no heartbeat since ${new Date(beat).toISOString()}` }, alive: 'unknown' };
    return { info, alive: true };
  }

  /** The live holder of a stack's lock other than this process, if any (claims of dead local processes do not count). */
  async holder(stack: string): Promise<Holder | undefined> {
    const live = (await this.claims(stack)).find((c) => !this.isDead(c) && !this.isMine(c));
    return live ? this.holderOf(live) : undefined;
  }

  /** Claims one stack; throws StackBusyError when another live claim stays after a few tries. */
  private async claim(stack: string, info: OperationLockInfo): Promise<string> {
    const dir = this.dir(stack);
    for (let attempt = 1; ; attempt++) {
      const mine = `${info.hostname}~${info.pid}~${randomBytes(6).toString('hex')}.json`;
      const created = await this.store.create(`${dir}/${mine}`, JSON.stringify(info));
      if (created) {
        const others = (await this.claims(stack)).filter((c) => c.file !== mine);
        for (const dead of others.filter((c) => this.isDead(c))) await this.store.remove(`${dir}/${dead.file}`);
        const live = others.filter((c) => !this.isDead(c));
        if (live.length === 0) return `${dir}/${mine}`;
        await this.store.remove(`${dir}/${mine}`);
        if (attempt >= 5) throw new StackBusyError(stack, this.holderOf(live[0]).info);
      } else if (attempt >= 5) {
        throw new Error(`cannot write a lock claim under ${this.store.where}/${dir}`);
      }
      await pause(20 + Math.round(this.random() * 80 * attempt));
    }
  }

  /**
   * Locks every stack or none; the returned function releases them (best effort: it never
   * throws). Claims are rewritten while held; `onLost` hears of one that someone removed.
   */
  async acquire(stacks: readonly string[], operation: string, onLost: (stack: string) => void = () => undefined): Promise<() => Promise<void>> {
    const info: OperationLockInfo = { pid: process.pid, hostname: thisHost(), machine: this.machine, username: username(), operation, startedAt: new Date().toISOString() };
    const paths: Array<[string, string]> = [];
    const removeAll = () => Promise.all(paths.map(([, path]) => this.store.remove(path).catch(() => undefined)));
    try {
      for (const stack of [...new Set(stacks)].sort()) paths.push([stack, await this.claim(stack, info)]);
    } catch (error) {
      await removeAll();
      throw error;
    }
    let released = false;
    let beating: Promise<unknown> = Promise.resolve();
    const lost = new Set<string>();
    const heartbeat = setInterval(() => {
      const body = JSON.stringify({ ...info, heartbeatAt: new Date().toISOString() });
      beating = Promise.all(
        paths.map(async ([stack, path]) => {
          if (released || lost.has(stack)) return;
          const kept = await this.store.rewrite(path, body).catch(() => true); // a failed write is not a lost lock
          if (!kept && !released) (lost.add(stack), onLost(stack));
        }),
      );
    }, heartbeatMs());
    heartbeat.unref();
    const release = async (): Promise<void> => {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      held.delete(release);
      await beating.catch(() => undefined);
      await removeAll();
    };
    held.add(release);
    return release;
  }

  /**
   * Removes the claims of a stack whose holders look dead: another machine's whose heartbeat
   * stopped, a dead process of this one. What `repair --force-unlock` does once a person knows
   * the run that held it is gone. A claim with a fresh heartbeat is a run that is still working:
   * then nothing is removed, and the live holders are returned instead.
   */
  async forceUnlock(stack: string): Promise<{ cleared: OperationLockInfo[] } | { live: OperationLockInfo[] }> {
    const others = (await this.claims(stack)).filter((c) => !this.isMine(c) && !(this.isHere(c) && isProcessAlive(c.pid)));
    // A claim that cannot be dated (unreadable, half-written) proves no heartbeat: a person may clear it.
    const live = others.filter((c) => !this.isDead(c) && this.holderOf(c).alive === true && OperationLocks.looksDeadAt(this.holderOf(c).info) !== undefined);
    if (live.length) return { live: live.map((c) => this.holderOf(c).info) };
    await Promise.all(others.map((c) => this.store.remove(`${this.dir(stack)}/${c.file}`)));
    return { cleared: others.map((c) => this.holderOf(c).info) };
  }

  /** When a holder's claim, as it is now, will look dead (no heartbeat for the stale time). */
  static looksDeadAt(holder: OperationLockInfo): Date | undefined {
    const beat = Date.parse(holder.heartbeatAt ?? holder.startedAt);
    return Number.isFinite(beat) ? new Date(beat + staleAfterMs()) : undefined;
  }
}
