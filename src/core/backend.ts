/**
 * Which Pulumi backend a URL names, and how to reach it, by Pulumi's own rules. A `file://`
 * backend and an `azblob://` one are DIY backends with the same layout (`.pulumi/stacks/`,
 * `.pulumi/history/`, `.pulumi/locks/`), so both are read directly; any other backend
 * (s3, gs, Pulumi Cloud) goes through the Pulumi CLI. For `azblob://` the service URL and the
 * credential follow gocloud's azureblob opener, which Pulumi uses: the URL's query options
 * `domain`, `protocol`, `localemu`, `storage_account`, and the AZURE_STORAGE_* variables. Pure.
 */
import { ModelOpsError } from './errors';
import { fileBackendDir } from './paths';
import { EXIT } from './exitCodes';

type Env = Readonly<Record<string, string | undefined>>;

/** How an azblob backend is signed into, in gocloud's order. */
export type BlobCredential =
  | { kind: 'shared-key'; accountName: string; accountKey: string }
  | { kind: 'sas'; token: string }
  | { kind: 'connection-string'; connectionString: string }
  | { kind: 'default' };

export interface BlobBackend {
  kind: 'azblob';
  /** The container that holds `.pulumi/`. */
  container: string;
  /** `https://<account>.blob.core.windows.net`, or `http://127.0.0.1:10000/<account>` for an emulator. */
  serviceUrl: string;
  accountName: string;
  credential: BlobCredential;
}

export type Backend = { kind: 'file'; dir: string } | BlobBackend | { kind: 'cli'; url: string };

/** A backend URL that names something unusable, with what is wrong (nothing was changed). */
export class BackendUrlError extends ModelOpsError {
  readonly code = 'backend-url';
  readonly exitCode = EXIT.invalidInput;
}

function flag(value: string | null | undefined): boolean {
  return value !== undefined && value !== null && /^(1|t|true)$/i.test(value);
}

/** Account name and protocol a connection string gives (gocloud reads them the same way). */
function fromConnectionString(cs: string): { accountName?: string; protocol?: string } {
  const pairs = new Map(cs.split(';').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')).trim().toLowerCase(), kv.slice(kv.indexOf('=') + 1).trim()] as const));
  return { accountName: pairs.get('accountname'), protocol: pairs.get('defaultendpointsprotocol') };
}

function credentialOf(env: Env, accountName: string): BlobCredential {
  const connectionString = env.AZURE_STORAGE_CONNECTION_STRING || env.AZURE_STORAGEBLOB_CONNECTIONSTRING;
  if (accountName && env.AZURE_STORAGE_KEY) return { kind: 'shared-key', accountName, accountKey: env.AZURE_STORAGE_KEY };
  if (env.AZURE_STORAGE_SAS_TOKEN) return { kind: 'sas', token: env.AZURE_STORAGE_SAS_TOKEN.replace(/^\?/, '') };
  if (connectionString) return { kind: 'connection-string', connectionString };
  return { kind: 'default' };
}

/** `azblob://CONTAINER?domain=…&protocol=…&localemu=…&storage_account=…` with the environment's AZURE_STORAGE_*. */
export function blobBackend(url: string, env: Env): BlobBackend {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BackendUrlError(`backend URL "${url}" cannot be parsed; the form is azblob://CONTAINER?domain=…&protocol=…`);
  }
  const container = decodeURIComponent(parsed.hostname || parsed.pathname.replace(/^\/+/, '').split('/')[0]);
  if (!container) throw new BackendUrlError(`backend URL "${url}" names no container: azblob://CONTAINER`);
  const q = parsed.searchParams;
  const cs = env.AZURE_STORAGE_CONNECTION_STRING || env.AZURE_STORAGEBLOB_CONNECTIONSTRING;
  const fromCs = cs ? fromConnectionString(cs) : {};
  const accountName = q.get('storage_account') || env.AZURE_STORAGE_ACCOUNT || fromCs.accountName || '';
  const protocol = q.get('protocol') || env.AZURE_STORAGE_PROTOCOL || fromCs.protocol || 'https';
  if (protocol !== 'http' && protocol !== 'https') throw new BackendUrlError(`backend URL "${url}": protocol must be http or https, not "${protocol}"`);
  const domain = q.get('domain') || env.AZURE_STORAGE_DOMAIN || 'blob.core.windows.net';
  const emulator = flag(q.get('localemu')) || flag(env.AZURE_STORAGE_IS_LOCAL_EMULATOR) || /^(127\.0\.0\.1|localhost)/.test(domain);
  if (!accountName && !cs) throw new BackendUrlError(`backend URL "${url}" names no storage account: set AZURE_STORAGE_ACCOUNT (or add ?storage_account=NAME)`);
  const serviceUrl = emulator ? `${protocol}://${domain}/${accountName}` : `${protocol}://${accountName}.${domain}`;
  return { kind: 'azblob', container, serviceUrl, accountName, credential: credentialOf(env, accountName) };
}

/** What a backend URL names: a local folder, a blob container, or something only the CLI reads. */
export function backendOf(url: string, env: Env): Backend {
  const dir = fileBackendDir(url);
  if (dir) return { kind: 'file', dir };
  if (url.startsWith('azblob://')) return blobBackend(url, env);
  return { kind: 'cli', url };
}

/** The backend as a person reads it, without any secret: `azblob://state (devstoreaccount1 at http://127.0.0.1:10000)`. */
export function describeBackend(backend: Backend): string {
  switch (backend.kind) {
    case 'file':
      return `file://${backend.dir}`;
    case 'azblob':
      return `azblob://${backend.container} at ${backend.serviceUrl} (${backend.credential.kind})`;
    case 'cli':
      return backend.url.replace(/\?.*$/, '');
  }
}
