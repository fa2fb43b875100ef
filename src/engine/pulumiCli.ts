/** Finds the Pulumi CLI and gives the Automation API the install root it wants. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { locatePulumi as locateIn } from '../core/paths';

/** The Pulumi CLI (core/paths decides where to look); throws PulumiNotFoundError. */
export function locatePulumi(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return locateIn(explicit, env, { exists: existsSync, list: (dir) => readdirSync(dir) });
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
