// Shared set-up for the end-to-end suite: one real code-server (VS Code 1.139)
// per session, our packaged extension installed into it, the real Pulumi engine,
// the local provider, and a Chromium page driven through the page object in lib/workbench/.
//
// Each session gets a fresh temp folder holding:
//   workspace/azure.yaml   the config under test
//   home/                  MODELOPS_HOME (file backend, local-cloud, passphrase)
//   ext/, data/            code-server extensions dir and user-data-dir
//
// Environment knobs (see docs/testing-vscode.md):
//   MOPS_VSIX=path         use this .vsix instead of ./modelops-infra.vsix (which `npm test` packages)
//   MOPS_PULUMI=path       use this Pulumi CLI instead of the one setup built
//   MOPS_HEADED=1          show the browser (needs a display, e.g. xvfb-run)
//   MOPS_KEEP=1            keep temp folders (printed) after the run
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerBin } from '../../../scripts/setup/code-server.mjs';
import { pulumiCliPath } from '../../../scripts/setup/pulumi-cli.mjs';
import { installExtension, repoRoot, startCodeServer, writeUserSettings } from '../../../scripts/vscode-server.mjs';
import { launchBrowser, openWorkbench, waitFor, wantHeaded } from './workbench/browser.mjs';

export { waitFor };

export const COMPONENTS = ['cluster', 'storage', 'workspace', 'adaptive-default'];
export const PASSPHRASE = 'e2e-passphrase-not-secret';

const log = (m) => process.stderr.write(`      · ${m}\n`);

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Throws unless `file` ends with a zip end-of-central-directory record (i.e. is not half-written). */
async function installCheck(file) {
  const size = statSync(file).size;
  const n = Math.min(size, 65_557);
  const buf = Buffer.alloc(n);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, n, size - n);
  } finally {
    closeSync(fd);
  }
  if (buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) < 0) throw new Error(`${file} is not a complete zip (being packaged?)`);
}

let prepared;
/**
 * Once per mocha process: the .vsix, the Pulumi CLI and code-server, all made before the
 * suite (setup and `npm test`'s packaging step). Nothing is built or installed here: a
 * missing or stale piece fails at once, saying what to run.
 */
export function prepare() {
  prepared ??= (async () => {
    const started = Date.now();
    codeServerBin();
    let vsix = process.env.MOPS_VSIX;
    if (!vsix) {
      vsix = join(repoRoot, 'modelops-infra.vsix');
      if (!existsSync(vsix)) throw new Error(`${vsix} is missing: \`npm test\` packages it first (or run \`npm run build && npm run package\`)`);
      const newest = Math.max(newestMtime(join(repoRoot, 'src')), statSync(join(repoRoot, 'package.json')).mtimeMs);
      if (statSync(vsix).mtimeMs < newest) throw new Error(`${vsix} is older than src/: \`npm test\` repackages it (or run \`npm run build && npm run package\`)`);
    }
    // Snapshot the .vsix: every session of this run installs the same build, even
    // if someone repackages in the meantime.
    const snapshotDir = mkdtempSync(join(tmpdir(), 'mops-e2e-vsix-'));
    process.on('exit', () => rmSync(snapshotDir, { recursive: true, force: true }));
    const snapshot = join(snapshotDir, 'modelops-infra.vsix');
    for (let i = 0; ; i++) {
      copyFileSync(vsix, snapshot);
      try {
        await installCheck(snapshot);
        break;
      } catch (e) {
        if (i >= 5) throw e;
        await new Promise((r) => setTimeout(r, 5000));
      }
    }
    vsix = snapshot;
    const pulumi = process.env.MOPS_PULUMI || pulumiCliPath();
    if (!existsSync(pulumi)) throw new Error(`MOPS_PULUMI is ${pulumi}, which does not exist`);
    log(`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s: ${vsix}, pulumi ${pulumi}`);
    return { vsix, pulumi };
  })();
  return prepared;
}

/** Machine-scoped settings (Machine/settings.json in code-server): the Pulumi CLI. */
export function machineSettings(pulumi) {
  return { 'modelopsInfra.pulumiPath': pulumi };
}

/** User settings every session uses: a quiet workbench. */
export function baseSettings() {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'files.autoSave': 'off',
    'editor.minimap.enabled': false,
    // One output line = one rendered line, so the output channel reads back as written.
    '[log]': { 'editor.wordWrap': 'off' },
    'output.wordWrap': false,
    'window.commandCenter': false,
    'redhat.telemetry.enabled': false,
    // Each local server a run starts would raise a "port forwarded" toast over the ones a step reads.
    'remote.autoForwardPorts': false,
  };
}

/**
 * An azure.yaml for the local provider with cluster, storage, workspace and one
 * adaptive run (`adaptive-default`). `faults` maps component → {omit_outputs,
 * fail_after_resources, step_delay_ms}.
 */
