/** Reading back, with retries, the outputs a dependent needs before it starts. */
import type { Component } from '../../core/components';
import { describeReadiness, ownStatus } from '../../core/readiness';
import { retryWithBackoff } from '../../core/retry';
import type { Engine } from '../engine';
import { readStackStates } from '../stateReader';

export interface Verification {
  ok: boolean;
  reason: string;
}

/** Waits until `dependency` is ready and has every output `dependent` reads, or the retry policy runs out. */
export async function verifyDependency(engine: Engine, dependent: Component, dependency: Component): Promise<Verification> {
  const wanted = dependent.uses.find((u) => u.from === dependency.name)?.outputs ?? [];
  const outcome = await retryWithBackoff<true>(
    async () => {
      const state = (await readStackStates(engine.setup, [dependency], () => engine.cliPath())).get(dependency.name)!;
      const own = ownStatus(dependency, state);
      if (own.status !== 'ready') return { done: false, reason: `${dependency.name}: ${describeReadiness(own)}` };
      const missing = wanted.filter((o) => !state.outputs[o] || state.outputs[o].empty);
      return missing.length ? { done: false, reason: `${dependency.name} lacks ${missing.join(', ')}` } : { done: true, value: true };
    },
    engine.setup.retry,
    {
      signal: engine.signal,
      onRetry: (attempt, delayMs, reason) => engine.emit({ type: 'retry', component: dependent.name, waitingFor: dependency.name, attempt, delayMs, reason }),
    },
  );
  return outcome.value ? { ok: true, reason: '' } : { ok: false, reason: outcome.lastReason ?? `${dependency.name} is not ready` };
}
