/**
 * contextValues as sorted `;`-joined capability sets (azext `createContextValue`),
 * matched in package.json with regexes such as `viewItem =~ /canRepair/`.
 */
import { statusLook } from './statusTable';

export function createContextValue(values: Iterable<string>): string {
  return Array.from(new Set(values)).sort().join(';');
}

export interface ComponentFlags {
  status: string;
  /** An operation of this extension is running on the component. */
  running: boolean;
  /** That operation was asked to cancel: what is left is to force it to stop. */
  cancelling?: boolean;
  /** Outputs are known (so Show Outputs has something to show). */
  hasOutputs: boolean;
  /** azure.yaml changed what it is deployed with since its last up. */
  specChanged?: boolean;
  /** The last drift check found changes outside Pulumi. */
  drifted?: boolean;
  /** The reconcile loop stopped trying and says what unblocks it. */
  stalled?: boolean;
}

/** Capabilities: repair only where it helps, up where not ready, cancel where running (force stop once cancelling). */
export function componentContextValue(flags: ComponentFlags): string {
  const values = ['component', flags.status];
  if (flags.running) {
    values.push('running', flags.cancelling ? 'canForceStop' : 'canCancel');
  } else {
    // A stalled row's one inline action is what unblocks it (often a repair).
    if (statusLook(flags.status).repairable && !flags.stalled) values.push('canRepair');
    if ((flags.status !== 'ready' || flags.specChanged || flags.drifted) && flags.status !== 'busy') values.push('canUp');
    if (flags.stalled) values.push('canUnblock');
    if (flags.status !== 'absent') values.push('canForceRecreate', 'deployed');
  }
  if (flags.hasOutputs) values.push('hasOutputs');
  return createContextValue(values);
}
