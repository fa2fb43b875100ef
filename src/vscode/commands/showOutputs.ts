/**
 * ModelOps: Show Outputs — a QuickPick of a component's outputs, secrets
 * masked; picking one copies its value. "Reveal secrets", or picking a masked
 * secret, asks first, then runs `outputs --show-secrets`; revealed values join
 * the log masker so they never reach the log.
 */
import * as vscode from 'vscode';
import type { OutputsReport } from '../../core/protocol';
import { SECRET_MASK } from '../../core/protocol';
import { truncate } from '../view/format';
import { outputValue } from './outputActions';
import { pickComponent } from './pickComponent';
import type { Services } from './services';

interface OutputItem extends vscode.QuickPickItem {
  name: string;
  secret: boolean;
  /** The value to copy; undefined for a secret not revealed yet. */
  text?: string;
}

const REVEAL: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('eye'), tooltip: 'Reveal secrets' };

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function items(report: OutputsReport, revealed: boolean): OutputItem[] {
  return Object.entries(report.outputs).map(([name, o]) => {
    const hidden = o.secret && !revealed;
    const text = hidden ? undefined : asText(o.value);
    return { name, secret: o.secret, label: o.secret ? `$(lock) ${name}` : name, description: hidden ? SECRET_MASK : truncate(text ?? '', 80), detail: o.secret ? (hidden ? 'secret' : 'secret (revealed)') : undefined, text };
  });
}

export async function showOutputs(s: Services, arg?: unknown): Promise<void> {
  const component = await pickComponent(s.store, arg, 'Show outputs of which component?');
  if (!component) return;
  const load = (secrets: boolean) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `ModelOps: reading outputs of ${component}` }, () => s.cli.outputs(component, secrets));
  const report = await load(false);
  const pick = vscode.window.createQuickPick<OutputItem>();
  pick.title = `Outputs of ${component} (${report.stack})`;
  pick.placeholder = Object.keys(report.outputs).length ? 'Select an output to copy its value' : 'This stack has no outputs';
  pick.items = items(report, false);
  pick.buttons = Object.values(report.outputs).some((o) => o.secret) ? [REVEAL] : [];
  pick.onDidTriggerButton(async () => {
    const ok = await vscode.window.showWarningMessage(
      `Reveal the secret outputs of ${component}?`,
      { modal: true, detail: 'Their plain values are shown in this list. They are still masked in the log.' },
      'Reveal',
    );
    if (ok !== 'Reveal') return;
    pick.busy = true;
    try {
      const revealed = await load(true);
      for (const o of Object.values(revealed.outputs)) if (o.secret) s.log.masker.add(o.value);
      pick.items = items(revealed, true);
      pick.buttons = [];
    } finally {
      pick.busy = false;
    }
  });
  pick.onDidAccept(async () => {
    const item = pick.selectedItems[0];
    if (!item) return;
    let text = item.text;
    if (text === undefined && item.secret) {
      // A masked secret: ask before its value leaves the stack; no answer keeps the list open.
      pick.ignoreFocusOut = true;
      try {
        text = await outputValue(s, { component, name: item.name, secret: true });
      } finally {
        pick.ignoreFocusOut = false;
      }
      if (text === undefined) return;
    }
    if (text !== undefined) {
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(`ModelOps: copied ${component}.${item.name}`, 3000);
    }
    pick.hide();
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
