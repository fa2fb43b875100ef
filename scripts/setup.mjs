#!/usr/bin/env node
// Setup: everything the suites and the demo need, before any test or server starts.
// Each part is reused when its versioned cache entry is there, else built or installed
// (output into a log file; the error names the cause and the log). `npm test` and
// `npm start` run it first; no test ever builds or installs anything.
//
//   npm run setup                    every part
//   node scripts/setup.mjs --for demo   only what `npm start` needs
//   node scripts/setup.mjs --path pulumi-cli|pulumi-kubernetes|kube-apiserver|code-server|actionlint   print where a part is (exit 1 if not set up)
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolsCache } from './setup/cache.mjs';
import codeServer from './setup/code-server.mjs';
import debian from './setup/debian.mjs';
import actionlint from './setup/actionlint.mjs';
import kubeApiserver from './setup/kube-apiserver.mjs';
import node from './setup/node.mjs';
import pulumiCli from './setup/pulumi-cli.mjs';
import pulumiKubernetes from './setup/pulumi-kubernetes.mjs';

export const PARTS = { node, debian, 'pulumi-cli': pulumiCli, 'pulumi-kubernetes': pulumiKubernetes, 'kube-apiserver': kubeApiserver, 'code-server': codeServer, actionlint };

/** Which parts each entry point needs. */
export const NEEDS = {
  test: ['node', 'debian', 'pulumi-cli', 'pulumi-kubernetes', 'kube-apiserver', 'code-server', 'actionlint'],
  demo: ['node', 'debian', 'pulumi-cli', 'code-server'],
  bench: ['node', 'pulumi-cli'],
};

/** Parts that must be ready before a part starts (the rest run at the same time). */
const AFTER = { 'code-server': ['node', 'debian'], debian: ['node'] };

const width = Math.max(...Object.values(PARTS).map((p) => p.title.length)) + 2;
const say = (part, text) => process.stderr.write(`setup: ${part.title.padEnd(width)}${text}\n`);

async function ensure(part, stamp, signal) {
  const started = Date.now();
  const found = part.locate();
  if (found) {
    say(part, `reusing ${found}`);
    return { part: part.name, title: part.title, action: 'reused', seconds: (Date.now() - started) / 1000 };
  }
  const logFile = join(toolsCache(), 'logs', `${part.name}-${stamp}.log`);
  say(part, `building (first time: ${part.firstTime}; log: ${logFile})`);
  try {
    await part.build({ logFile, signal });
  } catch (error) {
    say(part, `FAILED after ${Math.round((Date.now() - started) / 1000)} s`);
    throw Object.assign(new Error(`setup of ${part.title} failed: ${error.message}`), { part: part.name });
  }
  const seconds = (Date.now() - started) / 1000;
  say(part, `ready in ${Math.round(seconds)} s`);
  return { part: part.name, title: part.title, action: 'built', seconds };
}

/**
 * Makes sure every named part is there, independent parts at the same time.
 * @returns {Promise<Array<{part, title, action: 'reused'|'built', seconds}>>} in the order given
 * @throws the first part's failure, after the parts already running have finished
 */
export async function runSetup(names = NEEDS.test, { signal } = {}) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const started = new Map();
  const start = (name) => {
    if (!started.has(name)) {
      const deps = (AFTER[name] ?? []).filter((d) => names.includes(d));
      started.set(name, Promise.all(deps.map(start)).then(() => ensure(PARTS[name], stamp, signal)));
    }
    return started.get(name);
  };
  const settled = await Promise.allSettled(names.map(start));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => s.value);
}

function cli(argv) {
  const at = argv.indexOf('--path');
  if (at >= 0) {
    const part = PARTS[argv[at + 1]];
    if (!part) throw new Error(`--path needs one of: ${Object.keys(PARTS).join(', ')}`);
    const found = part.locate();
    if (!found) throw new Error(`${part.title} is not set up: run \`npm run setup\``);
    process.stdout.write(`${found}\n`);
    return Promise.resolve();
  }
  const forAt = argv.indexOf('--for');
  const names = forAt >= 0 ? NEEDS[argv[forAt + 1]] : NEEDS.test;
  if (!names) throw new Error(`--for needs one of: ${Object.keys(NEEDS).join(', ')}`);
  const t0 = Date.now();
  // Ctrl-C or a kill stops every build and install this started.
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => stop.abort());
  return runSetup(names, { signal: stop.signal }).then(() => process.stderr.write(`setup: done in ${Math.round((Date.now() - t0) / 1000)} s (cache: ${toolsCache()})\n`));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await cli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`setup: ${error.message}\n`);
    process.exit(1);
  }
}
