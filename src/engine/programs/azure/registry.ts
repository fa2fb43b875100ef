/** Azure Container Registry with the admin user, whose credentials the workspace uses to pull bundles. */
import type * as containerregistry from '@pulumi/azure-native/containerregistry';
import { registryNameFor } from '../../../core/names';
import { DEFAULT_BUNDLE_REPO } from '../../../core/config/services';
import { registryComponentName, str, type AzureContext, type Outputs } from './context';

export function registry(ctx: AzureContext): Outputs {
  const cr = require('@pulumi/azure-native/containerregistry') as typeof containerregistry;
  const name = registryNameFor(ctx.config, ctx.env, { existing: ctx.kept?.registryName });
  const resourceGroupName = str(ctx.from('resource-group', 'resource_group_name'));
  const acr = new cr.Registry(
    `${registryComponentName(ctx)}-acr`,
    {
      registryName: name,
      resourceGroupName,
      location: str(ctx.from('resource-group', 'location')),
      sku: { name: ctx.config.registry?.sku ?? ctx.config.acr?.sku ?? 'Standard' },
      adminUserEnabled: true,
      tags: ctx.tags('registry'),
    },
    ctx.azureOptions(),
  );
  // Read after the registry exists (its name only resolves then), through the same provider.
  const credentials = cr.listRegistryCredentialsOutput({ registryName: acr.name, resourceGroupName }, { provider: ctx.azure() });
  return {
    login_server: acr.loginServer,
    registry_name: acr.name,
    registry_id: acr.id,
    provider: 'azure',
    requires_auth: true,
    bundles_pull_username: credentials.apply((c) => c.username ?? ''),
    bundles_pull_password: ctx.p.secret(credentials.apply((c) => c.passwords?.[0]?.value ?? '')),
    bundle_repo: ctx.config.registry?.bundleRepo ?? DEFAULT_BUNDLE_REPO,
  };
}
