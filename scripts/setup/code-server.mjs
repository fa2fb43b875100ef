// code-server: VS Code as a server, for the demo and the real-VS-Code suite. Installed
// from the npm registry with the project's Node 24 (its postinstall builds native
// modules against it and refuses any other Node), in a folder of its own, then moved
// into place in one rename so a half-finished install is never reused.
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { cleanEnv } from './env.mjs';
import { NotSetUpError, runLogged, toolsCache } from './cache.mjs';

export const CODE_SERVER_VERSION = '4.139.1';

// npm 11 skips install scripts that are not allowed: code-server's postinstall and its native dependencies.
const ALLOW_SCRIPTS = [
  'code-server', '@parcel/watcher', 'argon2', '@vscode/spdlog', '@vscode/windows-registry', 'kerberos',
  'native-watchdog', 'node-pty', '@vscode/sqlite3', 'keytar', 'vsda', '@vscode/deviceid', '@vscode/policy-watcher', 'esbuild',
];

export function codeServerDir() {
  return join(toolsCache(), `code-server-${CODE_SERVER_VERSION}`);
}

const binIn = (dir) => join(dir, 'node_modules', '.bin', 'code-server');
const markerIn = (dir) => join(dir, '.installed');

/** Environment for code-server itself: clean, the project's Node first, its config file in the cache. */
export function codeServerEnv(extra = {}) {
  return cleanEnv({ CODE_SERVER_CONFIG: join(codeServerDir(), 'config.yaml'), ...extra });
}

function installedVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env: codeServerEnv(), timeout: 60_000 });
  // It may print an "info" line first (when it writes its default config).
  return r.status === 0 ? r.stdout.split('\n').find((l) => /^\d+\.\d+\.\d+ /.test(l))?.trim() : undefined;
}

/** The code-server executable, or a NotSetUpError saying to run setup. */
export function codeServerBin() {
  const found = part.locate();
  if (!found) throw new NotSetUpError(`code-server ${CODE_SERVER_VERSION}`, binIn(codeServerDir()));
  return found;
}

/** The VS Code server inside code-server (what `code-server` wraps), for running extension tests. */
export function vscodeServerMain() {
  return join(dirname(realpathSync(codeServerBin())), '..', '..', 'lib', 'vscode', 'out', 'server-main.js');
}

const part = {
  name: 'code-server',
  title: `code-server ${CODE_SERVER_VERSION}`,
  firstTime: '~5 min',
  locate() {
    const dir = codeServerDir();
    return existsSync(markerIn(dir)) && existsSync(binIn(dir)) ? binIn(dir) : undefined;
  },
  async build({ logFile, signal }) {
    const dir = codeServerDir();
    const staging = `${dir}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify({
      name: 'modelops-infra-code-server-cache',
      private: true,
      description: 'code-server for modelops-infra (written by scripts/setup/code-server.mjs)',
      dependencies: { 'code-server': CODE_SERVER_VERSION },
      allowScripts: Object.fromEntries(ALLOW_SCRIPTS.map((name) => [name, true])),
    }, null, 2)}\n`);
    try {
      await runLogged('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], {
        cwd: staging,
        env: { npm_config_update_notifier: 'false' },
        logFile,
        signal,
      });
      const version = installedVersion(binIn(staging));
      if (!version?.startsWith(`${CODE_SERVER_VERSION} `)) throw new Error(`code-server installed but \`code-server --version\` printed ${JSON.stringify(version)} (log: ${logFile})`);
      writeFileSync(markerIn(staging), `${version}\ninstalled ${new Date().toISOString()}\n`);
      rmSync(dir, { recursive: true, force: true }); // an earlier install without its marker
      renameSync(staging, dir);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    if (!installedVersion(binIn(dir))) throw new Error(`code-server does not run after moving it to ${dir}: ${readFileSync(logFile, 'utf8').slice(-2000)}`);
    return binIn(dir);
  },
};
export default part;
