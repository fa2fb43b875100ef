#!/usr/bin/env node
// The README's test command: type checks, builds, then every suite in turn —
// the pure core, the engine suite on the real Pulumi CLI, and the real-VS-Code
// suite in code-server + Chromium. Ends with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (Number(process.versions.node.split('.')[0]) < 22) {
  // npm's `node` package puts Node 24 first on PATH; a later `npm install <pkg>` can prune its binary.
  console.error(`Tests need Node 22+, this is ${process.version}. Run "npm install" (or "npm rebuild node") in ${repo}.`);
  process.exit(1);
}
const only = process.argv.slice(2);

function sh(title, command, args) {
  process.stdout.write(`\n=== ${title}: ${command} ${args.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 28 });
  process.stdout.write(r.stdout ?? '');
  process.stdout.write(`=== ${title}: exit ${r.status} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return { status: r.status ?? 1, stdout: r.stdout ?? '' };
}

function counts(stdout) {
  const n = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(stdout)?.[1] ?? 0);
  return { passed: n('passing'), failed: n('failing'), pending: n('pending') };
}

const prep = [
  ['types', 'npx', ['tsc', '-p', '.', '--noEmit']],
  ['compile tests', 'npx', ['tsc', '-p', 'tsconfig.test.json']],
  ['build', 'node', ['esbuild.mjs']],
];
const suites = [
  ['core', 'npx', ['mocha', 'out/test/core/**/*.test.js']],
  ['engine', 'npx', ['mocha', '--timeout', '300000', 'out/test/engine/**/*.test.js']],
  ['azure', 'npx', ['mocha', '--timeout', '1800000', 'out/test/azure/**/*.test.js']],
];
if (existsSync(join(repo, 'test', 'vscode')) && readdirSync(join(repo, 'test', 'vscode')).some((f) => f.endsWith('.e2e.mjs'))) {
  suites.push(['vscode', 'npm', ['run', '--silent', 'test:vscode']]);
}

let failedSteps = 0;
for (const [title, command, args] of prep) if (sh(title, command, args).status !== 0) failedSteps++;
const total = { passed: 0, failed: 0, pending: 0 };
for (const [title, command, args] of suites) {
  if (only.length && !only.includes(title)) continue;
  const r = sh(title, command, args);
  const c = counts(r.stdout);
  total.passed += c.passed;
  total.failed += c.failed + (r.status !== 0 && c.failed === 0 ? 1 : 0);
  total.pending += c.pending;
}
// A skipped test is not a pass.
total.failed += total.pending + failedSteps;
console.log(`\n${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
