// `go build` of a pinned tool module under tools/, into a versioned folder of the tools
// cache, atomically (a half-built binary is never left where a later run would reuse it).
import { spawnSync } from 'node:child_process';
import { renameSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './env.mjs';
import { runLogged } from './cache.mjs';

export function requireGo() {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('Go is needed to build the test tools (the Pulumi CLI, kube-apiserver, etcd) from the Go module proxy: install Go 1.26 and put `go` on PATH');
  return r.stdout.trim();
}

export async function goBuild({ toolsDir, pkg, ldflags, out, logFile, tags, signal }) {
  requireGo();
  mkdirSync(join(out, '..'), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  // -modcacherw: a module cache in a throwaway HOME can be deleted afterwards.
  const goflags = [process.env.GOFLAGS, '-modcacherw'].filter(Boolean).join(' ');
  const args = ['build', '-trimpath', ...(tags ? ['-tags', tags] : []), '-ldflags', ldflags, '-o', tmp, pkg];
  await runLogged('go', args, { cwd: join(repoRoot, 'tools', toolsDir), env: { GOFLAGS: goflags }, logFile, signal });
  renameSync(tmp, out);
}
