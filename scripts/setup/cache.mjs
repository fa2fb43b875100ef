// Where setup keeps what it builds or installs, keyed by version: outside the clone, so a
// second clone on the same machine (or the next CI run) reuses it, and a new version
// never reuses an old build.
//   ${MOPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-~/.cache}/modelops-infra}/<tool>-<version>/
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanEnv, repoRoot } from './env.mjs';

export function toolsCache(env = process.env) {
  if (env.MOPS_TOOLS_CACHE) return resolve(env.MOPS_TOOLS_CACHE);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'modelops-infra');
}

/** The error a test or script gives when a tool setup should have made is not there. */
export class NotSetUpError extends Error {
  constructor(what, path) {
    super(`${what} is not set up (looked for ${path}). Run \`npm run setup\` first (\`npm test\` and \`npm start\` run it for you).`);
    this.name = 'NotSetUpError';
  }
}

/** A version pinned in one of tools/<dir>/go.mod. */
export function goModVersion(dir, module) {
  const text = readFileSync(join(repoRoot, 'tools', dir, 'go.mod'), 'utf8');
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`${escaped} (v[\\w.+-]+)`).exec(text);
  if (!m) throw new Error(`tools/${dir}/go.mod does not require ${module}`);
  return m[1];
}

/**
 * Runs a command in the clean environment, its output into `logFile` (long builds are
 * quiet on the console). Rejects with the command's last lines, so the cause is in the
 * error. The command gets a process group of its own: an abort ends it and all it started.
 */
export function runLogged(command, args, { cwd = repoRoot, env = {}, logFile, signal } = {}) {
  mkdirSync(join(logFile, '..'), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`\n$ ${command} ${args.join(' ')}   (in ${cwd})\n`);
  return new Promise((done, fail) => {
    if (signal?.aborted) return fail(new Error('cancelled'));
    const child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const abort = () => {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    };
    signal?.addEventListener('abort', abort, { once: true });
    let tail = '';
    const keep = (chunk) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let settled = false;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      log.end(() => (error ? fail(error) : done()));
    };
    child.on('error', (error) => finish(new Error(`${command} could not start: ${error.message}`)));
    child.on('close', (code, sig) => {
      if (code === 0) return finish();
      if (signal?.aborted) return finish(new Error('cancelled'));
      const last = tail.trim().split('\n').slice(-12).join('\n');
      finish(new Error(`\`${command} ${args.join(' ')}\` failed (${code ?? sig}); its last lines (full log: ${logFile}):\n${last}`));
    });
  });
}
