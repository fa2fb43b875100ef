/**
 * An output row's own actions: Copy Value (a secret only after the person confirms; its value
 * is read with --show-secrets and joins the log masker) and Open, for a value that is a web
 * address (`dashboard_url`).
 */
import * as vscode from 'vscode';
import { outputUrl } from '../view/outputs';
import type { Services } from './services';

/** What an output row passes to its commands. */
export interface OutputRef {
  component: string;
  name: string;
  secret: boolean;
}

/** The output a command was given: an output row (its `ref`) or the reference itself. */
function refOf(arg: unknown): OutputRef | undefined {
  const o = ((arg as { ref?: unknown } | undefined)?.ref ?? arg) as Partial<OutputRef> | undefined;
  return typeof o?.component === 'string' && typeof o.name === 'string' ? (o as OutputRef) : undefined;
}

/** What the last status read of a plain output. */
function storedOutput(s: Services, ref: OutputRef) {
  return s.store.components.find((c) => c.name === ref.component)?.outputs.find((o) => o.name === ref.name);
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The output's value, a secret only once the person said yes; undefined when they did not. */
export async function outputValue(s: Services, ref: OutputRef): Promise<string | undefined> {
  if (!ref.secret) {
    const output = storedOutput(s, ref);
    if (!output?.present) throw new Error(`${ref.component} has no output ${ref.name}`);
    return asText(output.value ?? '');
  }
  const ok = await vscode.window.showWarningMessage(
    `Copy the secret ${ref.component}.${ref.name} to the clipboard?`,
    { modal: true, detail: 'Its plain value goes to the clipboard, where other programs can read it. It stays masked in the log and the tree.' },
    'Copy Secret',
  );
  if (ok !== 'Copy Secret') return undefined;
  const report = await s.cli.outputs(ref.component, true);
  const value = report.outputs[ref.name]?.value;
  if (value === undefined) throw new Error(`${ref.component} has no output ${ref.name}`);
  s.log.masker.add(value);
  return asText(value);
}

export async function copyOutput(s: Services, arg?: unknown): Promise<void> {
  const ref = refOf(arg);
  if (!ref) return;
  const text = await outputValue(s, ref);
  if (text === undefined) return;
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(`ModelOps: copied ${ref.component}.${ref.name}`, 4000);
}

export async function openOutput(s: Services, arg?: unknown): Promise<void> {
  const ref = refOf(arg);
  if (!ref || ref.secret) return;
  const url = outputUrl({ secret: false, value: storedOutput(s, ref)?.value });
  if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
}
