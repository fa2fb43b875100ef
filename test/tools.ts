/** The tools setup made (scripts/setup.mjs): tests find them, never build them. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');

/** Where setup put a tool (`node scripts/setup.mjs --path NAME`); throws "run `npm run setup`" when it is not there. */
export function setUpToolPath(name: 'pulumi-cli' | 'pulumi-kubernetes' | 'kube-apiserver' | 'code-server' | 'actionlint'): string {
  const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'setup.mjs'), '--path', name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr.trim() || `scripts/setup.mjs --path ${name} failed (${r.status})`);
  return r.stdout.trim();
}
