/**
 * What a cancel does and what a force stop costs, in the same words in the terminal and the
 * editor. A cancel asks Pulumi to stop gracefully: the steps in flight finish and the state is
 * saved, however long a provider takes. A force stop ends Pulumi's process group at once.
 */

/** What a force stop costs, and what settles it. */
export const FORCE_STOP_COST = 'the state may record pending operations, and the component reads interrupted; the next repair, up or reconcile settles them';

/** The first cancel, as the CLI says it on a terminal. */
export const GRACEFUL_CANCEL = `cancelling gracefully: running Pulumi steps finish and save their state; press Ctrl-C again to stop Pulumi now (${FORCE_STOP_COST})`;

/** What the run's end says after a force stop. */
export const FORCE_STOPPED = `stopped by a force stop: Pulumi was ended, so ${FORCE_STOP_COST}`;
