/** Workspace Trust: commands that run Pulumi programs explain why they are off in Restricted Mode. */
import * as vscode from 'vscode';

/** True when trusted; otherwise tells the user why `what` is off and offers to manage trust. */
export async function requireTrust(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    `${what} runs Pulumi programs, which execute code from this workspace. It is off in Restricted Mode; the tree and diagnostics still show the last known state.`,
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
