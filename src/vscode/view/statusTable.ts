/**
 * One table from readiness status to how every surface shows it: codicon,
 * theme color and the word. Pure (no `vscode` import) so plain Node can test it.
 */
import type { Status } from '../../core/readiness';

/** A codicon (`~spin` animates) and a theme color id (undefined: the default foreground). */
export interface Look {
  icon: string;
  color?: string;
}

export interface StatusLook extends Look {
  /** The status word shown in descriptions and tooltips. */
  label: string;
  /** Whether a Repair can help from this state. */
  repairable: boolean;
}

export const STATUS_LOOK: Readonly<Record<Status, StatusLook>> = {
  ready: { icon: 'pass', color: 'testing.iconPassed', label: 'ready', repairable: false },
  stale: { icon: 'history', color: 'list.warningForeground', label: 'stale', repairable: false },
  'outputs-missing': { icon: 'warning', color: 'list.warningForeground', label: 'outputs-missing', repairable: true },
  failed: { icon: 'error', color: 'list.errorForeground', label: 'failed', repairable: true },
  cancelled: { icon: 'circle-slash', color: 'list.warningForeground', label: 'cancelled', repairable: true },
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

/** The reconcile loop's condition of a component, when it is not ready (ready rows keep their status look). */
export const CONDITION_LOOK: Readonly<Record<'reconciling' | 'stalled', Look>> = {
  reconciling: { icon: 'sync~spin', color: 'charts.blue' },
  stalled: { icon: 'error', color: 'list.errorForeground' },
};

/** A drifted resource: deleted or changed outside Pulumi. */
export const DRIFT_LOOK: Readonly<Record<'deleted' | 'updated', Look>> = {
  deleted: { icon: 'trash', color: 'list.errorForeground' },
  updated: { icon: 'edit', color: 'list.warningForeground' },
};

/** A ready row whose last drift check found resources changed or deleted outside Pulumi. */
export const DRIFTED_LOOK: Look = { icon: 'git-compare', color: 'list.warningForeground' };

/** The groups under a component row. */
export const GROUP_ICON = { preview: 'diff', drift: 'git-compare', outputs: 'symbol-property', dependsOn: 'references', health: 'pulse' } as const;

/** The status bar item's summary of every component. */
export const SUMMARY_LOOK: Readonly<Record<'running' | 'allReady' | 'notReady' | 'nothingYet', Look>> = {
  running: { icon: 'sync~spin' },
  nothingYet: { icon: 'circle-outline' },
  allReady: { icon: 'pass' },
  notReady: { icon: 'warning', color: 'statusBarItem.warningBackground' },
};

/** What a preview says a resource would go through; a stateful replace or delete is an error. */
export function changeLook(op: string, stateful = false): Look {
  if (stateful) return { icon: 'warning', color: 'list.errorForeground' };
  const looks: Record<string, Look> = {
    create: { icon: 'add', color: 'testing.iconPassed' },
    update: { icon: 'edit', color: 'charts.blue' },
    replace: { icon: 'replace-all', color: 'list.warningForeground' },
    delete: { icon: 'trash', color: 'list.errorForeground' },
  };
  return looks[op] ?? { icon: 'circle-small', color: 'descriptionForeground' };
}

/** A health check's verdict. */
export const HEALTH_LOOK: Readonly<Record<'healthy' | 'unhealthy' | 'unknown', Look>> = {
  healthy: { icon: 'pass', color: 'testing.iconPassed' },
  unhealthy: { icon: 'error', color: 'testing.iconFailed' },
  unknown: { icon: 'question', color: 'list.warningForeground' },
};

/** A stack output: present (plain or secret), or missing/empty (required or not). */
export function outputLook(o: { present: boolean; empty: boolean; secret: boolean; required: boolean }): Look {
  if (o.present && !o.empty) return { icon: o.secret ? 'lock' : 'check', color: 'testing.iconPassed' };
  return { icon: 'close', color: o.required ? 'list.errorForeground' : 'descriptionForeground' };
}

export function statusLook(status: string): StatusLook {
  return (STATUS_LOOK as Record<string, StatusLook>)[status] ?? STATUS_LOOK.unknown;
}
