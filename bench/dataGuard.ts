/**
 * What the data guard costs a real change: `up` of an adaptive run whose workers changed (an
 * update in place of what can hold data, so the guard looks first: its state protects what holds
 * data, so the look is the preview Pulumi's own `up` runs before it changes anything) against the
 * same up with --allow-replace (no preview: the unguarded path). Alternated, median of each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
const ROUNDS = 3;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const configFor = (replicas: number): string =>
  `provider: local\nenvironment: bench\nstorage: {}\nworkspace:\n  apiVersion: modelops/v1\n  kind: Workspace\n  metadata: { name: bench }\n  spec: {}\nadaptive:\n  run: { algorithm: optuna, workers: { replicas: ${replicas} } }\n`;

export async function benchDataGuard(pulumi: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mops-bench-guard-'));
  const configFile = join(dir, 'azure.yaml');
  const env = { ...process.env, MODELOPS_HOME: join(dir, 'home'), PULUMI_HOME: join(dir, 'pulumi-home'), MOPS_PULUMI: pulumi, PULUMI_CONFIG_PASSPHRASE: 'bench' };
  const up = (replicas: number, extra: string[] = []): number => {
    writeFileSync(configFile, configFor(replicas));
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(REPO, 'bin', 'mops-infra.js'), 'up', 'adaptive-run', '--config', configFile, ...extra], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`up for the guard bench failed: ${r.stdout.slice(-1500)}${r.stderr}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  try {
    up(1);
    const guarded: number[] = [];
    const unguarded: number[] = [];
    let replicas = 1;
    for (let i = 0; i < ROUNDS; i++) {
      guarded.push(up(++replicas));
      unguarded.push(up(++replicas, ['--allow-replace']));
    }
    const [g, u] = [median(guarded), median(unguarded)];
    console.log(`up of a changed run (update in place)   guarded (Pulumi's preview in its up) ${(g / 1000).toFixed(2)} s   unguarded (--allow-replace) ${(u / 1000).toFixed(2)} s   → ${(g / u).toFixed(2)}×`);
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}
