/** What the in-host tests share: the workspace the launcher made, and reading the extension's state. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { OutputsReport } from '../../src/core/protocol';
import type { InspectedItem, Inspection } from '../../src/vscode/testSupport';
import { STATUS_LOOK } from '../../src/vscode/view/statusTable';

export const EXTENSION_ID = 'modelops.modelops-infra';
export const COMPONENTS = ['cluster', 'storage', 'workspace', 'adaptive-default'];

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

export function configUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the launcher opened no folder');
  return vscode.Uri.joinPath(folder.uri, 'azure.yaml');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something truthy; fails with the last value seen. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await sleep(250);
  }
}

export async function inspect(): Promise<Inspection> {
  return (await vscode.commands.executeCommand<Inspection>('modelopsInfra.test.inspect'))!;
}

/** The component rows by name. */
export async function rows(): Promise<Record<string, InspectedItem>> {
  return Object.fromEntries((await inspect()).items.map((i) => [i.label, i]));
}

/** The status word a row's contextValue carries (`component;ready;…`). */
export function statusOf(row: InspectedItem | undefined): string | undefined {
  return row?.contextValue?.split(';').find((v) => v in STATUS_LOOK);
}

export function capabilities(row: InspectedItem): string[] {
  return row.contextValue?.split(';') ?? [];
}

/** Waits until every component's row has `status` and no run is in flight. */
export async function waitForStatuses(want: Record<string, string>, timeoutMs = 300_000): Promise<Record<string, InspectedItem>> {
  return waitFor(
    `rows ${JSON.stringify(want)}`,
    async () => {
      const r = await rows();
      const settled = Object.entries(want).every(([name, status]) => statusOf(r[name]) === status && !capabilities(r[name]).includes('running'));
      return settled ? r : false;
    },
    timeoutMs,
  );
}

export function everyText(items: InspectedItem[]): string[] {
  return items.flatMap((i) => [i.label, i.description ?? '', i.tooltip ?? '', ...everyText(i.children)]);
}

/** Every secret output value of the stacks, read by the CLI (`outputs --show-secrets`), so a test can look for them. */
export function secretValues(): string[] {
  const cli = join(extension().extensionPath, 'bin', 'mops-infra.js');
  const values: string[] = [];
  for (const component of COMPONENTS) {
    const r = spawnSync(process.env.MOPS_NODE ?? 'node', [cli, 'outputs', component, '--show-secrets', '--json', '--config', configUri().fsPath], { encoding: 'utf8', env: process.env, timeout: 120_000 });
    if (r.status !== 0) throw new Error(`outputs ${component}: exit ${r.status}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as OutputsReport;
    for (const o of Object.values(report.outputs)) if (o.secret && o.value !== undefined) values.push(typeof o.value === 'string' ? o.value : JSON.stringify(o.value));
  }
  return values.filter((v) => v.length >= 8);
}

/** What the extension wrote to its LogOutputChannel, from the log files under the user-data-dir the launcher made. */
export function logText(): string {
  const root = process.env.MOPS_INTEGRATION_USER_DATA;
  if (!root) throw new Error('MOPS_INTEGRATION_USER_DATA is not set by the launcher');
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'ModelOps Infra.log') found.push(readFileSync(join(dir, e.name), 'utf8'));
    }
  };
  walk(join(root, 'logs'));
  return found.join('\n');
}
