/** Finds the Pulumi CLI: an explicit path, else `pulumi` on PATH, else our build under .engine/. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';

export class PulumiNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      `Pulumi CLI not found (tried: ${tried.join(', ')}). Install Pulumi, or set --pulumi PATH / MOPS_PULUMI / the ` +
        '"modelopsInfra.pulumiPath" setting, or run `npm run engine` in the modelops-infra checkout to build one.',
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

/** `.engine/pulumi-vX/bin/pulumi` builds next to this package (or under MOPS_ENGINE_CACHE). */
function ownBuilds(packageRoot: string, env: NodeJS.ProcessEnv): string[] {
  const roots = [env.MOPS_ENGINE_CACHE, join(packageRoot, '.engine')].filter((r): r is string => !!r);
  return roots.flatMap((root) =>
    existsSync(root)
      ? readdirSync(root)
          .filter((d) => d.startsWith('pulumi-v'))
          .sort()
          .reverse()
          .map((d) => join(root, d, 'bin', 'pulumi'))
          .filter((p) => existsSync(p))
      : [],
  );
}

export function locatePulumi(explicit: string | undefined, packageRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) {
    const path = resolve(explicit);
    if (!existsSync(path)) throw new PulumiNotFoundError([path]);
    return path;
  }
  const found = onPath('pulumi', env) ?? ownBuilds(packageRoot, env)[0];
  if (!found) throw new PulumiNotFoundError(['PATH', join(packageRoot, '.engine')]);
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
