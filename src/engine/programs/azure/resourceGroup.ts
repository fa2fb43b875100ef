/** The resource group every other Azure component lives in. Managed outright: no adoption, no protect. */
import type * as resources from '@pulumi/azure-native/resources';
import { resourceGroupNameFor } from '../../../core/names';
import type { AzureContext, Outputs } from './context';

export function resourceGroup(ctx: AzureContext): Outputs {
  const { ResourceGroup } = require('@pulumi/azure-native/resources') as typeof resources;
  const name = resourceGroupNameFor(ctx.config, ctx.env);
  const rg = new ResourceGroup(
    'resource-group-rg',
    { resourceGroupName: name, location: ctx.config.location, tags: ctx.tags('resource-group') },
    ctx.azureOptions(),
  );
  return { resource_group_name: rg.name, resource_group_id: rg.id, location: rg.location, environment: ctx.env };
}
