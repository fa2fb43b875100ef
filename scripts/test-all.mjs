#!/usr/bin/env node
// The README's test command. Three phases, each finished before the next starts:
//   setup   the tools the suites need (scripts/setup.mjs): reused when cached, else built
//   prep    type checks, test compile, bundle, and the .vsix the real-VS-Code suite installs
//   suites  setup scripts, unit tests (core and the pure parts of engine and extension), the engine suite on the real Pulumi CLI, the Azure
//           programs and health checks, the real-VS-Code suite in code-server + Chromium, and the
//           in-host suite (mocha inside the extension host of the VS Code server in code-server)
// Ends with where the time went and one "N passed, N failed" line. A skipped test is not a pass.
//
//   npm test                      everything
//   node scripts/test-all.mjs engine vscode    only these suites (and what they need)
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { minutesSeconds } from './clock.mjs';
import { counts, failureReports } from './mochaReport.mjs';
import { runSetup } from './setup.mjs';
import { cleanEnv, repoRoot as repo } from './setup/env.mjs';

if (Number(process.versions.node.split('.')[0]) < 22) {
  console.error(`Tests need Node 22+, this is ${process.version}. Run "npm install" in ${repo}: it brings the project's Node 24 and npm runs scripts with it.`);
  process.exit(1);
}

const mocha = join(repo, 'node_modules', 'mocha', 'bin', 'mocha.js');
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

/** Suites in the order they run; `needs`: setup parts; `vsix`: installs the packaged extension. */
const SUITES = [
  { name: 'setup', args: [mocha, 'test/setup/**/*.test.mjs'], needs: [] },
  { name: 'unit', args: [mocha, '--timeout', '20000', 'out/test/unit/**/*.test.js'], needs: [] },
  { name: 'engine', args: [mocha, '--timeout', '300000', 'out/test/engine/**/*.test.js'], needs: ['node', 'pulumi-cli', 'pulumi-kubernetes', 'kube-apiserver', 'actionlint'] },
  { name: 'azure', args: [mocha, '--timeout', '300000', 'out/test/azure/**/*.test.js'], needs: ['node', 'debian', 'kube-apiserver'] },
  { name: 'vscode', args: [mocha, '--timeout', '600000', 'test/vscode/*.e2e.mjs'], needs: ['node', 'debian', 'pulumi-cli', 'pulumi-kubernetes', 'kube-apiserver', 'code-server'], vsix: true },
  // Inside the extension host: the VS Code server in code-server runs test/integration/ (see its run.mjs).
  { name: 'inhost', args: [join(repo, 'test', 'integration', 'run.mjs')], needs: ['node', 'debian', 'pulumi-cli', 'code-server'] },
];

const only = process.argv.slice(2);
const unknown = only.filter((n) => !SUITES.some((s) => s.name === n));
if (unknown.length) {
  console.error(`unknown suite ${unknown.join(', ')}; suites: ${SUITES.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const selected = SUITES.filter((s) => !only.length || only.includes(s.name));
const timings = [];

function sh(title, args) {
  process.stdout.write(`\n=== ${title}: ${args.map((a) => a.replace(`${repo}/`, '')).join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: repo, env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 28 });
  process.stdout.write(r.stdout ?? '');
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`=== ${title}: exit ${r.status ?? r.signal} in ${Math.round(seconds)} s\n`);
  return { status: r.status ?? 1, stdout: r.stdout ?? '', seconds };
}

const startedAt = Date.now();

function printTimings() {
  const width = Math.max(...timings.map((t) => t.what.length)) + 2;
  // Setup parts run at the same time: the total is the wall clock, not their sum.
  const total = (Date.now() - startedAt) / 1000;
  console.log('\nwhere the time went');
  for (const t of timings) console.log(`  ${t.phase.padEnd(7)}${t.what.padEnd(width)}${minutesSeconds(t.seconds).padStart(6)}  ${t.note}`);
  console.log(`  ${'total'.padEnd(7 + width)}${minutesSeconds(total).padStart(6)}`);
}

const total = { passed: 0, failed: 0, pending: 0 };
const failures = [];
let failedSteps = 0;

const parts = [...new Set(selected.flatMap((s) => s.needs))];
try {
  if (parts.length) {
    process.stdout.write(`\n=== setup: ${parts.join(', ')}\n`);
    const t0 = Date.now();
    for (const r of await runSetup(parts)) timings.push({ phase: 'setup', what: r.title, seconds: r.seconds, note: r.action });
    if (parts.length > 1) timings.push({ phase: 'setup', what: 'all parts (at the same time)', seconds: (Date.now() - t0) / 1000, note: 'wall clock' });
  }
} catch (error) {
  console.error(`\n${error.message}`);
  console.log('\n0 passed, 1 failed (setup did not finish; no suite ran)');
  process.exit(1);
}

// Compiled tests of files renamed or deleted since the last run must not run again.
rmSync(join(repo, 'out'), { recursive: true, force: true });
const prep = [
  ['types', [tsc, '-p', '.', '--noEmit']],
  ['lint', [join(repo, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings', '0', 'src', 'test', 'bench']],
  ['compile tests', [tsc, '-p', 'tsconfig.test.json']],
  ['build', [join(repo, 'esbuild.mjs')]],
  ...(selected.some((s) => s.vsix) ? [['package', [join(repo, 'scripts', 'package.mjs')]]] : []),
];
for (const [title, args] of prep) {
  const r = sh(title, args);
  timings.push({ phase: 'prep', what: title, seconds: r.seconds, note: r.status === 0 ? '' : 'FAILED' });
  if (r.status !== 0) failedSteps++;
}

for (const suite of selected) {
  const r = sh(suite.name, suite.args);
  const c = counts(r.stdout);
  total.passed += c.passed;
  total.failed += c.failed + (r.status !== 0 && c.failed === 0 ? 1 : 0);
  total.pending += c.pending;
  timings.push({ phase: 'suite', what: suite.name, seconds: r.seconds, note: `${c.passed} passed, ${c.failed} failed${c.pending ? `, ${c.pending} skipped` : ''}` });
  if (c.failed) failures.push(...failureReports(r.stdout).map((report) => `--- ${suite.name}\n${report}`));
}
if (failures.length) console.log(`\nwhat failed (the suites' own reports, repeated)\n${failures.join('\n\n')}`);
printTimings();
total.failed += total.pending + failedSteps;
console.log(`\n${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
