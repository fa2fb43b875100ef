/**
 * ModelOps: Show History… and Rollback… on a row. History is a pick of the stack's updates,
 * newest first, with how each spec changed; picking one shows it, and for an earlier successful
 * update offers "Roll Back to vN…" (browsing never starts a rollback by itself).
 * Rollback (to the previous successful update, or the one picked) previews first through the
 * CLI (`rollback --dry-run --json`), then asks in a modal, then runs with `--yes`.
 */
import * as vscode from 'vscode';
import type { HistoryUpdate } from '../../core/protocol';
import { formatAgo } from '../view/format';
import { rollbackPrompt } from '../view/rollbackPrompt';
import { pickComponent } from './pickComponent';
import type { Services } from './services';

const CONFIRM = 'Roll Back';

function describeUpdate(u: HistoryUpdate): string {
  const spec = u.specChanges === undefined ? (u.specHash ? `spec ${u.specHash}` : 'no spec recorded') : u.specChanges.length ? `changed ${u.specChanges.join(', ')}` : 'same spec as before';
  return `${u.kind} ${u.result} · ${spec}`;
}

export async function rollbackComponent(s: Services, arg?: unknown, to?: number): Promise<void> {
  const name = await pickComponent(s.store, arg, 'Roll back which component?');
  if (!name) return;
  const flags = { to };
  const planned = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ModelOps: previewing the rollback of ${name}` }, () => s.cli.dryRun('rollback', [name], flags));
  if (planned.result !== 'succeeded') {
    void vscode.window.showWarningMessage(`ModelOps: Rollback of ${name} was refused: ${planned.summary ?? ''}`);
    return;
  }
  const prompt = rollbackPrompt(name, planned.plan.find((p) => p.action === 'up'), planned.previews.find((p) => p.name === name));
  if (prompt.kind === 'nothing') {
    void vscode.window.showInformationMessage(prompt.message);
    return;
  }
  const detail = prompt.detail;
  const choice = await vscode.window.showWarningMessage(`Roll back ${name} in environment "${planned.env}"?`, { modal: true, detail }, CONFIRM);
  if (choice !== CONFIRM) return;
  await s.runner.run({ verb: 'rollback', positionals: [name], flags: { ...flags, yes: true }, targets: [name], title: `Roll back ${name}` });
}

export async function showHistory(s: Services, arg?: unknown): Promise<void> {
  const name = await pickComponent(s.store, arg, 'History of which component?');
  if (!name) return;
  const doc = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `ModelOps: reading the history of ${name}` }, () => s.cli.history(name));
  const items = doc.updates.map((u, i) => ({
    label: `v${u.version}  ${u.kind}`,
    description: `${u.result} · ${formatAgo(u.endTime ?? u.startTime)}`,
    detail: describeUpdate(u),
    version: u.version,
    canRollBack: i > 0 && u.kind === 'update' && u.result === 'succeeded' && u.specHash !== undefined,
  }));
  if (!items.length) {
    void vscode.window.showInformationMessage(`ModelOps: ${doc.stack} has no history yet.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { title: `History of ${doc.component} (${doc.stack}), newest first`, matchOnDetail: true });
  if (!picked) return;
  // Browsing is not rolling back: a pick shows the version, and rolling back to it is a button away.
  const about = `ModelOps: ${doc.stack} v${picked.version}: ${picked.detail} (${picked.description}).`;
  if (!picked.canRollBack) {
    void vscode.window.showInformationMessage(`${about} ${picked.version === items[0].version ? 'It is the latest.' : 'Only an earlier successful update that recorded its spec can be rolled back to.'}`);
    return;
  }
  const rollBack = `Roll Back to v${picked.version}…`;
  if ((await vscode.window.showInformationMessage(about, rollBack)) === rollBack) await rollbackComponent(s, name, picked.version);
}
