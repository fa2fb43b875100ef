import { GRACEFUL_CANCEL } from '../core/cancel';
import { EXIT } from '../core/exitCodes';

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
      onFirst(GRACEFUL_CANCEL);
      cancel.abort();
    } else if (interrupts === 2) {
      void onForce().finally(() => process.exit(EXIT.cancelled));
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  whenOutputIsGone(() => {
    if (interrupts === 0) handler();
  });
  return { signal: cancel.signal };
}

/**
 * Whoever read our output is gone (the editor that started us closed or crashed, a pipe's
 * reader exited): a write then fails with EPIPE. Unheard, each failure would be an uncaught
 * error whose report fails the same way, and the process would spin instead of ending. So the
 * first one cancels gracefully, as a closing editor's SIGTERM would, and later writes go nowhere.
 */
function whenOutputIsGone(cancel: () => void): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      stream.write = () => true;
      cancel();
    });
  }
}
