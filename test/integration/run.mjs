#!/usr/bin/env node
// The in-host suite here: the VS Code server inside code-server, started with
// --enable-smoke-test-driver, and the web workbench opened in Chromium with the extension
// under development (this repository, its dist/) and the compiled suite in its URL's
// `payload` — the way VS Code's own "Extension Development Host" window opens in a browser.
// The suite runs in the server's extension host; its report is written to a file (printed
// here as it grows) and its verdict comes back through the workbench's `codeAutomationExit`.
// Three sessions: a trusted folder, a Restricted Mode one on the stacks the first one made, and a
// folder without azure.yaml whose config is the original modelops's ~/.modelops/modelops.yaml.
//
//   node test/integration/run.mjs        (npm test runs it as the `inhost` suite)
//   MOPS_KEEP=1                          keep the temp folders (printed)
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pulumiCliPath } from '../../scripts/setup/pulumi-cli.mjs';
import { projectNode } from '../../scripts/setup/env.mjs';
import { startCodeServer } from '../../scripts/vscode-server.mjs';
import { launchBrowser, wantHeaded } from '../vscode/lib/workbench/base.mjs';
import { prepareWorkspace, repoRoot, suiteDir } from './workspace.mjs';

const SESSION_TIMEOUT_MS = 15 * 60_000;

function requireBuilt() {
  for (const file of [join(repoRoot, 'dist', 'extension.js'), join(suiteDir(repoRoot), 'index.js')]) {
    try {
      statSync(file);
    } catch {
      throw new Error(`${file} is missing: \`npm test\` builds it (or run \`npm run build && npm run compile-tests\`)`);
    }
  }
}

/** Prints what the report file gained since `from`; returns the new length. */
function relay(report, from) {
  const text = readFileSync(report, 'utf8');
  if (text.length > from) process.stdout.write(text.slice(from));
  return text.length;
}

async function runSession(session, ws) {
  const server = await startCodeServer({ extDir: ws.extDir, userDataDir: ws.userDataDir, env: ws.env, trust: session === 'restricted', logFile: join(ws.root, 'server.log'), extensionTests: true });
  const browser = await launchBrowser({ headed: wantHeaded() });
  let printed = 0;
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    let exited;
    const verdict = new Promise((resolve) => (exited = resolve));
    // VS Code's web extension service calls these on the window when the tests end (IAutomatedWindow).
    await page.exposeFunction('codeAutomationExit', (code) => exited(code));
    await page.exposeFunction('codeAutomationLog', () => undefined);
    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(suiteDir(repoRoot))],
    ];
    await page.goto(`${server.url}?folder=${encodeURIComponent(ws.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const ticker = setInterval(() => (printed = relay(ws.report, printed)), 500);
    const code = await Promise.race([verdict, new Promise((resolve) => setTimeout(() => resolve('timeout'), SESSION_TIMEOUT_MS))]);
    clearInterval(ticker);
    printed = relay(ws.report, printed);
    if (code === 'timeout') throw new Error(`the ${session} session gave no verdict within ${SESSION_TIMEOUT_MS / 60_000} min; server log: ${join(ws.root, 'server.log')}`);
    if (!printed) throw new Error(`the ${session} session ended (exit ${code}) without running the suite; server log:\n${server.log().split('\n').slice(-30).join('\n')}`);
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

/** Ends what a session left running in its folder (a CLI run the extension host started and the server's stop orphaned). */
function killLeftovers(ws) {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // gone
    }
    if (Number(pid) !== process.pid && cmdline.includes(ws.root)) {
      process.stderr.write(`in-host suite: ending a leftover process of the ${ws.env.MOPS_INTEGRATION_SESSION} session: ${cmdline.replaceAll('\0', ' ').slice(0, 160)}\n`);
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}

function cleanUp(ws) {
  killLeftovers(ws);
  if (process.env.MOPS_KEEP === '1') process.stderr.write(`kept ${ws.root}\n`);
  else rmSync(ws.root, { recursive: true, force: true });
}

requireBuilt();
let failed = 0;
const done = [];
// The restricted session opens the trusted one's MODELOPS_HOME: the stacks its Up made. The
// originals session opens a folder without azure.yaml, for a user of the original modelops.
for (const session of ['trusted', 'restricted', 'originals']) {
  process.stdout.write(`\nin-host suite, ${session} session (VS Code server in code-server, Chromium)\n`);
  try {
    const ws = prepareWorkspace(session, { pulumi: pulumiCliPath(), node: projectNode().node, home: session === 'restricted' ? done[0]?.home : undefined });
    done.push(ws);
    if ((await runSession(session, ws)) !== 0) failed++;
  } catch (error) {
    failed++;
    process.stdout.write(`\n  1 failing\n\n  ${error.message}\n`);
  }
}
done.forEach(cleanUp);
process.exit(failed ? 1 : 0);
