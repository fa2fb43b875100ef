/**
 * Setup state behind the welcome views and the walkthrough: context keys `modelopsInfra.noConfig`,
 * `modelopsInfra.noPulumi`, `modelopsInfra.noPassphrase`, `modelopsInfra.deployed`, `modelopsInfra.fromModelopsYaml`. While there is no
 * config or no Pulumi CLI the view is empty, so its welcome content shows.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { locatePulumi, modelopsHome, passphraseSource } from '../core/paths';
import type { ConfigLocator } from './config/configLocator';
import type { PassphraseStore } from './passphrase';
import { readSettings } from './settings';

export const CONTEXT = {
  noConfig: 'modelopsInfra.noConfig',
  noPulumi: 'modelopsInfra.noPulumi',
  noPassphrase: 'modelopsInfra.noPassphrase',
  running: 'modelopsInfra.running',
  /** A run of this window was asked to cancel and still runs: Force Stop is offered. */
  cancelling: 'modelopsInfra.cancelling',
  /** Some component's stack exists: the walkthrough's "Run Up" step is done. */
  deployed: 'modelopsInfra.deployed',
  /** The config is the original's ~/.modelops/modelops.yaml (no azure.yaml here): azure.yaml can be made from it. */
  fromModelopsYaml: 'modelopsInfra.fromModelopsYaml',
} as const;

export interface SetupState {
  noConfig: boolean;
  noPulumi: boolean;
  noPassphrase: boolean;
}

/** The value this extension last gave each of its context keys (VS Code offers no way to read them back). */
const contextValues = new Map<string, boolean>();

export function setContext(key: string, value: boolean): Thenable<unknown> {
  contextValues.set(key, value);
  return vscode.commands.executeCommand('setContext', key, value);
}

export function contextKeys(): Record<string, boolean> {
  return Object.fromEntries(contextValues);
}

export function findPulumi(): string | undefined {
  try {
    return locatePulumi(readSettings().pulumiPath || process.env.MOPS_PULUMI || undefined, process.env, { exists: existsSync, list: (dir) => readdirSync(dir) });
  } catch {
    return undefined;
  }
}

export async function updateSetup(locator: ConfigLocator, passphrase: PassphraseStore): Promise<SetupState> {
  const source = passphraseSource(process.env, modelopsHome(process.env));
  const hasPassphrase = !!(await passphrase.get()) || source.kind === 'variable' || !source.fallback || existsSync(source.path);
  const state: SetupState = { noConfig: !locator.uri, noPulumi: !findPulumi(), noPassphrase: !hasPassphrase };
  const fromModelopsYaml = locator.isOriginals && basename(locator.uri!.fsPath) === 'modelops.yaml';
  await Promise.all([
    setContext(CONTEXT.noConfig, state.noConfig),
    setContext(CONTEXT.noPulumi, state.noPulumi),
    setContext(CONTEXT.noPassphrase, state.noPassphrase),
    setContext(CONTEXT.fromModelopsYaml, fromModelopsYaml),
  ]);
  return state;
}
