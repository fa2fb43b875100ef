/**
 * Benchmarks, printed side by side with their baselines:
 *   status of 4 and 40 stacks: ours (file backend read, in parallel, and the whole CLI)
 *     vs the naive way (per stack: select, outputs(), info(), one after another);
 *   up of the four-component graph with slow local steps vs the sum of its steps
 *     and vs its critical path;
 *   what the data guard costs a real change of a run, vs the same up unguarded (bench/dataGuard.ts);
 *   drift of 4 and 40 stacks vs one by one, and the reconcile loop's idle cost (bench/converge.ts);
 *   the Azure programs' mutation score, from the last `npm run mutation` (bench/mutation.ts).
 * Run: npm run bench
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadSetup } from '../src/engine/setup';
import { Engine } from '../src/engine/engine';
import { statusReport } from '../src/engine/operations/status';
import type { OperationEvent } from '../src/core/events';
import { benchActivation } from './activation';
import { benchDrift } from './converge';
import { benchDataGuard } from './dataGuard';
import { benchMutation } from './mutation';
import { seedStacks } from './seed';
import { benchTeams } from './teams';
import { setUpToolPath } from '../test/tools';

const REPO = resolve(__dirname, '..', '..');
const pulumi = setUpToolPath('pulumi-cli');
const auto = require('@pulumi/pulumi/automation') as typeof import('@pulumi/pulumi/automation');

function configFor(runs: number): string {
  const adaptive = Array.from({ length: runs }, (_, i) => `  run${i}: { algorithm: optuna }`).join('\n');
  return `provider: local\nenvironment: bench\nresource_group: bench-rg\nstorage: {}\nworkspace:\n  apiVersion: modelops/v1\n  kind: Workspace\n  metadata: { name: bench }\n  spec: {}\n${runs ? `adaptive:\n${adaptive}\n` : ''}`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - t) / 1e6];
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn))[1]);
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/** The naive way: for each stack in turn, select it, read outputs() and info(). */
async function naiveStatus(configFile: string, dir: string): Promise<void> {
  const setup = loadSetup({ configFile, pulumiPath: pulumi });
  const cmd = await auto.PulumiCommand.get({ root: dirname(dirname(pulumi)) });
  for (const c of setup.components) {
    const ws = await auto.LocalWorkspace.create({
      workDir: mkdtempSync(join(dir, 'naive-')),
      pulumiCommand: cmd,
      envVars: { ...setup.settings.pulumiEnv('write'), PULUMI_HOME: join(dir, 'pulumi-home') },
      projectSettings: { name: c.project, runtime: 'nodejs', backend: { url: setup.settings.backendUrl } },
    });
    const stack = await auto.Stack.select(c.stack, ws);
    await stack.outputs();
    await stack.info();
  }
}

