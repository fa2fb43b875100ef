/** Azure Storage connection strings (`Key=value;…`): what the kubernetes provider's storage component exports from one. */

/** Azurite's well-known development account (public, documented): not a secret. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const AZURITE_BLOB_ENDPOINT = 'http://127.0.0.1:10000/devstoreaccount1';

export interface StorageAccount {
  accountName: string;
  blobEndpoint: string;
  /** The string holds credentials that are not Azurite's public development key. */
  holdsSecret: boolean;
}

/** The `Key=value` pairs, keys lowercased. */
export function connectionStringFields(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) map.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return map;
}

/** The account and blob endpoint a connection string names, or why it names none. */
export function storageAccountOf(text: string): StorageAccount | { problem: string } {
  const f = connectionStringFields(text);
  if (f.get('usedevelopmentstorage') === 'true') return { accountName: AZURITE_ACCOUNT, blobEndpoint: AZURITE_BLOB_ENDPOINT, holdsSecret: false };
  const explicit = f.get('blobendpoint')?.replace(/\/+$/, '');
  const accountName = f.get('accountname') ?? (explicit ? /^https?:\/\/([a-z0-9]+)\./.exec(explicit)?.[1] ?? explicit.split('/').pop() : undefined);
  if (!accountName) return { problem: 'it names no account: it needs `AccountName=…` (or a `BlobEndpoint=…`)' };
  if (!f.has('accountkey') && !f.has('sharedaccesssignature')) return { problem: 'it has no credentials: it needs `AccountKey=…` or `SharedAccessSignature=…`' };
  const blobEndpoint = explicit ?? `${f.get('defaultendpointsprotocol') ?? 'https'}://${accountName}.blob.${f.get('endpointsuffix') ?? 'core.windows.net'}`;
  return { accountName, blobEndpoint, holdsSecret: f.get('accountkey') !== AZURITE_KEY || f.has('sharedaccesssignature') };
}
