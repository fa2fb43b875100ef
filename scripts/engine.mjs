#!/usr/bin/env node
// Builds (or reuses) the Pulumi CLI that tests and the demo run, and prints its
// absolute path as the last line. The CLI cannot be downloaded here, so it is
// built from the Go module proxy (tools/pulumi-cli pins the version).
//   npm run engine            use MOPS_PULUMI or `pulumi` on PATH when present, else build/reuse
//   npm run engine -- --build always use our own build (what the tests do)
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(repo, 'tools', 'pulumi-cli');
const version = /github\.com\/pulumi\/pulumi\/pkg\/v3 (v[\d.]+)/.exec(readFileSync(join(toolsDir, 'go.mod'), 'utf8'))[1];
const cacheRoot = process.env.MOPS_ENGINE_CACHE ? resolve(process.env.MOPS_ENGINE_CACHE) : join(repo, '.engine');
const root = join(cacheRoot, `pulumi-${version}`);
const cli = join(root, 'bin', 'pulumi');

// The official CLI archive ships this script for dynamic providers; a source build does not.
// MOPS_NODE / MOPS_DYNAMIC_PROVIDER are set by our engine so it works under any Node (or Electron).
const SHIM = `#!/bin/sh
# Pulumi's Node.js dynamic-provider host (written by modelops-infra's scripts/engine.mjs).
if [ -n "$MOPS_DYNAMIC_PROVIDER" ]; then
  exec "\${MOPS_NODE:-node}" "$MOPS_DYNAMIC_PROVIDER" "$@"
fi
script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1
exec node "$script" "$@"
`;

function log(message) {
  process.stderr.write(`engine: ${message}\n`);
}

function versionOf(path) {
  const r = spawnSync(path, ['version'], { encoding: 'utf8', env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' } });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function userCli() {
  if (process.env.MOPS_PULUMI) return resolve(process.env.MOPS_PULUMI);
  const r = spawnSync('sh', ['-c', 'command -v pulumi'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

function build() {
  mkdirSync(join(root, 'bin'), { recursive: true });
  const tmp = `${cli}.tmp-${process.pid}`;
  const started = Date.now();
  log(`building the Pulumi CLI ${version} from the Go module proxy (first time: several minutes)…`);
  execFileSync(
    'go',
    ['build', '-trimpath', '-tags', 'osusergo,grpcnotrace', '-ldflags', `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`, '-o', tmp, 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi'],
    { cwd: toolsDir, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  renameSync(tmp, cli);
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

const forceBuild = process.argv.includes('--build');
const own = forceBuild ? undefined : userCli();
if (own && versionOf(own)) {
  log(`using ${own} (${versionOf(own)})`);
  console.log(own);
} else {
  if (versionOf(cli) === version) log(`reusing ${cli}`);
  else build();
  const shim = join(root, 'bin', 'pulumi-resource-pulumi-nodejs');
  if (!existsSync(shim) || readFileSync(shim, 'utf8') !== SHIM) writeFileSync(shim, SHIM);
  chmodSync(shim, 0o755);
  const reported = versionOf(cli);
  if (reported !== version) throw new Error(`engine: ${cli} reports "${reported}", expected ${version}`);
  console.log(cli);
}
