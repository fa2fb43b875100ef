/**
 * Keeping it converged, measured: drift of 4 and 40 stacks checked several at a time (ours)
 * against one by one; and what the reconcile loop costs while everything is converged (CPU
 * seconds of one pass, per hour at the default interval) beside one `status`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_CONCURRENCY, DEFAULT_INTERVAL_SECONDS } from '../src/core/attempts';
import { Engine } from '../src/engine/engine';
import { checkDrift } from '../src/engine/operations/drift';
import { loadSetup } from '../src/engine/setup';

const REPO = resolve(__dirname, '..', '..');
const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

function configFor(runs: number): string {
  const adaptive = Array.from({ length: runs }, (_, i) => `  run${i}: { algorithm: optuna }`).join('\n');
  return `provider: local\nenvironment: bench\nstorage: {}\nworkspace:\n  apiVersion: modelops/v1\n  kind: Workspace\n  metadata: { name: bench }\n  spec: {}\nadaptive:\n${adaptive}\n`;
}

interface Box {
  dir: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
}

/** An environment provisioned for real on the local provider. */
function provisioned(runs: number, pulumi: string): Box {
  const dir = mkdtempSync(join(tmpdir(), 'mops-bench-drift-'));
  const configFile = join(dir, 'azure.yaml');
  writeFileSync(configFile, configFor(runs));
  const env = { ...process.env, MODELOPS_HOME: join(dir, 'home'), PULUMI_HOME: join(dir, 'pulumi-home'), MOPS_PULUMI: pulumi, PULUMI_CONFIG_PASSPHRASE: 'bench' };
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'mops-infra.js'), 'up', '--config', configFile], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`up for the drift bench failed: ${r.stdout.slice(-1500)}${r.stderr}`);
  return { dir, configFile, env };
}

async function driftTime(box: Box, concurrency: number): Promise<number> {
  const saved = { ...process.env };
  Object.assign(process.env, box.env);
  try {
    const engine = new Engine(loadSetup({ configFile: box.configFile }), () => undefined);
    const run = engine.start('drift', []);
    const snapshot = await engine.snapshot();
    const t = process.hrtime.bigint();
    const checks = await checkDrift(engine, run, engine.setup.components, snapshot, concurrency);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (checks.some((c) => c.note || c.drifted)) throw new Error(`drift bench: ${JSON.stringify(checks.filter((c) => c.note || c.drifted))}`);
    return ms;
  } finally {
    process.env = saved;
  }
}

/** CPU seconds (user + system) of a whole command and everything it waited for. */
function cpuSeconds(args: string[], env: NodeJS.ProcessEnv): number {
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (!m) throw new Error(`no CPU figure: ${r.stderr.slice(-500)}`);
  return Number(m[1]) + Number(m[2]);
}

export async function benchDrift(pulumi: string): Promise<void> {
  for (const runs of [1, 37]) {
    const box = provisioned(runs, pulumi);
    try {
      const stacks = runs + 3;
      const ours = await driftTime(box, DEFAULT_CONCURRENCY);
      const oneByOne = await driftTime(box, 1);
      console.log(`drift, ${String(stacks).padStart(2)} stacks   ours (${DEFAULT_CONCURRENCY} at a time) ${fmt(ours).padStart(9)}   one by one ${fmt(oneByOne).padStart(9)}   → ${(oneByOne / ours).toFixed(1)}× faster`);
      if (runs === 1) {
        const cli = join(REPO, 'bin', 'mops-infra.js');
        const pass = cpuSeconds([cli, 'reconcile', '--once', '--config', box.configFile], box.env);
        const status = cpuSeconds([cli, 'status', '--config', box.configFile], box.env);
        const perHour = pass * (3600 / DEFAULT_INTERVAL_SECONDS);
        console.log(`reconcile, ${stacks} stacks converged   one pass ${pass.toFixed(2)} CPU s → ${perHour.toFixed(0)} CPU s per hour at the default ${DEFAULT_INTERVAL_SECONDS} s interval   one status ${status.toFixed(2)} CPU s`);
      }
    } finally {
      rmSync(box.dir, { recursive: true, force: true, maxRetries: 5 });
    }
  }
}
