// The clean environment every child npm, npx and go of our scripts gets (scripts/setup/env.mjs).
// Regression for the fresh-machine failure: code-server's postinstall read "node/v20" from the
// npm_config_user_agent an outer `npm start` (system Node 20) leaked into the nested install.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLogged } from '../../scripts/setup/cache.mjs';
import { cleanEnv, projectNode, repoRoot, spawnClean } from '../../scripts/setup/env.mjs';

/** What an `npm test` run by the system's Node 20 puts in the environment of its script. */
const OUTER_NPM = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_node_execpath: '/usr/bin/node',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_lifecycle_event: 'test',
  npm_package_name: 'modelops-infra',
  npm_config_mops_leak_probe: 'from-the-outer-npm',
  NODE: '/usr/bin/node',
  INIT_CWD: repoRoot,
  COLOR: '0',
};

function withOuterNpm(fn) {
  const saved = { ...process.env };
  Object.assign(process.env, OUTER_NPM, { PATH: `${join(repoRoot, 'node_modules', '.bin')}:/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin:${process.env.PATH}` });
  try {
    return fn();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe('the clean environment of child npm, npx and go processes', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mops-clean-env-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('drops every variable the outer npm set and keeps the user\'s own', () => {
    const env = withOuterNpm(() => cleanEnv({ EXTRA: '1' }, { ...process.env, MY_OWN: 'kept' }));
    const leaked = Object.keys(env).filter((k) => k in OUTER_NPM);
    assert.deepEqual(leaked, []);
    assert.equal(env.MY_OWN, 'kept');
    assert.equal(env.EXTRA, '1');
  });

  it('puts the project\'s Node first on PATH and drops the node_modules/.bin entries npm added', () => {
    const env = withOuterNpm(() => cleanEnv());
    const path = env.PATH.split(':');
    assert.equal(path[0], projectNode().binDir);
    assert.deepEqual(path.filter((d) => d.endsWith('node_modules/.bin') || d.includes('node-gyp-bin')), []);
    assert.equal(env.npm_config_nodedir, projectNode().nodedir, 'native addons must build against the project Node');
  });

  it('a nested npm script sees the project\'s Node 24 and nothing of the outer npm', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({
      name: 'probe',
      private: true,
      scripts: { probe: 'node -e "console.log(JSON.stringify({node: process.version, agent: process.env.npm_config_user_agent, leak: process.env.npm_config_mops_leak_probe ?? null, event: process.env.npm_lifecycle_event}))"' },
    }));
    const r = withOuterNpm(() => spawnClean('npm', ['run', '--silent', 'probe'], { cwd: dir }));
    assert.equal(r.status, 0, r.stderr);
    const seen = JSON.parse(r.stdout.trim().split('\n').pop());
    const want = spawnSync(projectNode().node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(seen.node, want);
    assert.match(seen.agent, new RegExp(`node/${want.replace(/\./g, '\\.')} `), `npm_config_user_agent is "${seen.agent}"`);
    assert.equal(seen.leak, null, 'an npm_config_* variable of the outer npm reached the nested script');
    assert.equal(seen.event, 'probe');
  });

  it('runLogged gives the same environment, and its error carries the cause and the log', async () => {
    const logFile = join(dir, 'logs', 'probe.log');
    const script = 'console.log(process.env.npm_config_user_agent ?? "no agent"); console.error("boom: the real cause"); process.exit(3)';
    const error = await withOuterNpm(() => runLogged(process.execPath, ['-e', script], { logFile })).then(() => undefined, (e) => e);
    assert.ok(error, 'a failing command must reject');
    assert.match(error.message, /failed \(3\)/);
    assert.match(error.message, /boom: the real cause/);
    assert.ok(error.message.includes(logFile));
    assert.match(readFileSync(logFile, 'utf8'), /no agent/);
  });

  it('no script or test spawns npm, npx or go except through scripts/setup', () => {
    const offenders = [];
    const walk = (d) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(mjs|ts|js)$/.test(name) && !p.includes(`${join('scripts', 'setup')}`)) {
          readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
            if (/\b(spawn|spawnSync|execFile|execFileSync|exec|execSync)\(\s*['"`](npm|npx|go)\b/.test(line)) offenders.push(`${p.slice(repoRoot.length + 1)}:${i + 1}`);
          });
        }
      }
    };
    for (const d of ['scripts', 'test', 'bench', 'src']) walk(join(repoRoot, d));
    assert.deepEqual(offenders, [], 'use spawnClean/npmRun/runLogged from scripts/setup');
  });
});

describe('a tool that setup has not made', () => {
  it('fails at once, saying to run setup', () => {
    const empty = mkdtempSync(join(tmpdir(), 'mops-no-tools-'));
    try {
      const started = Date.now();
      const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'setup.mjs'), '--path', 'pulumi-cli'], { encoding: 'utf8', env: { ...process.env, MOPS_TOOLS_CACHE: empty } });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /not set up: run `npm run setup`/);
      assert.ok(Date.now() - started < 10_000, 'it must not build anything');
      const server = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'kube-apiserver.mjs'), 'start'], { encoding: 'utf8', env: { ...process.env, MOPS_TOOLS_CACHE: empty }, timeout: 10_000 });
      assert.equal(server.status, 1);
      assert.match(server.stderr, /Run `npm run setup` first/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
