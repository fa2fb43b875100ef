/**
 * Up, Up Component and Repair behind the data guard: when the run was refused because Pulumi
 * would replace or delete what holds data, a modal names each resource, why Pulumi wants it and
 * what it holds; only "Replace Anyway" runs it again with `--allow-replace`.
 */
import * as vscode from 'vscode';
import type { OperationRequest } from '../operations/operationRunner';
import { refusedChangesDetail } from '../view/refusedChanges';
import type { Services } from './services';

export const REPLACE_ANYWAY = 'Replace Anyway';

export async function runWithDataGuard(s: Services, request: OperationRequest): Promise<void> {
  const first = await s.runner.run({ ...request, asksConsent: true });
  if (first.result !== 'refused' || !first.refusedChanges.length) return;
  const { message, detail } = refusedChangesDetail(request.title, first.refusedChanges);
  if ((await vscode.window.showWarningMessage(message, { modal: true, detail }, REPLACE_ANYWAY)) !== REPLACE_ANYWAY) {
    s.log.info(`${request.title}: not run again; nothing was replaced or deleted`);
    return;
  }
  await s.runner.run({ ...request, flags: { ...request.flags, 'allow-replace': true }, title: `${request.title} (replacing what holds data)` });
}
