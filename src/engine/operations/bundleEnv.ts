/**
 * Keeps `~/.modelops/bundle-env/<env>.yaml` current, as the original does after `infra up` and
 * `down` (src/core/bundleEnv.ts): `mops job submit` and modelops-bundle read the registry and
 * the bundle storage from it, and would otherwise use stale values once this tool manages the
 * environment. Only on Azure: the file names an ACR and an Azure account, and another provider's
 * environment must never overwrite (or delete) the one a user's Azure environment wrote.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleEnvFile, type Outputs } from '../../core/bundleEnv';
import { UnknownStackError } from '../../core/errors';
import type { Engine } from '../engine';
import { writeAtomically } from '../userFiles';
import { readOutputs } from '../outputReader';

export function bundleEnvPath(modelopsHome: string, env: string): string {
  return join(modelopsHome, 'bundle-env', `${env}.yaml`);
}

/** Every output's value (secrets too: the file holds the connection string); none when there is no such stack. Other read failures throw. */
async function outputsOf(engine: Engine, name: string): Promise<Outputs> {
  const component = engine.setup.byName.get(name);
  if (!component) return {};
  try {
    return Object.fromEntries(Object.entries(await readOutputs(engine, component, true)).map(([k, o]) => [k, o.value]));
  } catch (error) {
    if (error instanceof UnknownStackError) return {};
    throw error;
  }
}

/**
 * After a run that changed the registry or storage (`changed`: components whose up or destroy
 * succeeded): writes the file, or removes it when either is gone. Returns what it did, for the
 * run's summary; never fails the run (a problem is said instead).
 */
export async function keepBundleEnv(engine: Engine, changed: readonly string[]): Promise<string | undefined> {
  const { setup } = engine;
  if (setup.config.provider !== 'azure' || !changed.some((n) => n === 'registry' || n === 'storage')) return undefined;
  const path = bundleEnvPath(setup.settings.modelopsHome, setup.env);
  try {
    const [registry, storage] = await Promise.all([outputsOf(engine, 'registry'), outputsOf(engine, 'storage')]);
    const file = bundleEnvFile(setup.env, registry, storage, new Date());
    if ('text' in file) {
      writeAtomically(path, file.text);
      return `wrote ${path} for mops job submit`;
    }
    if (!existsSync(path)) return undefined;
    rmSync(path);
    return `removed ${path} (no ${file.missing.join(' or ')} outputs)`;
  } catch (error) {
    // A read that failed is not a registry or storage that is gone: the file stays as it was.
    return `could not update ${path}, left as it was: ${(error as Error).message.split('\n')[0]}`;
  }
}
