/**
 * The only module that loads Pulumi. Loaded lazily: `status` on a file backend
 * never pays for it. (In the package, every `@pulumi/…` module comes from one lazily
 * loaded bundle, dist/vendor.js: see esbuild.mjs.)
 */
import { chmodSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { writeAside } from './fileWrite';
import { join } from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import type { Component } from '../core/components';
import { fileBackendDir, workDir } from '../core/paths';
import type { Access, ResolvedSettings } from './settings';
import { installRootFor } from './pulumiCli';
import { IGNORE_PROTECT_ENV, ownedCommand, READ_ONLY_ENV } from './pulumiProcess';
import { pulumiTempFolder } from './pulumiTempFolder';
import { markingErrors } from './runIsolation';

export type Automation = typeof automation;
export type PulumiSdk = typeof import('@pulumi/pulumi');

let automationModule: Promise<Automation> | undefined;
let sdkModule: Promise<PulumiSdk> | undefined;
const commands = new Map<string, Promise<automation.PulumiCommand>>();

// require, not import(): the SDK is CommonJS, and these calls must stay lazy in the bundle.
export function loadAutomation(): Promise<Automation> {
  return (automationModule ??= Promise.resolve().then(() => require('@pulumi/pulumi/automation') as Automation));
}

export function loadPulumiSdk(): Promise<PulumiSdk> {
  return (sdkModule ??= Promise.resolve().then(() => require('@pulumi/pulumi') as PulumiSdk));
}

/**
 * Pulumi runs dynamic providers (the local provider's resources) through a plugin named
 * `pulumi-resource-pulumi-nodejs`; every workspace names ours as its project's plugin. Ours starts our own host
 * (dynamicProviderHost.js, next to this file) with this process's runtime, whichever Pulumi
 * CLI is used and with no node_modules anywhere: the official script resolves
 * @pulumi/pulumi from the program's folder, which a packaged extension does not have.
 */
const DYNAMIC_PROVIDER_SHIM = `#!/bin/sh
# Pulumi's Node.js dynamic-provider plugin, written by ModelOps Infra (src/engine/automation.ts).
exec "\${MOPS_NODE:-node}" "$MOPS_DYNAMIC_PROVIDER" "$@"
`;

function pluginsDir(scratchDir: string): string {
  const dir = join(scratchDir, 'plugins');
  const shim = join(dir, 'pulumi-resource-pulumi-nodejs');
  let current: string | undefined;
  try {
    current = readFileSync(shim, 'utf8');
  } catch {
    // not written yet
  }
  if (current !== DYNAMIC_PROVIDER_SHIM) {
    mkdirSync(dir, { recursive: true });
    writeAside(`${shim}.${process.pid}`, shim, DYNAMIC_PROVIDER_SHIM, {});
    chmodSync(`${shim}.${process.pid}`, 0o755);
    renameSync(`${shim}.${process.pid}`, shim);
  }
  return dir;
}

function pulumiCommand(cliPath: string, scratchDir: string): Promise<automation.PulumiCommand> {
  // Keyed by both: the plugins dir lives in the home, and one process may serve two homes.
  const key = `${cliPath}\0${scratchDir}`;
  let command = commands.get(key);
  if (!command) {
    command = loadAutomation().then(async (auto) =>
      ownedCommand(await auto.PulumiCommand.get({ root: installRootFor(cliPath, scratchDir), skipVersionCheck: false })),
    );
    commands.set(key, command);
  }
  return command;
}

/** Environment for Pulumi and, through it, our dynamic-provider host (next to this file in dist/ and out/). */
export function engineEnv(settings: ResolvedSettings, access: Access, ignoreProtect = false): Record<string, string> {
  const env: Record<string, string> = {
    ...settings.pulumiEnv(access),
    ...(ignoreProtect ? { [IGNORE_PROTECT_ENV]: '1' } : {}),
    ...(access === 'read' ? { [READ_ONLY_ENV]: '1' } : {}),
    MOPS_NODE: process.execPath,
    MOPS_DYNAMIC_PROVIDER: join(__dirname, 'dynamicProviderHost.js'),
    // Go's os.TempDir reads TMPDIR (TMP and TEMP on Windows).
    ...Object.fromEntries(['TMPDIR', 'TMP', 'TEMP'].map((name) => [name, pulumiTempFolder()])),
  };
  // Under VS Code the runtime is Electron: it must keep acting as Node in grandchildren.
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

export type Program = () => Promise<Record<string, unknown>>;

/**
 * A Pulumi command the Automation API does not wrap (`state unprotect`, `stack export`), run as
 * the stack's workspace runs its own: same CLI, environment and work dir. The method is internal
 * to the SDK (stripped from its typings), hence the cast.
 */
export function runPulumiCmd(stack: automation.Stack, args: string[]): Promise<{ stdout: string }> {
  return (stack.workspace as unknown as { runPulumiCmd(args: string[]): Promise<{ stdout: string }> }).runPulumiCmd(args);
}

/**
 * A workspace in the component's persistent work dir (as the original), with an inline
 * program. `access` 'read' never creates anything (no passphrase file, no backend dir);
 * `ignoreProtect`: its update or destroy may replace or delete what holds data (consented).
 */
export async function workspaceFor(settings: ResolvedSettings, cliPath: string, component: Component, program: Program, access: Access, ignoreProtect = false): Promise<automation.LocalWorkspace> {
  const auto = await loadAutomation();
  const dir = workDir(settings.modelopsHome, component.workDirName);
  mkdirSync(dir, { recursive: true });
  const backendDir = fileBackendDir(settings.backendUrl);
  if (backendDir && access === 'write') mkdirSync(backendDir, { recursive: true });
  const sdk = await loadPulumiSdk();
  return auto.LocalWorkspace.create({
    program: markingErrors(program, () => sdk.getStack()),
    workDir: dir,
    pulumiCommand: await pulumiCommand(cliPath, join(settings.modelopsHome, 'cli')),
    envVars: engineEnv(settings, access, ignoreProtect),
    projectSettings: {
      name: component.project,
      runtime: 'nodejs',
      main: __dirname,
      backend: { url: settings.backendUrl },
      // Named as the project's plugin, Pulumi takes ours without looking on PATH (which warned
      // "using pulumi-resource-pulumi-nodejs from $PATH" on every run, as ours is not the bundled one).
      plugins: { providers: [{ name: 'pulumi-nodejs', path: pluginsDir(join(settings.modelopsHome, 'cli')) }] },
    } as automation.ProjectSettings,
  });
}
