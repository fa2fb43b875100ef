/**
 * Keeps the cluster's context in the user's kubeconfig, as the original does on Azure
 * (src/core/kubeContext.ts): merged and selected after a cluster up, pruned after a cluster down,
 * so `kubectl` and `mops job submit` reach the cluster this tool manages. Only on Azure: on
 * `provider: kubernetes` the cluster is one the user's kubeconfig already has, and the local
 * provider's is not a cluster at all.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { UnknownStackError } from '../../core/errors';
import { contextNames, kubeconfigCandidates, kubeconfigTarget, mergeContext, pruneContext, type ContextNames } from '../../core/kubeContext';
import type { Engine } from '../engine';
import { KUBECONFIG_MAX_BYTES, readSmallFile, writeAtomically } from '../userFiles';
import { readOutputs } from '../outputReader';

const applies = (engine: Engine): boolean => engine.setup.config.provider === 'azure' && engine.setup.byName.has('cluster');
const homeOf = (env: NodeJS.ProcessEnv): string => env.HOME ?? homedir();
const readIfThere = (path: string): string | undefined => readSmallFile(path, 'a kubeconfig', KUBECONFIG_MAX_BYTES);
const firstLine = (error: unknown): string => (error as Error).message.split('\n')[0];

/** The cluster stack's kubeconfig (a secret; never logged); undefined when there is no stack or no such output. */
async function clusterKubeconfig(engine: Engine): Promise<string | undefined> {
  try {
    const value = (await readOutputs(engine, engine.component('cluster'), true)).kubeconfig?.value;
    return typeof value === 'string' && value.trim() ? value : undefined;
  } catch (error) {
    if (error instanceof UnknownStackError) return undefined;
    throw error;
  }
}

/** After an up in which the cluster's step succeeded: its context merged into the kubeconfig and selected. Never fails the run. */
export async function mergeKubeContext(engine: Engine, changed: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (!applies(engine) || !changed.includes('cluster')) return undefined;
  const file = kubeconfigTarget(env, homeOf(env), existsSync);
  try {
    const kubeconfig = await clusterKubeconfig(engine);
    if (!kubeconfig) return `kubeconfig not updated: the cluster has no kubeconfig output`;
    writeAtomically(file, mergeContext(readIfThere(file), kubeconfig, file), true);
    return `context ${contextNames(kubeconfig).context} merged into ${file} and selected`;
  } catch (error) {
    return `could not update ${file}, left as it was: ${firstLine(error)}`;
  }
}

/** Before a down that destroys the cluster: the names its context has, read while its stack still exists. */
export async function clusterContextBeforeDown(engine: Engine, destroying: readonly string[]): Promise<ContextNames | string | undefined> {
  if (!applies(engine) || !destroying.includes('cluster')) return undefined;
  try {
    const kubeconfig = await clusterKubeconfig(engine);
    return kubeconfig ? contextNames(kubeconfig) : undefined;
  } catch (error) {
    return `the cluster's context could not be read, so no kubeconfig is pruned: ${firstLine(error)}`;
  }
}

/** After the cluster's destroy succeeded: its context, cluster and user removed from every kubeconfig file that has them. */
export function pruneKubeContext(names: ContextNames | string | undefined, destroyed: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!names || !destroyed.includes('cluster')) return undefined;
  if (typeof names === 'string') return names;
  const notes: string[] = [];
  for (const file of kubeconfigCandidates(env, homeOf(env))) {
    try {
      const text = readIfThere(file);
      const pruned = text === undefined ? undefined : pruneContext(text, names, file);
      if (!pruned) continue;
      writeAtomically(file, pruned.text, true);
      notes.push(`context ${names.context} removed from ${file}`);
    } catch (error) {
      notes.push(`could not prune ${file}, left as it was: ${firstLine(error)}`);
    }
  }
  return notes.length ? notes.join('; ') : undefined;
}
