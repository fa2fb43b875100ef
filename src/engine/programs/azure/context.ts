/** What every Azure program shares: the SDK, the azure-native provider, stack references, tags, the original's component. */
import type * as pulumi from '@pulumi/pulumi';
import type * as azureNative from '@pulumi/azure-native/provider';
import type { ComponentKind } from '../../../core/components';
import type { ProgramContext } from '../types';
import { effectiveSubscription } from '../../../core/preflight';

export type Pulumi = typeof pulumi;
export type Outputs = Record<string, unknown>;

export interface AzureContext extends ProgramContext {
  p: Pulumi;
  user?: string;
  /** Lazily created explicit azure-native provider, pinned to `subscription_id` (not whatever `az` defaults to). */
  azure(): pulumi.ProviderResource;
  /** `requireOutput` of a component this one depends on (the orchestrator has verified it exists). */
  from(component: string, output: string): pulumi.Output<unknown>;
  has(component: string): boolean;
  tags(component: string): Record<string, string>;
  /**
   * The component the original's program made for this stack. Every resource is its child, with the
   * original's logical name, so its URN is the one in the original's state (see `ORIGINAL_COMPONENTS`).
   */
  parent(): pulumi.ComponentResource;
  /** Options for an Azure resource: the pinned provider, the original's component as parent. */
  azureOptions(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
}

/**
 * The original's component per stack (its `super().__init__(type, name)` and the name its service
 * passed). A user's state made by the original then upgrades in place: same URNs, no create-plus-delete.
 */
export const ORIGINAL_COMPONENTS: Record<ComponentKind, (ctx: ProgramContext) => { type: string; name: string }> = {
  'resource-group': () => ({ type: 'modelops:azure:ResourceGroup', name: 'resource-group' }),
  registry: (ctx) => ({ type: 'modelops:infra:registry', name: registryComponentName(ctx) }),
  cluster: () => ({ type: 'modelops:infra:cluster', name: 'modelops' }),
  storage: () => ({ type: 'modelops:infra:storage', name: 'storage' }),
  workspace: () => ({ type: 'modelops:workspace:dask', name: 'dask' }),
  adaptive: (ctx) => ({ type: 'modelops:adaptive:infra', name: ctx.component.run! }),
};

/** `registry.name`, else the original's `RegistryService.create(name="modelops-registry")`. */
export const registryComponentName = (ctx: Pick<ProgramContext, 'config'>): string => ctx.config.registry?.name ?? 'modelops-registry';

export function azureContext(ctx: ProgramContext, p: Pulumi): AzureContext {
  let provider: pulumi.ProviderResource | undefined;
  let component: pulumi.ComponentResource | undefined;
  const refs = new Map<string, pulumi.StackReference>();
  const azure = (): pulumi.ProviderResource => {
    if (!provider) {
      const { Provider } = require('@pulumi/azure-native/provider') as typeof azureNative;
      provider = new Provider('azure', { subscriptionId: subscriptionOf(ctx.config, process.env) });
    }
    return provider;
  };
  const parent = (): pulumi.ComponentResource => {
    const { type, name } = ORIGINAL_COMPONENTS[ctx.component.kind](ctx);
    return (component ??= new p.ComponentResource(type, name));
  };
  return {
    ...ctx,
    p,
    user: ctx.config.username,
    azure,
    parent,
    azureOptions: (extra = {}) => ({ provider: azure(), parent: parent(), ...extra }),
    from(component, output) {
      const target = ctx.componentsByName.get(component);
      if (!target) throw new Error(`${ctx.component.name} needs the "${component}" component, which this config does not describe`);
      let ref = refs.get(component);
      if (!ref) refs.set(component, (ref = new p.StackReference(target.reference)));
      return ref.requireOutput(output);
    },
    has: (component) => ctx.componentsByName.has(component),
    tags: (component) => ({
      'managed-by': 'modelops',
      project: 'modelops',
      component,
      environment: ctx.env,
      ...(ctx.config.username ? { user: ctx.config.username } : {}),
    }),
  };
}

/**
 * The subscription every Azure resource goes into: `subscription_id`, else AZURE_SUBSCRIPTION_ID (as the
 * original). Never left to azure-native, which would fall back to ARM_SUBSCRIPTION_ID or az's default.
 */
export function subscriptionOf(config: Pick<ProgramContext['config'], 'subscriptionId'>, env: NodeJS.ProcessEnv): string {
  const { id } = effectiveSubscription(config, env);
  if (!id) throw new Error('no Azure subscription: azure.yaml has no `subscription_id` and AZURE_SUBSCRIPTION_ID is not set. Add `subscription_id: <GUID>` (`az account show --query id -o tsv`) or export AZURE_SUBSCRIPTION_ID.');
  return id;
}

/** `requireOutput` values are `unknown`; Azure and Kubernetes inputs want strings. */
export const str = (value: pulumi.Output<unknown>): pulumi.Output<string> => value.apply((v) => String(v));
