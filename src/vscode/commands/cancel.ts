/**
 * ModelOps: Cancel — SIGINT to the run (graceful); asking again forces it to stop.
 * ModelOps: Force Stop — ends the run now, after saying what that costs.
 */
import * as vscode from 'vscode';
import { FORCE_STOP_COST } from '../../core/cancel';
import type { RunningOperation } from '../operations/runningOperations';
import { formatElapsed, lowerFirst } from '../view/format';
import { describeTargets } from '../view/runPhase';
import { componentArg } from './pickComponent';
import type { Services } from './services';

export async function cancel(s: Services, arg?: unknown): Promise<void> {
  const op = await pickRunning(s, arg, 'Cancel which operation?');
  if (op) s.runner.cancel(op);
}

/**
 * Once a cancel was asked for, the notification that offered Force Stop said what it costs;
 * before that, a modal says it first.
 */
export async function forceStop(s: Services, arg?: unknown): Promise<void> {
  const op = await pickRunning(s, arg, 'Force stop which operation?');
  if (!op) return;
  if (op.process.cancelCount === 0) {
    const choice = await vscode.window.showWarningMessage(`Force stop ${lowerFirst(op.title)}?`, { modal: true, detail: `Pulumi is ended now, without finishing the steps in flight: ${FORCE_STOP_COST}. Cancel instead lets them finish.` }, 'Force Stop');
    if (choice !== 'Force Stop') return;
  }
  s.runner.forceStop(op);
}

/** The run a row (or the only run, or the one picked) names. */
async function pickRunning(s: Services, arg: unknown, title: string): Promise<RunningOperation | undefined> {
  const component = componentArg(arg);
  let op = component ? s.running.forComponent(component) : undefined;
  const all = s.running.all;
  if (!op && all.length === 1) op = all[0];
  if (!op && all.length > 1) {
    const picked = await vscode.window.showQuickPick(
      all.map((o) => ({ label: o.verb, description: `${describeTargets(o.targets)} · ${formatElapsed(Date.now() - o.started)}`, op: o })),
      { title },
    );
    op = picked?.op;
  }
  if (!op && !all.length) void vscode.window.showInformationMessage('ModelOps: nothing is running.');
  return op;
}
