/**
 * `provider: azure`: one Pulumi program per component, with @pulumi/azure-native
 * for Azure and @pulumi/kubernetes for what runs on AKS. The SDK modules are
 * required inside the programs, so loading the CLI does not load them.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { ComponentKind } from '../../../core/components';
import type { ProgramContext } from '../types';
import { azureContext, type AzureContext, type Outputs } from './context';

type AzureProgram = (ctx: AzureContext) => Outputs;

const PROGRAMS: Record<ComponentKind, () => AzureProgram> = {
  'resource-group': () => (require('./resourceGroup') as typeof import('./resourceGroup')).resourceGroup,
  registry: () => (require('./registry') as typeof import('./registry')).registry,
  cluster: () => (require('./cluster') as typeof import('./cluster')).cluster,
  storage: () => (require('./storage') as typeof import('./storage')).storage,
  workspace: () => (require('./workspace') as typeof import('./workspace')).workspace,
  adaptive: () => (require('./adaptive') as typeof import('./adaptive')).adaptive,
};

/** The Pulumi program of one component on Azure. */
export function azureProgram(ctx: ProgramContext, sdk: typeof pulumi): () => Promise<Outputs> {
  return async () => PROGRAMS[ctx.component.kind]()(azureContext(ctx, sdk));
}
