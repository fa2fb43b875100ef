/**
 * The settings of one run: MODELOPS_HOME, the backend, the Pulumi CLI, and the
 * environment of every Pulumi process. Paths and precedence come from core/paths; this
 * adds the one side effect, creating the passphrase file, and only for runs that write.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { writeAside } from './fileWrite';
import { dirname } from 'node:path';
import { backendOf, type Backend } from '../core/backend';
import { modelopsHome, passphraseFilePath, passphraseSource, resolveBackendUrl } from '../core/paths';

/** Reads never create anything; only an operation that writes state may create the passphrase file. */
export type Access = 'read' | 'write';

/** The user's settings (flags, VS Code settings, environment variables) resolved for one run. */
export interface ResolvedSettings {
  modelopsHome: string;
  backendUrl: string;
  /** What the backend URL names and how to reach it (src/core/backend.ts). */
  backend: Backend;
  /** Explicit CLI path (flag, setting or MOPS_PULUMI); else PATH, else our build. */
  pulumiPath?: string;
  /** Environment for every Pulumi process: backend, passphrase, no update checks. */
  pulumiEnv(access: Access): Record<string, string>;
}

export interface SettingsInput {
  /** `pulumi.backend_url` from azure.yaml. */
  configBackendUrl?: string;
  /** `--backend` flag or the extension setting; wins over everything. */
  backendOverride?: string;
  pulumiPath?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * When PULUMI_CONFIG_PASSPHRASE is set and the original's passphrase file holds another one: what to
 * do, naming both. The original modelops always uses the file (it drops the variable), so its
 * stacks open only with the file, while Pulumi (and so this tool) prefers the variable.
 */
export function passphraseConflict(env: NodeJS.ProcessEnv, home: string): string | undefined {
  const given = env.PULUMI_CONFIG_PASSPHRASE;
  if (given === undefined) return undefined;
  const file = passphraseFilePath(home);
  let kept: string;
  try {
    kept = readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (kept === given.trim()) return undefined;
  return `PULUMI_CONFIG_PASSPHRASE (which "ModelOps: Set Pulumi Passphrase" also sets) differs from ${file}, the passphrase the original modelops always uses. If the original made these stacks, unset PULUMI_CONFIG_PASSPHRASE (or clear the passphrase in VS Code) to use the file; otherwise set the variable to the passphrase these stacks were made with.`;
}

/** Creates the passphrase file once, atomically, mode 0600; a concurrent creator's file wins. */
export function ensurePassphraseFile(path: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeAside(tmp, path, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(tmp);
  }
  return path;
}

/**
 * PULUMI_CONFIG_PASSPHRASE (even empty) or PULUMI_CONFIG_PASSPHRASE_FILE when set, else
 * the original's passphrase file: created for a write, named for a read (Pulumi says
 * clearly when it is missing).
 */
export function passphraseEnv(env: NodeJS.ProcessEnv, home: string, access: Access = 'write'): Record<string, string> {
  const source = passphraseSource(env, home);
  if (source.kind === 'variable') return { PULUMI_CONFIG_PASSPHRASE: source.value };
  return { PULUMI_CONFIG_PASSPHRASE_FILE: source.fallback && access === 'write' ? ensurePassphraseFile(source.path) : source.path };
}

export function resolveSettings(input: SettingsInput): ResolvedSettings {
  const env = input.env ?? process.env;
  const home = modelopsHome(env);
  const backendUrl = resolveBackendUrl(input, env, home);
  return {
    modelopsHome: home,
    backendUrl,
    backend: backendOf(backendUrl, env),
    pulumiPath: input.pulumiPath ?? env.MOPS_PULUMI,
    pulumiEnv: (access) => ({
      PULUMI_BACKEND_URL: backendUrl,
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      ...passphraseEnv(env, home, access),
    }),
  };
}