export function configYaml({ faults = {}, environment = 'e2e' } = {}) {
  const lines = [
    'provider: local',
    `environment: ${environment}`,
    'storage: {}',
    'workspace:',
    '  apiVersion: modelops/v1',
    '  kind: Workspace',
    '  metadata:',
    '    name: demo',
    '  spec:',
    '    scheduler:',
    '      image: ghcr.io/institutefordiseasemodeling/modelops-dask-scheduler:latest',
    '    workers:',
    '      image: ghcr.io/institutefordiseasemodeling/modelops-dask-worker:latest',
    '      replicas: 2',
    'adaptive:',
    '  default:',
    '    algorithm: optuna',
  ];
  const entries = Object.entries(faults);
  if (entries.length) {
    lines.push('local:', '  faults:');
    for (const [component, f] of entries) {
      lines.push(`    ${component}:`);
      if (f.omit_outputs) lines.push(`      omit_outputs: [${f.omit_outputs.join(', ')}]`);
      if (f.fail_after_resources !== undefined) lines.push(`      fail_after_resources: ${f.fail_after_resources}`);
      if (f.step_delay_ms !== undefined) lines.push(`      step_delay_ms: ${f.step_delay_ms}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** 1-based line of the first line starting with `prefix` (e.g. 'provider:'). */
export function lineOf(text, prefix) {
  const i = text.split('\n').findIndex((l) => l.startsWith(prefix));
  return i < 0 ? undefined : i + 1;
}

/**
 * Starts one session: temp workspace with `yaml`, fresh MODELOPS_HOME (or `home`
 * to reuse one), our extension, code-server, Chromium, the workbench page.
 * `trust: true` starts code-server WITHOUT --disable-workspace-trust. `env`: more variables for the
 * server and so for the extension host, the CLI and Pulumi (e.g. a PATH with a provider plugin).
 */
export async function startSession({ name = 'session', yaml = configYaml(), trust = false, root, home, env = {} } = {}) {
  const { vsix, pulumi } = await prepare();
  const t0 = Date.now();
  root ??= mkdtempSync(join(tmpdir(), `mops-e2e-${name}-`));
  const folder = join(root, 'workspace');
  home ??= join(root, 'home');
  const id = `${Date.now().toString(36)}`;
  const extDir = join(root, `ext-${id}`);
  const userDataDir = join(root, `data-${id}`);
  mkdirSync(folder, { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(join(folder, 'azure.yaml'), yaml);
  await installExtension(vsix, extDir, userDataDir);
  writeUserSettings(userDataDir, baseSettings(), machineSettings(pulumi));
  const server = await startCodeServer({
    folder,
    extDir,
    userDataDir,
    trust,
    logFile: join(root, `code-server-${id}.log`),
    env: {
      MODELOPS_HOME: home,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      ...env,
    },
  });
  const tServer = Date.now();
  const browser = await launchBrowser({ headed: wantHeaded() });
  let wb;
  try {
    wb = await openWorkbench(browser, server.url, folder);
    wb.userDataDir = userDataDir;
  } catch (e) {
    await browser.close().catch(() => {});
    await server.stop();
    throw e;
  }
  log(`session ${name}: code-server ${((tServer - t0) / 1000).toFixed(1)} s, workbench ${((Date.now() - tServer) / 1000).toFixed(1)} s (${root})`);
  const session = {
    root, folder, home, server, browser, wb, extDir, userDataDir,
    configPath: join(folder, 'azure.yaml'),
    /** Rewrites azure.yaml on disk (as another editor or git would). */
    writeConfig(text) {
      writeFileSync(join(folder, 'azure.yaml'), text);
    },
    async stop({ keepRoot = process.env.MOPS_KEEP === '1' } = {}) {
      await wb.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.stop().catch(() => {});
      if (!keepRoot) rmSync(root, { recursive: true, force: true });
      else log(`kept ${root}`);
    },
  };
  return session;
}

/** Top-level component rows (label → row) of the ModelOps Components view. */
export async function componentRows(wb) {
  const rows = (await wb.treeRows()).filter((r) => r.level === 1);
  return Object.fromEntries(rows.map((r) => [r.label, r]));
}

/** Is the row showing a run of ours ("queued", "up… 0:12", "destroying… 0:03") or another's ("busy")? */
export function isBusy(row) {
  return /^(queued\b|[\w -]+… \d+:\d\d)/.test(row.description) || row.status === 'busy';
}

/** Waits until each listed component row satisfies `want` (status word, RegExp on description, or predicate). */
export async function waitForComponents(wb, expected, { timeout = 300_000 } = {}) {
  const ok = (row, want) => {
    if (!row) return false;
    if (typeof want === 'function') return want(row);
    if (want instanceof RegExp) return want.test(row.description);
    return row.status === want && !isBusy(row);
  };
  let rows;
  await waitFor(async () => {
    rows = await componentRows(wb);
    return Object.entries(expected).every(([label, want]) => ok(rows[label], want));
  }, {
    timeout,
    interval: 500,
    message: `components ${JSON.stringify(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, String(v)])))}`,
    describe: async () => JSON.stringify(Object.values(await componentRows(wb)).map((r) => `${r.label}: ${r.description}`)),
  });
  return rows;
}

/** Opens the ModelOps view and waits until it lists all four components (any status). */
export async function openComponents(wb, { timeout = 180_000, components = COMPONENTS } = {}) {
  await wb.openView('ModelOps Infra');
  await wb.setSidebarWidth(460).catch(() => {});
  return waitForComponents(wb, Object.fromEntries(components.map((c) => [c, () => true])), { timeout });
}

/**
 * Mocha helpers: screenshot on failure, skip the remaining steps of a scenario
 * once one failed (they describe one user's journey).
 */
export function scenarioHooks(getSession) {
  let failed = false;
  beforeEach(function () {
    if (failed) this.skip();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      // A step titled "… [independent]" checks something later steps do not rely on.
      if (!this.currentTest.title.includes('[independent]')) failed = true;
      const s = getSession();
      if (s?.wb) {
        const path = await s.wb.failureScreenshot(this.currentTest.fullTitle());
        if (path) log(`failure screenshot: ${path}`);
      }
    }
  });
}
