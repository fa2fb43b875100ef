/**
 * `reconcile --notify URL`: posts each transition (core/notifications.ts) in the background,
 * retried with backoff on a network error, a 5xx or a 429 (waiting its Retry-After, up to a
 * minute), never blocking the loop; the loop only waits, a bounded while, for what is still
 * being posted when it ends (a CronJob's pod ends with its one pass). The URL is a credential:
 * only its host is ever said.
 */
import { notificationBody, webhookKind, type Transition } from '../core/notifications';

const ATTEMPTS = 4;
const FIRST_DELAY_MS = 1000;
const TIMEOUT_MS = 10_000;

export interface Notifier {
  send(transitions: readonly Transition[]): void;
  /** Waits for what is being posted, up to `ms`. */
  settle(ms: number): Promise<void>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a 429 or 503 asks to wait (Retry-After in seconds), if it says. */
function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(60_000, seconds * 1000) : undefined;
}

export function webhookNotifier(url: string, warn: (message: string) => void, random: () => number = Math.random): Notifier {
  const kind = webhookKind(url);
  const host = new URL(url).host;
  const pending = new Set<Promise<void>>();

  async function post(t: Transition): Promise<void> {
    const body = JSON.stringify(notificationBody(kind, t));
    let why = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      let wait = FIRST_DELAY_MS * 2 ** (attempt - 1) * (0.5 + random());
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
        await response.body?.cancel();
        if (response.ok) return;
        why = `HTTP ${response.status}`;
        if (response.status !== 429 && response.status < 500) break;
        wait = retryAfterMs(response) ?? wait;
      } catch (error) {
        why = (error as Error).name === 'TimeoutError' ? 'no answer in 10 s' : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
      }
      if (attempt < ATTEMPTS) await pause(wait);
    }
    warn(`could not notify ${host} that ${t.component} ${t.kind} (${why})`);
  }

  return {
    send(transitions) {
      for (const t of transitions) {
        const posting = post(t).finally(() => pending.delete(posting));
        pending.add(posting);
      }
    },
    async settle(ms) {
      await Promise.race([Promise.all([...pending]), pause(ms)]);
    },
  };
}
