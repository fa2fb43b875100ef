/** Exponential backoff with full jitter, abortable. Used to read back outputs a dependent needs. */

export interface RetryPolicy {
  /** Attempts in all, including the first. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Each delay is multiplied by this. */
  factor: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, initialDelayMs: 500, maxDelayMs: 8000, factor: 2 };

export class AbortError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

/** Upper bound of the delay before attempt `attempt + 1` (attempt counts from 1). */
export function backoffCeiling(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attempt - 1));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export type AttemptResult<T> = { done: true; value: T } | { done: false; reason: string };

export interface RetryOutcome<T> {
  value?: T;
  attempts: number;
  /** Reason the last attempt gave when every attempt failed. */
  lastReason?: string;
}

/**
 * Calls `attempt` until it reports done or the policy runs out. `onRetry` hears
 * each wait (for progress events). Throws AbortError when `signal` aborts.
 */
export async function retryWithBackoff<T>(
  attempt: (n: number) => Promise<AttemptResult<T>>,
  policy: RetryPolicy,
  options: { signal?: AbortSignal; random?: () => number; onRetry?: (n: number, delayMs: number, reason: string) => void } = {},
): Promise<RetryOutcome<T>> {
  const random = options.random ?? Math.random;
  let lastReason: string | undefined;
  const attempts = Math.max(1, policy.attempts);
  for (let n = 1; n <= attempts; n++) {
    if (options.signal?.aborted) throw new AbortError();
    const result = await attempt(n);
    if (result.done) return { value: result.value, attempts: n };
    lastReason = result.reason;
    if (n < attempts) {
      const delay = Math.round(random() * backoffCeiling(policy, n));
      options.onRetry?.(n, delay, result.reason);
      await sleep(delay, options.signal);
    }
  }
  return { attempts, lastReason };
}
