/** Finds the Pulumi CLI: an explicit path, else `pulumi` on PATH, else the build `npm run setup` made. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';

export class PulumiNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      `Pulumi CLI not found (tried: ${tried.join(', ')}). Install Pulumi, or set --pulumi PATH / MOPS_PULUMI / the ` +
        '"modelopsInfra.pulumiPath" setting, or run `npm run setup` in the modelops-infra checkout to build one.',
    );
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Where `npm run setup` keeps its builds (scripts/setup/cache.mjs): MOPS_TOOLS_CACHE, else the user's cache. */
export function toolsCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.MOPS_TOOLS_CACHE) return resolve(env.MOPS_TOOLS_CACHE);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'modelops-infra');
}

/** `<tools cache>/pulumi-vX/bin/pulumi` builds, newest version first. */
function ownBuilds(env: NodeJS.ProcessEnv): string[] {
  const root = toolsCacheDir(env);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => /^pulumi-v\d/.test(d))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    .map((d) => join(root, d, 'bin', 'pulumi'))
    .filter((p) => existsSync(p));
}

export function locatePulumi(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) {
    const path = resolve(explicit);
    if (!existsSync(path)) throw new PulumiNotFoundError([path]);
    return path;
  }
  const found = onPath('pulumi', env) ?? ownBuilds(env)[0];
  if (!found) throw new PulumiNotFoundError(['PATH', toolsCacheDir(env)]);
  return found;
}

/**
 * The Automation API wants an install root holding `bin/pulumi`. For a CLI at
 * any other path we point a symlink farm at it.
 */
export function installRootFor(cliPath: string, scratchDir: string): string {
  if (basename(cliPath) === 'pulumi' && basename(dirname(cliPath)) === 'bin') return dirname(dirname(cliPath));
  const root = join(scratchDir, createHash('sha256').update(cliPath).digest('hex').slice(0, 12));
  const link = join(root, 'bin', 'pulumi');
  if (!existsSync(link)) {
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(cliPath, link);
  }
  return root;
}

export function pulumiVersion(cliPath: string): string | undefined {
  const r = spawnSync(cliPath, ['version'], { encoding: 'utf8', env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' }, timeout: 20000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