async function benchStatus(runs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mops-bench-'));
  try {
    const configFile = join(dir, 'azure.yaml');
    writeFileSync(configFile, configFor(runs));
    process.env.PULUMI_CONFIG_PASSPHRASE = 'bench';
    await seedStacks(dir, configFile, pulumi);
    const setup = loadSetup({ configFile, pulumiPath: pulumi });
    const stacks = setup.components.length;
    const engine = new Engine(setup, () => undefined);
    const report = await statusReport(engine);
    if (report.components.some((c) => c.status !== 'ready')) throw new Error(`bench stacks not ready: ${JSON.stringify(report.components.map((c) => [c.name, c.status, c.reason]))}`);
    const ours = await median(9, () => statusReport(engine));
    const cli = await median(5, async () => {
      const r = spawnSync(process.execPath, [join(REPO, 'bin', 'mops-infra.js'), 'status', '--json', '--config', configFile], { env: process.env });
      if (r.status !== 0) throw new Error(r.stderr.toString());
    });
    const naive = await median(1, () => naiveStatus(configFile, dir));
    console.log(`status, ${String(stacks).padStart(2)} stacks   ours (in-process) ${fmt(ours).padStart(9)}   ours (whole CLI) ${fmt(cli).padStart(9)}   naive ${fmt(naive).padStart(9)}   → ${(naive / cli).toFixed(0)}× faster end to end`);
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

async function benchUp(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mops-bench-up-'));
  try {
    const configFile = join(dir, 'azure.yaml');
    const faults = ['cluster', 'storage', 'workspace', 'adaptive-default'].map((c) => `    ${c}:\n      step_delay_ms: 700`).join('\n');
    writeFileSync(configFile, `provider: local\nenvironment: bench\nstorage: {}\nworkspace:\n  apiVersion: modelops/v1\n  kind: Workspace\n  metadata: { name: bench }\n  spec: {}\nadaptive:\n  default: { algorithm: optuna }\nlocal:\n  faults:\n${faults}\n`);
    const r = spawnSync(process.execPath, [join(REPO, 'bin', 'mops-infra.js'), 'up', '--events', '--config', configFile], { env: { ...process.env, MODELOPS_HOME: join(dir, 'home'), PULUMI_HOME: join(dir, 'pulumi-home'), MOPS_PULUMI: pulumi }, encoding: 'utf8' });
    const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as OperationEvent);
    const done = events.find((e) => e.type === 'operation-done');
    if (!done || done.type !== 'operation-done' || done.result !== 'succeeded') throw new Error(`up failed: ${r.stdout.slice(-2000)} ${r.stderr}`);
    const step = (c: string) => (events.find((e) => e.type === 'step-done' && e.component === c) as Extract<OperationEvent, { type: 'step-done' }>).durationMs;
    const sum = ['cluster', 'storage', 'workspace', 'adaptive-default'].reduce((a, c) => a + step(c), 0);
    const critical = Math.max(step('cluster'), step('storage')) + step('workspace') + step('adaptive-default');
    console.log(`up, 4 components with 700 ms steps   ours ${fmt(done.durationMs).padStart(8)}   sum of steps ${fmt(sum).padStart(8)}   critical path ${fmt(critical).padStart(8)}   (ours/critical ${(done.durationMs / critical).toFixed(2)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** What an editor pays per keystroke (after its debounce): parse + diagnostics, vs the YAML library's parse alone. */
async function benchDiagnostics(): Promise<void> {
  const { parseConfig } = require('../src/core/config/parse') as typeof import('../src/core/config/parse');
  const { componentsFor } = require('../src/core/components') as typeof import('../src/core/components');
  const { readinessProblems } = require('../src/core/readinessProblems') as typeof import('../src/core/readinessProblems');
  const { parseDocument } = require('yaml') as typeof import('yaml');
  let text = 'provider: local\nenvironment: dev\nstorage: {}\nworkspace:\n  metadata: { name: w }\n  spec: {}\naks:\n  node_pools:\n';
  for (let i = 0; i < 249; i++) {
    text += `    - name: pool${i}\n      vm_size: Standard_D4s_v3\n      mode: ${i === 0 ? 'System' : 'User'}\n      min: 1\n      max: 5\n      labels:\n        modelops.io/role: cpu\n      taints: ["modelops.io/role=cpu:NoSchedule"]\n`;
  }
  const lines = text.split('\n').length;
  const full = async (): Promise<void> => {
    const parsed = parseConfig(text, 'azure.yaml');
    const components = componentsFor(parsed.config!, 'dev');
    const readiness = components.map((c) => ({ name: c.name, kind: c.kind, stack: c.stack, status: 'outputs-missing' as const, reason: '', missingOutputs: c.requiredOutputs.map((o) => o.name), dependsOn: [], outputs: [], verifiedAt: '' }));
    readinessProblems(parsed, components, readiness);
  };
  for (let i = 0; i < 5; i++) await full();
  const ours = await median(21, full);
  const yamlOnly = await median(21, async () => void parseDocument(text));
  console.log(`diagnostics, ${lines}-line azure.yaml   ours (parse + rules + readiness problems) ${fmt(ours).padStart(8)}   yaml.parseDocument alone ${fmt(yamlOnly).padStart(8)}`);
}

/** Every part, in order; `npm run bench -- teams drift` runs only those. */
const PARTS: Record<string, () => unknown> = {
  activation: benchActivation,
  diagnostics: benchDiagnostics,
  status: async () => (await benchStatus(0), await benchStatus(36)),
  up: benchUp,
  guard: () => benchDataGuard(pulumi),
  drift: () => benchDrift(pulumi),
  teams: () => benchTeams(pulumi),
  mutation: benchMutation,
};

async function main(): Promise<void> {
  const chosen = process.argv.slice(2);
  const unknown = chosen.filter((p) => !(p in PARTS));
  if (unknown.length) throw new Error(`no benchmark part ${unknown.join(', ')}; the parts: ${Object.keys(PARTS).join(', ')}`);
  console.log(`node ${process.version}, pulumi ${pulumi}`);
  for (const [name, run] of Object.entries(PARTS)) if (!chosen.length || chosen.includes(name)) await run();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
