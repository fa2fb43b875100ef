/** Storage account with the standard containers, a lifecycle rule, and both connection strings exported. */
import type * as storageModule from '@pulumi/azure-native/storage';
import { STANDARD_CONTAINERS, storageAccountNameFor } from '../../../core/names';
import { str, type AzureContext, type Outputs } from './context';

/**
 * A fixed SAS window: the token is an HMAC of these fields, so fixed dates give the
 * same token on every run (the original's "now - 5 min" start changed it each time).
 */
export const SAS_START = '2025-01-01T00:00:00Z';
export const SAS_EXPIRY = '2030-01-01T00:00:00Z';
export const SAS_CONTAINER = 'bundle-blobs';
export const WORKSPACE_RETENTION_DAYS = 7;

/** `core.windows.net` from `https://acct.blob.core.windows.net/` (other clouds have other suffixes). */
export function endpointSuffix(blobEndpoint: string): string {
  return /\.blob\.([^/]+)/.exec(blobEndpoint)?.[1] ?? 'core.windows.net';
}

/**
 * Bundles and results are block blobs. A premium StorageV2 account holds page blobs only, so premium
 * means a BlockBlobStorage account (which has no access tier); standard SKUs are StorageV2, Hot.
 */
export function accountKindOf(sku: string): { sku: { name: string }; kind: string; accessTier?: 'Hot' } {
  return sku.startsWith('Premium_') ? { sku: { name: sku }, kind: 'BlockBlobStorage' } : { sku: { name: sku }, kind: 'StorageV2', accessTier: 'Hot' };
}

export function storage(ctx: AzureContext): Outputs {
  const st = require('@pulumi/azure-native/storage') as typeof storageModule;
  const opts = ctx.azureOptions();
  const name = storageAccountNameFor(ctx.config, ctx.env, { existing: ctx.kept?.storageAccountName });
  const resourceGroupName = str(ctx.from('resource-group', 'resource_group_name'));
  const account = new st.StorageAccount(
    'storage-account',
    {
      accountName: name,
      resourceGroupName,
      location: ctx.config.storage?.location ?? str(ctx.from('resource-group', 'location')),
      ...accountKindOf(ctx.config.storage?.sku ?? 'Standard_LRS'),
      allowBlobPublicAccess: false,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      tags: ctx.tags('storage'),
    },
    opts,
  );
  const containers = STANDARD_CONTAINERS.map(
    (container) => new st.BlobContainer(`${container}-container`, { containerName: container, accountName: account.name, resourceGroupName, publicAccess: 'None' }, opts),
  );
  new st.ManagementPolicy(
    'storage-lifecycle-policy',
    {
      managementPolicyName: 'default',
      accountName: account.name,
      resourceGroupName,
      policy: {
        rules: [
          {
            name: 'delete-workspace-blobs',
            enabled: true,
            type: 'Lifecycle',
            definition: {
              filters: { blobTypes: ['blockBlob'], prefixMatch: ['workspace/'] },
              actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: WORKSPACE_RETENTION_DAYS } } },
            },
          },
        ],
      },
    },
    opts,
  );

  const keys = st.listStorageAccountKeysOutput({ accountName: account.name, resourceGroupName }, opts);
  const blobEndpoint = account.primaryEndpoints.apply((e) => e.blob);
  const connectionString = ctx.p
    .all([keys, blobEndpoint])
    .apply(([k, endpoint]) => `DefaultEndpointsProtocol=https;AccountName=${name};AccountKey=${k.keys[0]?.value ?? ''};EndpointSuffix=${endpointSuffix(endpoint)}`);
  const sas = st.listStorageAccountServiceSASOutput(
    {
      accountName: account.name,
      resourceGroupName,
      canonicalizedResource: `/blob/${name}/${SAS_CONTAINER}`,
      resource: 'c',
      permissions: 'rl',
      protocols: 'https',
      sharedAccessStartTime: SAS_START,
      sharedAccessExpiryTime: SAS_EXPIRY,
    },
    { ...opts, dependsOn: containers },
  );
  const sasConnectionString = ctx.p.all([sas, blobEndpoint]).apply(([s, endpoint]) => `BlobEndpoint=${endpoint};SharedAccessSignature=${s.serviceSasToken}`);

  return {
    account_name: account.name,
    resource_group: resourceGroupName,
    connection_string: ctx.p.secret(connectionString),
    sas_connection_string: ctx.p.secret(sasConnectionString),
    primary_endpoint: blobEndpoint,
    containers: [...STANDARD_CONTAINERS],
    sas_container: SAS_CONTAINER,
    sas_expiry: SAS_EXPIRY,
    location: account.location,
    environment: ctx.env,
  };
}
