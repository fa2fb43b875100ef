/** Stacks for the benchmarks, made straight through the Automation API (fast to set up). */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileBackendDir } from '../src/core/paths';
import { loadSetup } from '../src/engine/setup';
import type { Component } from '../src/core/components';
import { consumedKey, CONSUMED_OUTPUT, DIGESTS_OUTPUT, digestKey, outputDigest, outputsReadByOthers } from '../src/core/freshness';

const auto = require('@pulumi/pulumi/automation') as typeof import('@pulumi/pulumi/automation');
const sdk = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');

/** The freshness records an update of ours leaves beside the outputs (src/core/freshness.ts), all current. */
function freshnessRecords(components: readonly Component[], c: Component, key: Buffer): Record<string, unknown> {
  const digest = (from: string, output: string) => outputDigest(key, `${from}.${output}-value`);
  const read = outputsReadByOthers(components, c.name);
  const consumed = Object.fromEntries(c.uses.flatMap((u) => u.outputs.map((o) => [consumedKey(u.from, o), digest(u.from, o)])));
  return {
    ...(read.length ? { [DIGESTS_OUTPUT]: Object.fromEntries(read.map((o) => [o, digest(c.name, o)])) } : {}),
    ...(Object.keys(consumed).length ? { [CONSUMED_OUTPUT]: consumed } : {}),
  };
}

/** Stacks with every required output, made straight through the Automation API (fast to set up). */
export async function seedStacks(dir: string, configFile: string, pulumi: string): Promise<void> {
  process.env.MODELOPS_HOME = join(dir, 'home');
  const setup = loadSetup({ configFile, pulumiPath: pulumi });
  const cmd = await auto.PulumiCommand.get({ root: dirname(dirname(pulumi)) });
  const local = fileBackendDir(setup.settings.backendUrl);
  if (local) mkdirSync(local, { recursive: true });
  // One key for every bench stack: only equality of digests matters to the readers measured.
  const benchKey = await digestKey('bench', 'bench');
  const pending = [...setup.components];
  const worker = async (): Promise<void> => {
    for (let c = pending.shift(); c; c = pending.shift()) {
      const outputs = { ...Object.fromEntries(c.requiredOutputs.map((o) => [o.name, o.secret ? sdk.secret(`${o.name}-value`) : `${o.name}-value`])), ...freshnessRecords(setup.components, c, benchKey) };
      const ws = await auto.LocalWorkspace.create({
        program: async () => outputs,
        workDir: mkdtempSync(join(dir, 'wd-')),
        pulumiCommand: cmd,
        envVars: { ...setup.settings.pulumiEnv('write'), PULUMI_HOME: join(dir, 'pulumi-home') },
        projectSettings: { name: c.project, runtime: 'nodejs', backend: { url: setup.settings.backendUrl } },
      });
      await (await auto.Stack.createOrSelect(c.stack, ws)).up();
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

