/** ThemeIcons from the one status table (view/statusTable.ts). */
import * as vscode from 'vscode';
import { QUEUED_LOOK, RUNNING_LOOK, statusLook, type StatusLook } from '../view/statusTable';

function icon(look: StatusLook): vscode.ThemeIcon {
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
