/** Typed access to the `modelopsInfra.*` settings. */
import * as vscode from 'vscode';

const SECTION = 'modelopsInfra';

export const SAVE_BEFORE_RUN = ['save', 'prompt', 'none'] as const;
export type SaveBeforeRun = (typeof SAVE_BEFORE_RUN)[number];

export interface Settings {
  pulumiPath: string;
  environment: string;
  backendUrl: string;
  refreshIntervalSeconds: number;
  retryAttempts?: number;
  retryDelayMs?: number;
  configFile: string;
  /** What a run does with unsaved changes to the config file (like `debug.saveBeforeStart`). */
  saveBeforeRun: SaveBeforeRun;
  reconcile: { enabled: boolean; heal: boolean; intervalSeconds: number; maxAttempts: number; notifyUrl: string };
  /** Up and Down keep ~/.modelops/bundle-env/<env>.yaml current on Azure (`--no-bundle-env` when false). */
  bundleEnv: boolean;
  /** Up and Down keep the cluster's context in the kubeconfig on Azure (`--no-kube-context` when false). */
  kubeContext: boolean;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const optionalInt = (key: string) => {
    const v = c.get<number | null>(key);
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
  };
  return {
    pulumiPath: c.get<string>('pulumiPath', '').trim(),
    environment: c.get<string>('environment', '').trim(),
    backendUrl: c.get<string>('backendUrl', '').trim(),
    refreshIntervalSeconds: Math.max(0, c.get<number>('refreshIntervalSeconds', 0)),
    retryAttempts: optionalInt('retry.attempts'),
    retryDelayMs: optionalInt('retry.initialDelayMs'),
    configFile: c.get<string>('configFile', '').trim(),
    saveBeforeRun: oneOf(SAVE_BEFORE_RUN, c.get<string>('saveBeforeRun'), 'save'),
    bundleEnv: c.get<boolean>('bundleEnv', true),
    kubeContext: c.get<boolean>('kubeContext', true),
    reconcile: {
      enabled: c.get<boolean>('reconcile.enabled', false),
      heal: c.get<boolean>('reconcile.heal', false),
      intervalSeconds: Math.max(1, Math.round(c.get<number>('reconcile.intervalSeconds', 300))),
      maxAttempts: Math.max(1, Math.round(c.get<number>('reconcile.maxAttempts', 3))),
      notifyUrl: c.get<string>('reconcile.notifyUrl', '').trim(),
    },
  };
}

const oneOf = <T extends string>(values: readonly T[], value: string | undefined, fallback: T): T => (values.includes(value as T) ? (value as T) : fallback);

export function affectsUs(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}

export async function setEnvironment(env: string): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SECTION).update('environment', env, target);
}
