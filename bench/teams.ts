/**
 * Status of 4 and 40 stacks shared in Azure Blob Storage (Azurite, the real Storage API), read
 * straight from the container (ours), beside the same stacks on a file backend and beside
 * reading the container through the Pulumi CLI (two CLI processes per stack). Goal: azblob
 * within 2× of the file backend. "azblob" is a status of an unchanged environment, as the
 * extension and CI repeat it (what was read before is kept by version); "a first read" is one on
 * a machine that has read nothing of this container yet.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Engine } from '../src/engine/engine';
import { statusReport } from '../src/engine/operations/status';
import { loadSetup } from '../src/engine/setup';
import { Azurite } from '../test/azurite';
import { seedStacks } from './seed';

const REPO = resolve(__dirname, '..', '..');
const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

function configFor(runs: number): string {
  const adaptive = Array.from({ length: runs }, (_, i) => `  run${i}: { algorithm: optuna }`).join('\n');
  return `provider: local\nenvironment: bench\nresource_group: bench-rg\nstorage: {}\nworkspace:\n  apiVersion: modelops/v1\n  kind: Workspace\n  metadata: { name: bench }\n  spec: {}\n${runs ? `adaptive:\n${adaptive}\n` : ''}`;
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** Medians of `blob` and `file`, run in turns (one warm-up each first). */
async function alternating(runs: number, blob: () => Promise<void>, file: () => Promise<void>): Promise<{ blobWhole: number; fileWhole: number }> {
  await blob();
  await file();
  const times = { blob: [] as number[], file: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.blob.push(await median(1, blob));
    times.file.push(await median(1, file));
  }
  const mid = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { blobWhole: mid(times.blob), fileWhole: mid(times.file) };
}

/** `mops-infra status --json` as a whole process, the way a terminal or the extension runs it. */
function cliStatus(configFile: string, env: NodeJS.ProcessEnv): Promise<void> {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'mops-infra.js'), 'status', '--json', '--config', configFile], { env });
  if (r.status !== 0) throw new Error(`status: ${r.stderr.toString()}${r.stdout.toString().slice(0, 500)}`);
  return Promise.resolve();
}

async function benchOne(runs: number, pulumi: string, azurite: Azurite): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mops-bench-teams-'));
  const saved = { ...process.env };
  try {
    const configFile = join(dir, 'azure.yaml');
    writeFileSync(configFile, configFor(runs));
    const container = `bench${runs}`;
    await azurite.createContainer(container);
    const blobEnv = { ...process.env, ...azurite.env, PULUMI_CONFIG_PASSPHRASE: 'bench', PULUMI_BACKEND_URL: azurite.backendUrl(container), MODELOPS_HOME: join(dir, 'home'), MOPS_PULUMI: pulumi };
    const fileEnv = { ...blobEnv, PULUMI_BACKEND_URL: `file://${join(dir, 'file-backend')}` };
    for (const env of [blobEnv, fileEnv]) {
      process.env = { ...saved, ...env };
      await seedStacks(dir, configFile, pulumi);
    }
    process.env = { ...saved, ...blobEnv };
    const setup = loadSetup({ configFile, pulumiPath: pulumi });
    const stacks = setup.components.length;
    const viaCli = new Engine({ ...setup, settings: { ...setup.settings, backend: { kind: 'cli', url: setup.settings.backendUrl } } }, () => undefined);
    const report = await statusReport(new Engine(setup, () => undefined));
    if (report.components.some((c) => c.status !== 'ready')) throw new Error(`bench stacks not ready: ${JSON.stringify(report.components.map((c) => [c.name, c.status, c.reason]))}`);
    const blob = await median(9, () => statusReport(new Engine(setup, () => undefined)));
    const cli = await median(1, () => statusReport(viaCli));
    // Whole processes, azblob and file taking turns, so both see the same machine (it is shared).
    const { blobWhole, fileWhole } = await alternating(9, () => cliStatus(configFile, blobEnv), () => cliStatus(configFile, fileEnv));
    // The first read on a machine: nothing kept yet of what the container holds (DigestCache).
    const blobFirst = await median(3, () => {
      rmSync(join(dir, 'home', 'cache'), { recursive: true, force: true });
      return cliStatus(configFile, blobEnv);
    });
    process.env = { ...saved, ...fileEnv };
    const fileSetup = loadSetup({ configFile, pulumiPath: pulumi });
    const file = await median(9, () => statusReport(new Engine(fileSetup, () => undefined)));
    console.log(
      `status on azblob, ${String(stacks).padStart(2)} stacks   ours (in-process) ${fmt(blob).padStart(9)}   file backend ${fmt(file).padStart(9)}   through the Pulumi CLI ${fmt(cli).padStart(9)}   ` +
        `whole CLI: azblob ${fmt(blobWhole).padStart(9)}, file ${fmt(fileWhole).padStart(9)} (${(blobWhole / fileWhole).toFixed(1)}×; azblob on a first read ${fmt(blobFirst)})`,
    );
  } finally {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

export async function benchTeams(pulumi: string): Promise<void> {
  const azurite = await Azurite.start();
  try {
    await benchOne(0, pulumi, azurite);
    await benchOne(36, pulumi, azurite);
  } finally {
    await azurite.stop();
  }
}
