/**
 * `--wait`: behind a live lock of another run (ours, or Pulumi's own on any backend the state is
 * read from), an operation waits for it instead of refusing at once, up to the engine's `waitMs`,
 * with one `waiting` event when the holder changes and one a minute after. A lock that looks
 * dead is never waited on (nor cleared): that is still refused at once, naming the way out.
 */
import { describeSpan } from '../../core/durations';
import { StackBusyError, type OperationLockHolder } from '../../core/errors';
import type { OperationEvent, OperationResult } from '../../core/events';
import type { Engine, OperationRun } from '../engine';
import type { OperationLocks } from '../operationLock';
import { readStackLocks } from '../stateReader';

type Waiting = Omit<Extract<OperationEvent, { type: 'waiting' }>, 'type' | 'until' | 'message'>;

const POLL_MS = 2000;
const REPEAT_MS = 60_000;

const who = (h: { username?: string; hostname?: string }): string => `${h.username ? `${h.username}@` : ''}${h.hostname ?? 'another machine'}`;

/** Who holds one of `stacks` and may be working: our claim with a fresh heartbeat, else Pulumi's lock of a live or unknowable owner. */
async function liveHolder(engine: Engine, locks: OperationLocks, stacks: readonly string[]): Promise<Waiting | undefined> {
  const components = engine.setup.components.filter((c) => stacks.includes(c.stack));
  const claims = await Promise.all(components.map((c) => locks.holder(c.stack)));
  const claimed = claims.findIndex((h) => h?.alive === true);
  if (claimed >= 0) return fromClaim(components[claimed]!.name, components[claimed]!.stack, claims[claimed]!.info);
  const pulumiLocks = await readStackLocks(engine.setup, components, () => engine.cliPath());
  for (const c of components) {
    const lock = pulumiLocks.get(c.name);
    if (lock && lock.ownerAlive !== false && !lock.stale) return { component: c.name, stack: c.stack, holder: `${who(lock)}${lock.pid ? ` (pid ${lock.pid})` : ''}`, operation: 'Pulumi update', since: lock.timestamp };
  }
  return undefined;
}

const fromClaim = (component: string, stack: string, h: OperationLockHolder): Waiting => ({ component, stack, holder: `${who(h)} (pid ${h.pid})`, operation: h.operation, since: h.startedAt });

function describeWaiting(w: Waiting, now: number): string {
  const started = w.since ? Date.parse(w.since) : NaN;
  const running = Number.isFinite(started) ? `, running ${describeSpan(now - started)}` : '';
  return `waiting for ${w.holder.replace(/ \(pid \d+\)$/, '')}'s ${w.operation} of ${w.component}${running}`;
}

/** Resolves after `ms`, or at once when the run is cancelled. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Waits while another run may be working on one of `stacks`, until `until` or a cancel, with a
 * `waiting` event when the holder changes and one a minute after; the holder still there then, if any.
 */
export async function whileHeld(engine: Engine, locks: OperationLocks, stacks: readonly string[], until: number): Promise<Waiting | undefined> {
  let said: { holder: string; at: number } | undefined;
  for (;;) {
    const busy = stacks.length ? await liveHolder(engine, locks, stacks) : undefined;
    const now = Date.now();
    if (!busy || now >= until || engine.cancelled) return busy;
    if (said?.holder !== busy.holder || now - said.at >= REPEAT_MS) {
      said = { holder: busy.holder, at: now };
      engine.emit({ type: 'waiting', ...busy, until: new Date(until).toISOString(), message: describeWaiting(busy, now) });
    }
    await pause(Math.min(POLL_MS, until - now), engine.signal);
  }
}

/** The end of a refusal after a wait that ran out. */
export const waitedSince = (startedAt: number): string => ` Waited ${describeSpan(Date.now() - startedAt)} (--wait); it is still held.`;

export const CANCELLED_WAITING = 'cancelled while waiting for the stacks it needs; nothing was changed';

/**
 * Takes the locks (`take`); without `engine.waitMs`, or behind a lock that looks dead, a busy
 * stack is refused at once, as always. With it, waits while another run may be working, then
 * takes them, or refuses when the time is up (saying how long it waited).
 */
export async function takeOrWait<T>(engine: Engine, run: OperationRun, locks: OperationLocks, stacks: readonly string[], take: () => Promise<T>): Promise<T | OperationResult> {
  const startedAt = Date.now();
  const until = engine.waitMs !== undefined ? startedAt + engine.waitMs : undefined;
  for (;;) {
    const busy = until !== undefined ? await whileHeld(engine, locks, stacks, until) : undefined;
    if (engine.cancelled) return run.done('cancelled', CANCELLED_WAITING);
    if (busy) return run.done('refused', `${busy.stack} is busy: ${busy.operation} by ${busy.holder}${busy.since ? ` since ${busy.since}` : ''}.${waitedSince(startedAt)}`, 'busy');
    try {
      return await take();
    } catch (error) {
      if (!(error instanceof StackBusyError)) throw error;
      // Taken meanwhile: wait on that holder too, while there is time (never on one that looks dead).
      if (error.holder.stale) return run.done('refused', error.message, 'looks-dead');
      if (until === undefined || Date.now() >= until) return run.done('refused', `${error.message}${until !== undefined ? waitedSince(startedAt) : ''}`, 'busy');
    }
  }
}
