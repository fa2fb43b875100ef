/** ModelOps: Cancel — SIGINT to the run (graceful); asking again sends SIGINT again (force). */
import * as vscode from 'vscode';
import { formatElapsed } from '../pure/format';
import { requireTrust } from '../trust';
import { componentArg } from './pickComponent';
import type { Services } from './services';

export async function cancel(s: Services, arg?: unknown): Promise<void> {
  if (!(await requireTrust('Cancel'))) return;
  const component = componentArg(arg);
  let op = component ? s.running.forComponent(component) : undefined;
  const all = s.running.all;
  if (!op && all.length === 1) op = all[0];
  if (!op && all.length > 1) {
    const picked = await vscode.window.showQuickPick(
      all.map((o) => ({ label: o.verb, description: `${o.targets.join(', ')} · ${formatElapsed(Date.now() - o.started)}`, op: o })),
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
