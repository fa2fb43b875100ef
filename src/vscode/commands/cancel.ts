/** ModelOps: Cancel — SIGINT to the run (graceful); asking again sends SIGINT again (force). */
import * as vscode from 'vscode';
import { formatElapsed } from '../view/format';
import { describeTargets } from '../view/runPhase';
import { componentArg } from './pickComponent';
import type { Services } from './services';

export async function cancel(s: Services, arg?: unknown): Promise<void> {
  const component = componentArg(arg);
  let op = component ? s.running.forComponent(component) : undefined;
  const all = s.running.all;
  if (!op && all.length === 1) op = all[0];
  if (!op && all.length > 1) {
    const picked = await vscode.window.showQuickPick(
      all.map((o) => ({ label: o.verb, description: `${describeTargets(o.targets)} · ${formatElapsed(Date.now() - o.started)}`, op: o })),
      { title: 'Cancel which operation?' },
    );
    op = picked?.op;
  }
  if (!op) {
    if (!all.length) void vscode.window.showInformationMessage('ModelOps: nothing is running.');
    return;
  }
  s.runner.cancel(op);
}
