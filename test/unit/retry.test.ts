import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { AbortError, backoffCeiling, DEFAULT_RETRY_POLICY, retryWithBackoff, sleep, type AttemptResult, type RetryPolicy } from '../../src/core/retry';

const fast: RetryPolicy = { attempts: 5, initialDelayMs: 1, maxDelayMs: 4, factor: 2 };

/** Fails until attempt `k`, then succeeds with `value`. */
function succeedOn<T>(k: number, value: T): { calls: number[]; attempt: (n: number) => Promise<AttemptResult<T>> } {
  const calls: number[] = [];
  return {
    calls,
    attempt: async (n) => {
      calls.push(n);
      return n >= k ? { done: true, value } : { done: false, reason: `not yet (${n})` };
    },
  };
}

describe('retryWithBackoff', () => {
  it('succeeds on the k-th attempt and reports how many it took', async () => {
    for (const k of [1, 2, 5]) {
      const { calls, attempt } = succeedOn(k, 'kubeconfig');
      const outcome = await retryWithBackoff(attempt, fast, { random: () => 0 });
      assert.deepEqual(outcome, { value: 'kubeconfig', attempts: k });
      assert.deepEqual(calls, Array.from({ length: k }, (_, i) => i + 1));
    }
  });

  it('gives up after policy.attempts with the last reason and no value', async () => {
    const { calls, attempt } = succeedOn(99, 'never');
    const outcome = await retryWithBackoff(attempt, { ...fast, attempts: 3 }, { random: () => 0 });
    assert.deepEqual(outcome, { attempts: 3, lastReason: 'not yet (3)' });
    assert.equal(calls.length, 3);
  });

  it('onRetry is called attempts-1 times, with the attempt number and its reason', async () => {
    const heard: Array<[number, number, string]> = [];
    const { attempt } = succeedOn(99, 0);
    await retryWithBackoff(attempt, { ...fast, attempts: 4 }, { random: () => 0, onRetry: (n, d, r) => heard.push([n, d, r]) });
    assert.deepEqual(heard, [
      [1, 0, 'not yet (1)'],
      [2, 0, 'not yet (2)'],
      [3, 0, 'not yet (3)'],
    ]);
  });

  it('the ceiling doubles from initialDelayMs up to maxDelayMs', async () => {
    const policy: RetryPolicy = { attempts: 7, initialDelayMs: 1, maxDelayMs: 8, factor: 2 };
    const delays: number[] = [];
    const { attempt } = succeedOn(99, 0);
    await retryWithBackoff(attempt, policy, { random: () => 0.999999, onRetry: (_n, d) => delays.push(d) });
    assert.deepEqual(delays, [1, 2, 4, 8, 8, 8]);
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffCeiling(DEFAULT_RETRY_POLICY, n)), [500, 1000, 2000, 4000, 8000]);
    assert.equal(backoffCeiling(DEFAULT_RETRY_POLICY, 10), 8000);
  });

  it('every delay lies in [0, backoffCeiling] (full jitter)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          attempts: fc.integer({ min: 1, max: 5 }),
          initialDelayMs: fc.integer({ min: 0, max: 4 }),
          maxDelayMs: fc.integer({ min: 0, max: 10 }),
          factor: fc.integer({ min: 1, max: 3 }),
        }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 5, maxLength: 5 }),
        async (policy, randoms) => {
          let i = 0;
          const delays: Array<[number, number]> = [];
          const { attempt } = succeedOn(99, 0);
          const outcome = await retryWithBackoff(attempt, policy, { random: () => randoms[i++], onRetry: (n, d) => delays.push([n, d]) });
          assert.equal(outcome.attempts, policy.attempts);
          assert.equal(delays.length, policy.attempts - 1);
          for (const [n, d] of delays) {
            assert.ok(Number.isInteger(d) && d >= 0 && d <= backoffCeiling(policy, n), `delay ${d} after attempt ${n}`);
            assert.ok(d <= policy.maxDelayMs);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('an abort during a wait rejects with AbortError promptly and stops attempting', async () => {
    const controller = new AbortController();
    const { calls, attempt } = succeedOn(99, 0);
    const started = Date.now();
    const pending = retryWithBackoff(attempt, { attempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000, factor: 2 }, {
      signal: controller.signal,
      random: () => 1,
      onRetry: () => setTimeout(() => controller.abort(), 5),
    });
    await assert.rejects(pending, (e: unknown) => e instanceof AbortError && e.name === 'AbortError');
    assert.ok(Date.now() - started < 2000, 'must not wait out the 60 s delay');
    assert.deepEqual(calls, [1]);
  });

  it('an already aborted signal makes no attempt at all', async () => {
    const controller = new AbortController();
    controller.abort();
    const { calls, attempt } = succeedOn(1, 0);
    await assert.rejects(retryWithBackoff(attempt, fast, { signal: controller.signal }), AbortError);
    assert.equal(calls.length, 0);
  });

  it('sleep resolves after the delay and rejects at once when aborted', async () => {
    await sleep(1);
    const controller = new AbortController();
    const s = sleep(60_000, controller.signal);
    controller.abort();
    await assert.rejects(s, AbortError);
  });
});
