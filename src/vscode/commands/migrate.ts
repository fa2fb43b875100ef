/**
 * ModelOps: Migrate from the Original modelops… — takes over stacks the original made.
 * The CLI previews every stack (`migrate --dry-run --json`) and says what it would forget
 * (left running) and import; a modal lists it; then it runs with `--yes`. State only.
 */
import * as vscode from 'vscode';
import type { Services } from './services';

const CONFIRM = 'Migrate';

export async function migrate(s: Services): Promise<void> {
  const planned = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'ModelOps: previewing every stack for the migration' }, () => s.cli.dryRun('migrate', [], {}));
  if (planned.result !== 'succeeded') {
    void vscode.window.showWarningMessage(`ModelOps: Migrate was refused: ${planned.summary ?? ''}`);
    return;
  }
  if (!planned.plan.length) {
    void vscode.window.showInformationMessage(`ModelOps: ${planned.summary ?? 'nothing to migrate'}`);
    return;
  }
  const detail = `${planned.plan.map((p) => `${p.stack}: ${p.action} — ${p.reason}`).join('\n')}\n\nOnly the stacks' state changes: nothing in Azure or Kubernetes is created, changed or deleted. Preview afterwards shows what the next Up changes.`;
  const choice = await vscode.window.showWarningMessage(`Migrate environment "${planned.env}" from the original modelops?`, { modal: true, detail }, CONFIRM);
  if (choice !== CONFIRM) return;
  await s.runner.run({ verb: 'migrate', positionals: [], flags: { yes: true }, targets: 'all', title: 'Migrate from the original modelops' });
}
