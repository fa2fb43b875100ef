#!/usr/bin/env node
// A real VS Code (code-server) for the demo and the end-to-end suite: install a .vsix
// into an extensions dir, write settings, serve a folder. code-server itself is
// installed by setup (scripts/setup/code-server.mjs); this never installs anything.
//
//   node scripts/vscode-server.mjs --serve DIR [--port N] [--trust]   serve DIR until Ctrl-C
//
// Exports: installExtension(), writeUserSettings(), startCodeServer(), freePort().
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolsCache } from './setup/cache.mjs';
import { codeServerBin, codeServerEnv, vscodeServerMain } from './setup/code-server.mjs';
import { projectNode } from './setup/env.mjs';

export { repoRoot } from './setup/env.mjs';

function log(message) {
  process.stderr.write(`vscode-server: ${message}\n`);
}

/** `code-server --install-extension VSIX` into extDir (with its own user-data-dir). */
export async function installExtension(vsix, extDir, userDataDir) {
  const bin = codeServerBin();
  mkdirSync(extDir, { recursive: true });
  mkdirSync(userDataDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const r = spawnSync(bin, [
      '--extensions-dir', extDir, '--user-data-dir', userDataDir,
      '--install-extension', resolve(vsix), '--force',
    ], { encoding: 'utf8', env: codeServerEnv(), timeout: 180_000 });
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
 *
 * `extensionTests: true` starts the VS Code server inside code-server directly instead
 * (`lib/vscode/out/server-main.js`): the `code-server` command refuses
 * `--enable-smoke-test-driver`, without which the web workbench ignores the
 * `extensionDevelopmentPath`/`extensionTestsPath` it is handed in its URL (see
 * test/integration/run.mjs). The folder is then opened by that URL, not by the server.
 * @returns {{url:string, port:number, folderUrl:string, child, log:()=>string, stop:()=>Promise<void>}}
 */
export async function startCodeServer({
  folder, port, extDir, userDataDir, env = {}, trust = false, logFile, timeoutMs = 120_000, extensionTests = false,
} = {}) {
  const bin = codeServerBin();
  port = port ?? (await freePort());
  const tmpBase = join(toolsCache(), 'runs');
  extDir = extDir ?? join(tmpBase, `ext-${port}`);
  userDataDir = userDataDir ?? join(tmpBase, `data-${port}`);
  mkdirSync(extDir, { recursive: true });
  mkdirSync(userDataDir, { recursive: true });
  const common = ['--disable-telemetry', '--extensions-dir', extDir, '--user-data-dir', userDataDir];
  if (!trust) common.push('--disable-workspace-trust');
  const [command, args] = extensionTests
    ? [projectNode().node, [vscodeServerMain(), '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver', '--server-data-dir', join(userDataDir, 'server'), ...common]]
    : [bin, ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-update-check', ...common, ...(folder ? [resolve(folder)] : [])]];
  const child = spawn(command, args, {
    env: codeServerEnv(env),
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
  const serveAt = argv.indexOf('--serve');
  if (serveAt < 0) {
    process.stderr.write('usage: node scripts/vscode-server.mjs --serve DIR [--port N] [--trust]\n');
    process.exit(2);
  }
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
}
