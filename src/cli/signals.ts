import { EXIT } from '../core/protocol';

/**
 * Ctrl-C (SIGINT) or SIGTERM cancels gracefully: nothing new starts, and each running Pulumi
 * gets one SIGINT from us (it finishes the steps in flight and saves state). Pulumi runs in
 * process groups of its own (engine/pulumiProcess.ts), so a terminal's or a CI runner's
 * signal to our group never reaches it a second time. A second signal forces: `onForce`
 * stops what is left and the process exits 130.
 */
export interface Cancellation {
  /** Stops new work and cancels running Pulumi steps; the result becomes `cancelled`. */
  signal: AbortSignal;
}

export function installCancellation(onFirst: (message: string) => void, onForce: () => Promise<void>): Cancellation {
  const cancel = new AbortController();
  let interrupts = 0;
  const handler = (): void => {
    interrupts++;
    if (interrupts === 1) {
      onFirst('cancelling gracefully: running Pulumi steps finish and save their state; press Ctrl-C again to stop them now');
      cancel.abort();
    } else if (interrupts === 2) {
      void onForce().finally(() => process.exit(EXIT.cancelled));
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return { signal: cancel.signal };
}
