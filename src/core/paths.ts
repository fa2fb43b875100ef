/**
 * Where things live, and which source wins: MODELOPS_HOME, the backend, the passphrase
 * file, work dirs, stack configs, and where to look for the Pulumi CLI. Pure: the file
 * system is passed in where a lookup needs it. The engine and the extension both use it.
 */
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PulumiNotFoundError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

/** MODELOPS_HOME (an empty value counts as unset), else the original's `~/.modelops`. */
export function modelopsHome(env: Env): string {
  return resolve(env.MODELOPS_HOME || join(homedir(), '.modelops'));
}

/**
 * Where a run looks for its config when none is named, in order: `azure.yaml` here, then the
 * original modelops's own files, `modelops.yaml` (written by `mops init`) and `infrastructure.yaml`.
 */
export function configCandidates(cwd: string, home: string): string[] {
  return [join(cwd, 'azure.yaml'), join(home, 'modelops.yaml'), join(home, 'infrastructure.yaml')];
}

/** The first of configCandidates that exists, else `./azure.yaml` (whose absence is then the error). */
export function discoverConfig(cwd: string, home: string, exists: (path: string) => boolean): string {
  const candidates = configCandidates(cwd, home);
  return candidates.find(exists) ?? candidates[0];
}

export function passphraseFilePath(home: string): string {
  return join(home, 'secrets', 'pulumi-passphrase');
}

/** Where Pulumi's passphrase comes from: the variable (even empty), else the file variable, else the original's file (`fallback`: it may not exist yet). */
export type PassphraseSource = { kind: 'variable'; value: string } | { kind: 'file'; path: string; fallback: boolean };

export function passphraseSource(env: Env, home: string): PassphraseSource {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return { kind: 'variable', value: env.PULUMI_CONFIG_PASSPHRASE };
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE) return { kind: 'file', path: resolve(env.PULUMI_CONFIG_PASSPHRASE_FILE), fallback: false };
  return { kind: 'file', path: passphraseFilePath(home), fallback: true };
}

export function defaultBackendUrl(home: string): string {
  return pathToFileURL(join(home, 'pulumi', 'backend')).href;
}

/** `--backend` (or the setting), else `pulumi.backend_url`, else PULUMI_BACKEND_URL, else the original's file backend. */
export function resolveBackendUrl(input: { backendOverride?: string; configBackendUrl?: string }, env: Env, home: string): string {
  return input.backendOverride || input.configBackendUrl || env.PULUMI_BACKEND_URL || defaultBackendUrl(home);
}

/** The local directory of a `file://` backend, or undefined for other backends. */
export function fileBackendDir(backendUrl: string): string | undefined {
  if (!backendUrl.startsWith('file://')) return undefined;
  const rest = backendUrl.slice('file://'.length);
  if (rest === '~' || rest.startsWith('~/')) return join(homedir(), rest.slice(1));
  return resolve(decodeURIComponent(rest.split('?')[0]));
}

/** The component's persistent Pulumi work dir, as the original: `<home>/pulumi/<workDirName>`. */
export function workDir(home: string, workDirName: string): string {
  return join(home, 'pulumi', ...workDirName.split('/'));
}

/** `<home>/pulumi/<workDirName>/Pulumi.<stack>.yaml`. */
export function stackConfigPath(home: string, workDirName: string, stack: string): string {
  return join(workDir(home, workDirName), `Pulumi.${stack}.yaml`);
}

/** Where `npm run setup` keeps its builds (scripts/setup/cache.mjs): MOPS_TOOLS_CACHE, else the user's cache. */
export function toolsCacheDir(env: Env): string {
  if (env.MOPS_TOOLS_CACHE) return resolve(env.MOPS_TOOLS_CACHE);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'modelops-infra');
}

export interface FileLookup {
  exists(path: string): boolean;
  list(dir: string): string[];
}

/**
 * The Pulumi CLI: an explicit path (flag, setting or MOPS_PULUMI), else `pulumi` on PATH,
 * else the newest build `npm run setup` made. Throws PulumiNotFoundError naming where it looked.
 */
export function locatePulumi(explicit: string | undefined, env: Env, fs: FileLookup): string {
  if (explicit) {
    const path = resolve(explicit);
    if (!fs.exists(path)) throw new PulumiNotFoundError([path]);
    return path;
  }
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'pulumi')).find((p) => fs.exists(p));
  if (onPath) return onPath;
  const cache = toolsCacheDir(env);
  const builds = fs.exists(cache)
    ? fs.list(cache)
        .filter((d) => /^pulumi-v\d/.test(d))
        .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
        .map((d) => join(cache, d, 'bin', 'pulumi'))
        .filter((p) => fs.exists(p))
    : [];
  if (!builds.length) throw new PulumiNotFoundError(['PATH', cache]);
  return builds[0];
}
