/**
 * The only module that loads Pulumi. Loaded lazily: `status` on a file backend
 * never pays for it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import type { Component } from '../core/components';
import { fileBackendDir, workDir } from '../core/paths';
import type { Access, EngineSettings } from './settings';
import { installRootFor } from './pulumiCli';
import { ownedCommand } from './pulumiProcess';

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
    command = loadAutomation().then(async (auto) => ownedCommand(await auto.PulumiCommand.get({ root: installRootFor(cliPath, scratchDir), skipVersionCheck: false })));
    commands.set(cliPath, command);
  }
  return command;
}

/** Environment for Pulumi and, through it, our dynamic-provider host (next to this file in dist/ and out/). */
export function engineEnv(settings: EngineSettings, access: Access): Record<string, string> {
  const env: Record<string, string> = {
    ...settings.pulumiEnv(access),
    MOPS_NODE: process.execPath,
    MOPS_DYNAMIC_PROVIDER: join(__dirname, 'dynamicProviderHost.js'),
  };
  // Under VS Code the runtime is Electron: it must keep acting as Node in grandchildren.
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

export type Program = () => Promise<Record<string, unknown>>;

/**
 * A workspace in the component's persistent work dir (as the original), with an inline
 * program. `access` 'read' never creates anything (no passphrase file, no backend dir).
 */
export async function workspaceFor(settings: EngineSettings, cliPath: string, component: Component, program: Program, access: Access): Promise<automation.LocalWorkspace> {
  const auto = await loadAutomation();
  const dir = workDir(settings.modelopsHome, component.workDirName);
  mkdirSync(dir, { recursive: true });
  const backendDir = fileBackendDir(settings.backendUrl);
  if (backendDir && access === 'write') mkdirSync(backendDir, { recursive: true });
  return auto.LocalWorkspace.create({
    program,
    workDir: dir,
    pulumiCommand: await pulumiCommand(cliPath, join(settings.modelopsHome, 'cli')),
    envVars: engineEnv(settings, access),
    projectSettings: {
      name: component.project,
      runtime: 'nodejs',
      main: sdkPackageRoot(),
      backend: { url: settings.backendUrl },
    },
  });
}
