/**
 * ModelOps: Unblock — the inline action of a stalled row: runs what the reconcile loop says
 * unblocks it (Repair, Up, Preview), or, when a person must run something elsewhere (a lock
 * held on another machine), shows that command to copy or paste into a terminal.
 */
import * as vscode from 'vscode';
import { describeCondition } from '../../core/attempts';
import { unblockFor } from '../view/unblock';
import { pickComponent } from './pickComponent';
import type { Services } from './services';

export async function unblock(s: Services, arg?: unknown): Promise<void> {
  const name = await pickComponent(s.store, arg, 'Unblock which component?');
  if (!name) return;
  const condition = s.store.find(name)?.reconcile;
  const how = unblockFor(condition?.command);
  if (!condition || condition.condition !== 'stalled' || !how) {
    void vscode.window.showInformationMessage(`ModelOps: ${name} is not stalled.`);
    return;
  }
  if (how.kind === 'command') {
    await vscode.commands.executeCommand(how.command, name);
    return;
  }
  const copy = 'Copy Command';
  const paste = 'Paste into Terminal';
  const choice = await vscode.window.showWarningMessage(
    `${name}: ${describeCondition(condition)}`,
    { modal: true, detail: `${condition.message}.\n\nA person runs:\n${how.text}` },
    copy,
    paste,
  );
  if (choice === copy) await vscode.env.clipboard.writeText(how.text);
  if (choice === paste) {
    const terminal = vscode.window.createTerminal('ModelOps');
    terminal.show();
    // Not run: the command is for a person who knows the other run is dead.
    terminal.sendText(how.text, false);
  }
}
