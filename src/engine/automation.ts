/**
 * The only module that loads Pulumi. Loaded lazily: `status` on a file backend
 * never pays for it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import type { Component } from '../core/components';
import { fileBackendDir, workDir } from './settings';
import type { EngineSettings } from './settings';
import { installRootFor } from './pulumiCli';

export type Automation = typeof automation;
export type PulumiSdk = typeof import('@pulumi/pulumi');

let automationModule: Promise<Automation> | undefined;
let sdkModule: Promise<PulumiSdk> | undefined;
const commands = new Map<string, Promise<automation.PulumiCommand>>();

// require, not import(): the SDK is CommonJS and bundlers must leave it external.
export function loadAutomation(): Promise<Automation> {
  return (automationModule ??= Promise.resolve().then(() => require('@pulumi/pulumi/automation') as Automation));
}

export function loadPulumiSdk(): Promise<PulumiSdk> {
  return (sdkModule ??= Promise.resolve().then(() => require('@pulumi/pulumi') as PulumiSdk));
}

/** The folder whose node_modules holds our @pulumi/pulumi (the dynamic-provider host runs from there). */
export function sdkPackageRoot(): string {
  return dirname(dirname(dirname(dirname(require.resolve('@pulumi/pulumi/package.json')))));
}

function pulumiCommand(cliPath: string, scratchDir: string): Promise<automation.PulumiCommand> {
  let command = commands.get(cliPath);
  if (!command) {
    command = loadAutomation().then((auto) => auto.PulumiCommand.get({ root: installRootFor(cliPath, scratchDir), skipVersionCheck: false }));
    commands.set(cliPath, command);
  }
  return command;
}

/** Environment for Pulumi and, through it, the dynamic-provider host. */
export function engineEnv(settings: EngineSettings): Record<string, string> {
  const env: Record<string, string> = {
    ...settings.pulumiEnv,
    MOPS_NODE: process.execPath,
    MOPS_DYNAMIC_PROVIDER: require.resolve('@pulumi/pulumi/cmd/dynamic-provider'),
  };
  // Under VS Code the runtime is Electron: it must keep acting as Node in grandchildren.
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

export type Program = () => Promise<Record<string, unknown>>;

/** A workspace in the component's persistent work dir (as the original), with an inline program. */
export async function workspaceFor(settings: EngineSettings, cliPath: string, component: Component, program: Program): Promise<automation.LocalWorkspace> {
  const auto = await loadAutomation();
  const dir = workDir(settings.modelopsHome, component.workDirName);
  mkdirSync(dir, { recursive: true });
  const backendDir = fileBackendDir(settings.backendUrl);
  if (backendDir) mkdirSync(backendDir, { recursive: true });
  return auto.LocalWorkspace.create({
    program,
    workDir: dir,
    pulumiCommand: await pulumiCommand(cliPath, join(settings.modelopsHome, 'cli')),
    envVars: engineEnv(settings),
    projectSettings: {
      name: component.project,
      runtime: 'nodejs',
      main: sdkPackageRoot(),
      backend: { url: settings.backendUrl },
    },
  });
}

/** The first `error:` lines of a failed Pulumi command, without the dump around them. */
export function conciseError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^error:/i.test(l) || /^\s*(error|Error):/.test(l));
  const unique = [...new Set(lines.map((l) => l.replace(/^error:\s*/i, '')))].filter((l) => l && !/^update failed$/i.test(l));
  return (unique.slice(0, 3).join('; ') || text.split('\n').find((l) => l.trim()) || 'failed').slice(0, 600);
}
