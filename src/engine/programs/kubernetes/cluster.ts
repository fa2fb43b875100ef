/**
 * The cluster of `provider: kubernetes`: one you already have. Nothing is created or destroyed; the
 * program reads the kubeconfig azure.yaml names, checks that the API answers and accepts it, and
 * exports one self-contained context of it (a secret) for the workspace and adaptive runs.
 */
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { KubeconfigError, selectCluster, type ClusterAccess } from '../../../core/kubeconfig';
import { KubeReader } from '../../../probes/clients/kubernetes';
import type { Pulumi, Outputs } from '../azure/context';
import type { ProgramContext } from '../types';
import { KUBECONFIG_MAX_BYTES, readSmallFile } from '../../userFiles';

const API_TIMEOUT_MS = 15_000;

function readIfThere(path: string): string | undefined {
  try {
    return readSmallFile(path, 'a kubeconfig', KUBECONFIG_MAX_BYTES);
  } catch (error) {
    throw new KubeconfigError((error as Error).message);
  }
}

export function clusterAccess(ctx: ProgramContext, env: NodeJS.ProcessEnv = process.env): ClusterAccess {
  const k = ctx.config.kubernetes;
  return selectCluster({ configured: k?.kubeconfig, context: k?.context, configDir: dirname(ctx.configFile), env, home: env.HOME ?? homedir() }, readIfThere);
}

/** The API answers and accepts the credentials, or the reason it does not (never the credentials). */
async function verifyAnswers(access: ClusterAccess): Promise<string> {
  const reader = new KubeReader(access.kubeconfig, API_TIMEOUT_MS);
  try {
    const version = await reader.version();
    await reader.authenticate();
    return version;
  } catch (error) {
    throw new Error(`the cluster of context "${access.context}" (${access.server}, from ${access.file}) gave no usable answer: ${(error as Error).message}. Check that it is running and that \`kubectl --context ${access.context} get ns\` works.`);
  }
}

export async function cluster(ctx: ProgramContext, p: Pulumi): Promise<Outputs> {
  const access = clusterAccess(ctx);
  const version = await verifyAnswers(access);
  return {
    kubeconfig: p.secret(access.kubeconfig),
    cluster_name: access.clusterName,
    server: access.server,
    context: access.context,
    kubeconfig_file: access.file,
    kubernetes_version: version,
  };
}
