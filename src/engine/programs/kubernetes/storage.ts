/**
 * Storage of `provider: kubernetes`: an account you already have (Azure, or Azurite), named by its
 * connection string. The program makes sure the standard containers exist (never deletes anything)
 * and exports what the workspace and adaptive runs read.
 */
import { storageAccountOf } from '../../../core/connectionString';
import { STANDARD_CONTAINERS } from '../../../core/names';
import { ensureContainers } from '../../../probes/clients/blob';
import type { Pulumi, Outputs } from '../azure/context';
import type { ProgramContext } from '../types';

const CONTAINER_TIMEOUT_MS = 30_000;

function connectionStringOf(ctx: ProgramContext, env: NodeJS.ProcessEnv): string {
  const storage = ctx.config.storage!;
  if (storage.connectionString) return storage.connectionString;
  const name = storage.connectionStringEnv!;
  const value = env[name];
  if (!value) throw new Error(`${name} is not set (azure.yaml's \`storage.connection_string_env\`): export the storage account's connection string in it, then run up again.`);
  return value;
}

export async function storage(ctx: ProgramContext, p: Pulumi, env: NodeJS.ProcessEnv = process.env): Promise<Outputs> {
  const connectionString = connectionStringOf(ctx, env);
  const account = storageAccountOf(connectionString);
  if ('problem' in account) throw new Error(`the storage connection string is not usable: ${account.problem}.`);
  // A preview changes nothing, not even containers.
  if (!p.runtime.isDryRun()) await ensureContainers(connectionString, STANDARD_CONTAINERS, CONTAINER_TIMEOUT_MS);
  return {
    account_name: account.accountName,
    connection_string: p.secret(connectionString),
    primary_endpoint: `${account.blobEndpoint}/`,
    containers: [...STANDARD_CONTAINERS],
  };
}
