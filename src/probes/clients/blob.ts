/**
 * Azure Blob Storage for health, and the one write `provider: kubernetes` storage makes (the
 * standard containers, created when missing): probe the endpoint, and list the account's containers
 * through Microsoft's `@azure/storage-blob` (every page, its retries, any connection string —
 * account key or SAS — else `DefaultAzureCredential` from `@azure/identity` on the endpoint).
 * The SDK is loaded only when a check runs; no key is ever logged.
 */
import type * as storage from '@azure/storage-blob';
import type { BlobCredential } from '../../core/backend';
import { connectionStringFields } from '../../core/connectionString';
import { CallFailure, timed } from './kubernetes';

/** How to reach the account: its connection string, or only its endpoint (then Entra ID signs in). */
export type StorageAccess = { connectionString: string } | { endpoint: string };

/** The account a connection string names, for messages (never its key). */
export function accountOf(connectionString: string): string | undefined {
  return connectionStringFields(connectionString).get('accountname') || undefined;
}

/**
 * A Blob Storage client signed in as `credential` says (the one place that builds them: the
 * state reader and the health checks). The SDKs are loaded on first use.
 */
export function blobServiceClient(serviceUrl: string, credential: BlobCredential, retry: { maxTries: number; tryTimeoutInMs?: number }): storage.BlobServiceClient {
  return withoutFormDataPolicy(signedClient(serviceUrl, credential, { retryOptions: retry }));
}

function signedClient(serviceUrl: string, credential: BlobCredential, options: storage.StoragePipelineOptions): storage.BlobServiceClient {
  const sdk = require('@azure/storage-blob') as typeof storage;
  switch (credential.kind) {
    case 'shared-key':
      return new sdk.BlobServiceClient(serviceUrl, new sdk.StorageSharedKeyCredential(credential.accountName, credential.accountKey), options);
    case 'sas':
      return new sdk.BlobServiceClient(`${serviceUrl}?${credential.token}`, undefined, options);
    case 'connection-string':
      return sdk.BlobServiceClient.fromConnectionString(credential.connectionString, options);
    case 'default': {
      const identity = require('@azure/identity') as typeof import('@azure/identity');
      return new sdk.BlobServiceClient(serviceUrl, new identity.DefaultAzureCredential(), options);
    }
  }
}

/**
 * No Blob Storage request sends a form, yet core-rest-pipeline's formDataPolicy looks at the
 * global `FormData` on every request, and that first look makes Node load its fetch
 * implementation (undici): about 40 ms of every CLI run on an azblob backend. The policy is
 * dropped from the pipeline the client and every client made from it share, where
 * @azure/storage-blob 12 keeps it (`pipeline._corePipeline`); anywhere else, left as it is.
 */
function withoutFormDataPolicy(client: storage.BlobServiceClient): storage.BlobServiceClient {
  const shared = client as unknown as { pipeline?: { _corePipeline?: { removePolicy(options: { name: string }): unknown } } };
  shared.pipeline?._corePipeline?.removePolicy({ name: 'formDataPolicy' });
  return client;
}

function service(access: StorageAccess): storage.BlobServiceClient {
  return 'connectionString' in access
    ? blobServiceClient('', { kind: 'connection-string', connectionString: access.connectionString }, { maxTries: 2 })
    : blobServiceClient(access.endpoint, { kind: 'default' }, { maxTries: 2 });
}

/** Any HTTP answer proves the endpoint is there (403 without credentials is the usual one). */
export async function probeEndpoint(endpoint: string, timeoutMs: number): Promise<number> {
  const url = new URL(endpoint);
  url.searchParams.set('comp', 'list');
  return timed(`GET ${url.origin}`, timeoutMs, async (signal) => {
    const response = await fetch(url, { signal, redirect: 'manual' });
    await response.body?.cancel();
    return response.status;
  });
}

/** Every container name of the account (all pages). A service error keeps its HTTP status and code. */
export async function listContainers(access: StorageAccess, timeoutMs: number): Promise<string[]> {
  const what = `list containers of ${'connectionString' in access ? (accountOf(access.connectionString) ?? 'the account') : new URL(access.endpoint).host}`;
  return timed(what, timeoutMs, async (abortSignal) => {
    const names: string[] = [];
    try {
      for await (const container of service(access).listContainers({ abortSignal })) names.push(container.name);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      const code = (error as { code?: string }).code;
      // As the health checks classify any HTTP answer: the status, and the service's own code.
      // Signed in as ourselves (Entra ID), a refusal speaks of our role, not of the account.
      if ((status === 401 || status === 403) && !('connectionString' in access)) throw new CallFailure('no-credentials', `${what}: HTTP ${status}${code ? ` (${code})` : ''}: this identity may not list containers`);
      if (typeof status === 'number') throw Object.assign(new Error(`HTTP ${status}`), { code: status, body: code ? `{"message":"${code}"}` : undefined });
      // No Entra ID credential on this machine: the check cannot conclude either way.
      if ((error as Error)?.name === 'CredentialUnavailableError' || (error as Error)?.name === 'AggregateAuthenticationError') {
        throw new CallFailure('no-credentials', `${what}: no Azure credential here (${(error as Error).message.split('\n')[0]})`);
      }
      throw error;
    }
    return names;
  });
}

/** Creates the containers that are not there yet (never deletes or changes one). */
export async function ensureContainers(connectionString: string, names: readonly string[], timeoutMs: number): Promise<void> {
  const what = `create the containers of ${accountOf(connectionString) ?? 'the account'}`;
  await timed(what, timeoutMs, async (abortSignal) => {
    const client = service({ connectionString });
    for (const name of names) await client.getContainerClient(name).createIfNotExists({ abortSignal });
  });
}
