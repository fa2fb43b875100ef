/**
 * Azure Blob Storage reads for health, with fetch and node:crypto only: probe the
 * endpoint, and "List Containers" signed with the account key (SharedKey).
 */
import { createHmac } from 'node:crypto';
import { timed } from './kubernetes';

const API_VERSION = '2021-08-06';

export interface StorageConnection {
  account: string;
  key: string;
  /** Ends with `/`. */
  blobEndpoint: string;
}

/** Reads `AccountName`, `AccountKey` and `BlobEndpoint` or `DefaultEndpointsProtocol` + `EndpointSuffix`. */
export function parseConnectionString(text: string): StorageConnection | undefined {
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const account = parts.get('accountname');
  const key = parts.get('accountkey');
  if (!account || !key) return undefined;
  const endpoint = parts.get('blobendpoint') ?? `${parts.get('defaultendpointsprotocol') ?? 'https'}://${account}.blob.${parts.get('endpointsuffix') ?? 'core.windows.net'}/`;
  return { account, key, blobEndpoint: endpoint.endsWith('/') ? endpoint : `${endpoint}/` };
}

/** The SharedKey signature of a GET without a body (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key). */
export function sharedKeySignature(connection: StorageConnection, url: URL, headers: Record<string, string>): string {
  const msHeaders = Object.entries(headers)
    .map(([k, v]) => [k.toLowerCase(), v.trim()] as const)
    .filter(([k]) => k.startsWith('x-ms-'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}:${v}\n`)
    .join('');
  const params = [...url.searchParams.entries()]
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `\n${k}:${v}`)
    .join('');
  // Verb, then 11 standard headers we never send (Content-Length is empty for zero).
  const stringToSign = `GET\n${'\n'.repeat(11)}${msHeaders}/${connection.account}${url.pathname}${params}`;
  return createHmac('sha256', Buffer.from(connection.key, 'base64')).update(stringToSign, 'utf8').digest('base64');
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

/** Container names of the account (first page: up to 5000, far more than the four we create). */
export async function listContainers(connection: StorageConnection, timeoutMs: number): Promise<string[]> {
  const url = new URL(`${connection.blobEndpoint}?comp=list`);
  const headers: Record<string, string> = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': API_VERSION };
  headers.authorization = `SharedKey ${connection.account}:${sharedKeySignature(connection, url, headers)}`;
  return timed(`list containers of ${connection.account}`, timeoutMs, async (signal) => {
    const response = await fetch(url, { headers, signal });
    const body = await response.text();
    if (!response.ok) {
      const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
      throw Object.assign(new Error(`HTTP ${response.status}${code ? ` ${code}` : ''}`), { code: response.status, body: code ? `{"message":"${code}"}` : undefined });
    }
    const containers = /<Containers>([\s\S]*)<\/Containers>/.exec(body)?.[1] ?? '';
    return [...containers.matchAll(/<Container>\s*<Name>([^<]+)<\/Name>/g)].map((m) => m[1]);
  });
}
