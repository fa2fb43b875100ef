/**
 * Where things live: MODELOPS_HOME, the backend, the passphrase, work dirs.
 * Defaults follow the original system so existing users' stacks are found.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface EngineSettings {
  modelopsHome: string;
  backendUrl: string;
  /** Environment for every Pulumi process: backend, passphrase, no update checks. */
  pulumiEnv: Record<string, string>;
  /** Explicit CLI path (flag, setting or MOPS_PULUMI); else PATH, else our build. */
  pulumiPath?: string;
}

export interface SettingsInput {
  /** `pulumi.backend_url` from azure.yaml. */
  configBackendUrl?: string;
  /** `--backend` flag or the extension setting; wins over everything. */
  backendOverride?: string;
  pulumiPath?: string;
  env?: NodeJS.ProcessEnv;
}

export function modelopsHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.MODELOPS_HOME ?? join(homedir(), '.modelops'));
}

export function defaultBackendUrl(home: string): string {
  return pathToFileURL(join(home, 'pulumi', 'backend')).href;
}

/** `pulumi.backend_url`, else PULUMI_BACKEND_URL, else the original's file backend. */
export function resolveBackendUrl(input: SettingsInput, home: string): string {
  const env = input.env ?? process.env;
  return input.backendOverride || input.configBackendUrl || env.PULUMI_BACKEND_URL || defaultBackendUrl(home);
}

/** Creates the passphrase file once, atomically, mode 0600; a concurrent creator's file wins. */
export function ensurePassphraseFile(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(tmp);
  }
  return path;
}

/** PULUMI_CONFIG_PASSPHRASE(_FILE) when set, else the original's passphrase file. */
export function passphraseEnv(env: NodeJS.ProcessEnv, home: string): Record<string, string> {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return { PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE };
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE) return { PULUMI_CONFIG_PASSPHRASE_FILE: resolve(env.PULUMI_CONFIG_PASSPHRASE_FILE) };
  return { PULUMI_CONFIG_PASSPHRASE_FILE: ensurePassphraseFile(join(home, 'secrets', 'pulumi-passphrase')) };
}

export function resolveSettings(input: SettingsInput): EngineSettings {
  const env = input.env ?? process.env;
  const home = modelopsHome(env);
  const backendUrl = resolveBackendUrl(input, home);
  return {
    modelopsHome: home,
    backendUrl,
    pulumiPath: input.pulumiPath ?? env.MOPS_PULUMI,
    pulumiEnv: {
      PULUMI_BACKEND_URL: backendUrl,
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      ...passphraseEnv(env, home),
    },
  };
}

/** The local directory of a `file://` backend, or undefined for other backends. */
export function fileBackendDir(backendUrl: string): string | undefined {
  if (!backendUrl.startsWith('file://')) return undefined;
  const rest = backendUrl.slice('file://'.length);
  if (rest === '~' || rest.startsWith('~/')) return join(homedir(), rest.slice(1));
  return resolve(decodeURIComponent(rest.split('?')[0]));
}

export function workDir(home: string, workDirName: string): string {
  return join(home, 'pulumi', workDirName);
}
