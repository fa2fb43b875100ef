/**
 * ModelOps: Down (every component but storage, registry and the resource group; palette and
 * view title) and Down Component… (a row, with what depends on it). The CLI plans first
 * (`down --dry-run --json`, the plan core makes); a modal names the environment, lists the
 * stacks in the order they go and says which hold data; only then it runs with `--yes`.
 */
import * as vscode from 'vscode';
import { unprotectsNote } from '../../core/dataGuard';
import type { FlagValues } from '../../core/flags';
import { destroyed, destroyList } from '../child/reports';
import { pickComponent } from './pickComponent';
import type { Services } from './services';

const CONFIRM = 'Destroy';

async function confirmAndRun(s: Services, components: string[], flags: FlagValues): Promise<void> {
  const planned = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'ModelOps: planning down' }, () => s.cli.dryRun('down', components, flags));
  if (planned.result === 'refused') {
    void vscode.window.showWarningMessage(`ModelOps: Down was refused: ${planned.summary ?? ''}`);
    return;
  }
  const destroys = destroyList(planned.plan);
  if (!destroys) {
    void vscode.window.showInformationMessage(`ModelOps: nothing of environment "${planned.env}" to destroy. ${planned.summary ?? ''}`);
    return;
  }
  const kept = /kept \(([^)]*)\): (.*)$/.exec(planned.summary ?? '');
  const unprotect = unprotectsNote(planned.plan);
  const unprotects = unprotect ? `\n\n${unprotect}` : '';
  const detail = `These stacks of environment "${planned.env}" will be destroyed, in this order, with all their resources and outputs:\n\n${destroys}${unprotects}${kept ? `\n\nKept (they hold data; name them to destroy them): ${kept[2]}` : ''}\n\nTheir history stays; they then read absent.`;
  // The title names what goes: "every component" would be false beside "Kept: storage".
  const scope = components.length ? components.join(', ') : destroyed(planned.plan).join(', ');
  const choice = await vscode.window.showWarningMessage(`Destroy ${scope} in environment "${planned.env}"?`, { modal: true, detail }, CONFIRM);
  if (choice !== CONFIRM) return;
  const held = [...new Set(planned.plan.map((p) => p.component))];
  await s.runner.run({ verb: 'down', positionals: components, flags: { ...flags, yes: true }, targets: held, title: `Down ${scope}` });
}

export async function down(s: Services): Promise<void> {
  await confirmAndRun(s, [], {});
}

export async function downComponent(s: Services, arg?: unknown): Promise<void> {
  const name = await pickComponent(s.store, arg, 'Destroy which component? (and what depends on it)');
  if (name) await confirmAndRun(s, [name], { 'with-dependents': true });
}
