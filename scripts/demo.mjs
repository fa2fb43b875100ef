#!/usr/bin/env node
// `npm start`: the demo. Runs setup (the Pulumi CLI, code-server, …), builds and
// packages the extension, and serves the demo/ workspace in a real VS Code at
// http://127.0.0.1:8080/ until Ctrl-C.
//
//   npm start                        serve until Ctrl-C
//   npm start -- --screenshot        open it in Chromium, save media/screenshots/demo.png, exit (CI smoke)
//   npm start -- --screenshot --up   … after running "ModelOps: Up" and waiting for every row to be ready
//   npm start -- --no-build          reuse dist/ and modelops-infra.vsix as they are
//
// Env: MOPS_DEMO_PORT (8080), MOPS_TOOLS_CACHE (setup's cache), MOPS_PULUMI (another Pulumi CLI).
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { NEEDS, runSetup } from './setup.mjs';
import { npmRun } from './setup/env.mjs';
import { pulumiCliPath } from './setup/pulumi-cli.mjs';
import { installExtension, repoRoot, startCodeServer, writeUserSettings } from './vscode-server.mjs';

const argv = process.argv.slice(2);
const screenshotMode = argv.includes('--screenshot');
const port = Number(process.env.MOPS_DEMO_PORT ?? 8080);
const demoFolder = join(repoRoot, 'demo');
const demoHome = join(repoRoot, '.demo-home');
const extDir = join(demoHome, 'vscode', 'extensions');
const userDataDir = join(demoHome, 'vscode', 'user-data');
const vsix = join(repoRoot, 'modelops-infra.vsix');
const timings = [];

function log(message) {
  process.stderr.write(`demo: ${message}\n`);
}

async function step(title, fn) {
  const started = Date.now();
  log(`${title}…`);
  const result = await fn();
  const s = (Date.now() - started) / 1000;
  timings.push([title, s]);
  log(`${title}: done in ${s.toFixed(1)} s`);
  return result;
}

function ensureGitignored(entry) {
  const file = join(repoRoot, '.gitignore');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!text.split('\n').some((l) => l.trim() === entry)) appendFileSync(file, `${text.endsWith('\n') || !text ? '' : '\n'}${entry}\n`);
}

async function main() {
  if (!existsSync(join(repoRoot, 'node_modules'))) {
    throw new Error('run `npm install` first');
  }
  await step('setup', () => runSetup(NEEDS.demo));
  if (!argv.includes('--no-build')) {
    await step('build (npm run build)', () => npmRun('build'));
    await step('package the extension (npm run package)', () => npmRun('package'));
  }
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\``);
  const pulumi = process.env.MOPS_PULUMI || pulumiCliPath();
  if (!existsSync(pulumi)) throw new Error(`MOPS_PULUMI is ${pulumi}, which does not exist`);

  ensureGitignored('.demo-home/');
  mkdirSync(demoHome, { recursive: true });
  const passphraseFile = join(demoHome, 'pulumi-passphrase');
  if (!existsSync(passphraseFile)) writeFileSync(passphraseFile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });

  await step('install the extension into the demo VS Code', () => installExtension(vsix, extDir, userDataDir));
  writeUserSettings(userDataDir, {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    // A run starts local processes that listen on ports (Pulumi's plugins, for one): a toast each otherwise.
    'remote.autoForwardPorts': false,
  }, { 'modelopsInfra.pulumiPath': pulumi });

  const server = await step(`start code-server on port ${port}`, () => startCodeServer({
    folder: demoFolder,
    port,
    extDir,
    userDataDir,
    logFile: join(demoHome, 'code-server.log'),
    env: {
      MODELOPS_HOME: demoHome,
      PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile,
      PULUMI_SKIP_UPDATE_CHECK: 'true',
    },
  }));

  if (screenshotMode) {
    try {
      await screenshot(server);
    } finally {
      await server.stop();
    }
    log(`timings: ${timings.map(([t, s]) => `${t} ${s.toFixed(1)}s`).join(', ')}`);
    return;
  }

  process.stdout.write(`\nModelOps Infra demo: open ${server.folderUrl}\n(code-server log: ${join(demoHome, 'code-server.log')}; Ctrl-C to stop)\n`);
  const shutdown = async () => {
    log('stopping…');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  server.child.on('exit', (code, signal) => {
    log(`code-server exited (${code ?? signal})`);
    process.exit(code ?? 1);
  });
}

async function screenshot(server) {
  const { launchBrowser, openWorkbench, screenshotDir, wantHeaded } = await import('../test/vscode/lib/workbench/browser.mjs');
  const browser = await launchBrowser({ headed: wantHeaded() });
  try {
    const wb = await step('open the workbench in Chromium', () => openWorkbench(browser, server.url, demoFolder));
    await step('open the ModelOps Infra view', async () => {
      await wb.openView('ModelOps Infra');
      await wb.setSidebarWidth(460).catch(() => {});
      await wb.waitForRows((rows) => rows.some((r) => r.label === 'cluster'), { timeout: 180_000 });
    });
    if (argv.includes('--up')) {
      await step('ModelOps: Up', async () => {
        await wb.runCommand('ModelOps: Up');
        await wb.waitForRows((rows) => rows.filter((r) => r.level === 1).every((r) => r.description === 'ready'), { timeout: 600_000 });
      });
    }
    const path = await wb.screenshot('demo');
    const rows = (await wb.treeRows()).filter((r) => r.level === 1);
    log(`rows: ${rows.map((r) => `${r.label}: ${r.description}`).join('; ')}`);
    process.stdout.write(`${path}\n`);
    void screenshotDir;
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  process.stderr.write(`demo: ${e.stack ?? e}\n`);
  process.exit(1);
});
