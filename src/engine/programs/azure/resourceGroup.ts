/** The resource group every other Azure component lives in. Managed outright: no adoption, no protect. */
import type * as resources from '@pulumi/azure-native/resources';
import { resourceGroupName } from '../../../core/names';
import type { AzureContext, Outputs } from './context';

/** The configured `resource_group`, else the original's `modelops-{env}-rg[-{user}]`. */
export function resourceGroupNameOf(ctx: Pick<AzureContext, 'config' | 'env' | 'user'>): string {
  return ctx.config.resourceGroup ?? resourceGroupName(ctx.env, ctx.user);
}

export function resourceGroup(ctx: AzureContext): Outputs {
  const { ResourceGroup } = require('@pulumi/azure-native/resources') as typeof resources;
  const name = resourceGroupNameOf(ctx);
  const rg = new ResourceGroup(
    'resource-group-rg',
    { resourceGroupName: name, location: ctx.config.location, tags: ctx.tags('resource-group') },
    { provider: ctx.azure() },
  );
  return { resource_group_name: rg.name, resource_group_id: rg.id, location: rg.location, environment: ctx.env };
}
