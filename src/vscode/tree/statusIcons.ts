/** ThemeIcons from the one status table (view/statusTable.ts). */
import * as vscode from 'vscode';
import { changeLook, CONDITION_LOOK, DRIFT_LOOK, DRIFTED_LOOK, HEALTH_LOOK, outputLook, QUEUED_LOOK, RUNNING_LOOK, statusLook, type Look } from '../view/statusTable';

function icon(look: Look): vscode.ThemeIcon {
  return new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
}

export function statusIcon(status: string): vscode.ThemeIcon {
  return icon(statusLook(status));
}

export function runningIcon(): vscode.ThemeIcon {
  return icon(RUNNING_LOOK);
}

export function queuedIcon(): vscode.ThemeIcon {
  return icon(QUEUED_LOOK);
}

export function changeIcon(op: string, stateful?: boolean): vscode.ThemeIcon {
  return icon(changeLook(op, stateful));
}

export function healthIcon(verdict: keyof typeof HEALTH_LOOK): vscode.ThemeIcon {
  return icon(HEALTH_LOOK[verdict]);
}

export function outputIcon(o: Parameters<typeof outputLook>[0]): vscode.ThemeIcon {
  return icon(outputLook(o));
}

export function conditionIcon(condition: keyof typeof CONDITION_LOOK): vscode.ThemeIcon {
  return icon(CONDITION_LOOK[condition]);
}

export function driftedIcon(): vscode.ThemeIcon {
  return icon(DRIFTED_LOOK);
}

export function driftIcon(change: keyof typeof DRIFT_LOOK): vscode.ThemeIcon {
  return icon(DRIFT_LOOK[change]);
}
