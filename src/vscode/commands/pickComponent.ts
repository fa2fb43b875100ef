/** Which component a command is for: the tree node it was invoked on, a name, or a QuickPick showing status. */
import * as vscode from 'vscode';
import { describeReadiness, type ComponentReadiness } from '../../core/readiness';
import { statusLook } from '../view/statusTable';
import type { ReadinessStore } from '../readiness/readinessStore';

/** Tree nodes carry `name`; quick fixes and other callers pass the name itself. */
export function componentArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'name' in arg && typeof (arg as { name: unknown }).name === 'string') return (arg as { name: string }).name;
  return undefined;
}

/** The component named by `arg`, else the one the user picks (with its status, or `describe`'s words). */
export async function pickComponent(
  store: ReadinessStore,
  arg: unknown,
  title: string,
  describe: (c: ComponentReadiness) => string = describeReadiness,
): Promise<string | undefined> {
  const given = componentArg(arg);
  if (given) return given;
  const candidates = store.components;
  if (!candidates.length) {
    void vscode.window.showInformationMessage(store.components.length ? `ModelOps: no component needs this (${title}).` : 'ModelOps: no components are known yet. Refresh, or open an azure.yaml.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: `$(${statusLook(c.status).icon.replace('~spin', '')}) ${c.name}`, description: describe(c), detail: `${c.stack} · ${describeReadiness(c)}`, name: c.name })),
    { title, placeHolder: 'Component', matchOnDescription: true },
  );
  return picked?.name;
}
