/**
 * One table from readiness status to how every surface shows it: codicon,
 * theme color and the word. Pure (no `vscode` import) so plain Node can test it.
 */
import type { Status } from '../../core/readiness';

export interface StatusLook {
  /** Codicon id (`~spin` animates). */
  icon: string;
  /** Theme color id, or undefined for the default foreground. */
  color?: string;
  /** The status word shown in descriptions and tooltips. */
  label: string;
  /** Whether a Repair can help from this state. */
  repairable: boolean;
}

export const STATUS_LOOK: Readonly<Record<Status, StatusLook>> = {
  ready: { icon: 'pass', color: 'testing.iconPassed', label: 'ready', repairable: false },
  'outputs-missing': { icon: 'warning', color: 'list.warningForeground', label: 'outputs-missing', repairable: true },
  failed: { icon: 'error', color: 'list.errorForeground', label: 'failed', repairable: true },
  interrupted: { icon: 'debug-disconnect', color: 'list.warningForeground', label: 'interrupted', repairable: true },
  busy: { icon: 'sync~spin', color: 'charts.blue', label: 'busy', repairable: false },
  absent: { icon: 'circle-outline', color: 'disabledForeground', label: 'absent', repairable: false },
  blocked: { icon: 'debug-pause', color: 'charts.yellow', label: 'blocked', repairable: false },
  unknown: { icon: 'question', color: 'descriptionForeground', label: 'unknown', repairable: false },
};

/** While a step of this window's run works on a component. */
export const RUNNING_LOOK: StatusLook = { icon: 'sync~spin', color: 'charts.blue', label: 'running', repairable: false };
/** In this window's run, waiting for its turn. */
export const QUEUED_LOOK: StatusLook = { icon: 'clock', color: 'descriptionForeground', label: 'queued', repairable: false };

export function statusLook(status: string): StatusLook {
  return (STATUS_LOOK as Record<string, StatusLook>)[status] ?? STATUS_LOOK.unknown;
}
