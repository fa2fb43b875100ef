/**
 * Reads the facts preflight judges (src/core/preflight.ts) from Azure Resource Manager through the
 * Azure SDK for JavaScript: provider registrations, compute usage and VM sizes, global name
 * availability, the region's Kubernetes versions. All reads run at once, each with a time limit;
 * one that cannot be made (no credentials, not allowed, no answer) makes its checks `unknown`, with
 * why. The SDKs load only when preflight runs.
 */
import type { TokenCredential } from '@azure/core-auth';
import { resourceGroupNameFor, storageAccountNameFor, registryNameFor } from '../../core/names';
import type { InfraConfig, NodePoolConfig } from '../../core/config/types';
import {
  effectiveSubscription,
  grantsClusterPull,
  judgeKubernetesVersion,
  judgeRoleAssignmentRights,
  judgeName,
  judgeProviders,
  judgeQuota,
  judgeSubscription,
  known,
  requiredProviders,
  unknownFact,
  type Fact,
  type KubernetesVersion,
  type NameStatus,
  type PreflightCheck,
  type QuotaUsage,
  type RbacPermission,
  type VmSize,
} from '../../core/preflight';
import { nodePoolsOf } from '../../core/nodePools';

export interface ArmAccess {
  /** Defaults to a service principal from ARM_CLIENT_ID/ARM_CLIENT_SECRET/ARM_TENANT_ID (as azure-native reads them), else DefaultAzureCredential. */
  credential?: TokenCredential;
  /** Resource Manager's endpoint: https://management.azure.com unless MODELOPS_ARM_ENDPOINT says otherwise (sovereign clouds). */
  endpoint?: string;
  /** CA certificates to trust for that endpoint (a TLS-inspecting proxy's, say). */
  ca?: string;
  timeoutMs?: number;
}

/**
 * The checks for creating `creating` (component names): the subscription and its providers always;
 * quota, VM sizes and the Kubernetes version only when the cluster is created (AKS checks them only
 * then); a global name only when its registry or storage account is created.
 */
export async function azurePreflight(config: InfraConfig, env: string, creating: ReadonlySet<string>, vars: NodeJS.ProcessEnv, access: ArmAccess = {}): Promise<PreflightCheck[]> {
  const { id: subscriptionId, source } = effectiveSubscription(config, vars);
  const subscription = judgeSubscription(subscriptionId, source);
  if (!subscriptionId) return [subscription];
  const arm = armReader(subscriptionId, vars, access);
  const location = config.location;
  const pools = nodePoolsOf(config.aks);
  const namespaces = requiredProviders(config);
  const skipped = Promise.resolve(unknownFact<never>('not created by this run'));
  const cluster = creating.has('cluster');
  // Names are checked only for what this run creates: new stacks, whose names have the subscription in them.
  const registryName = registryNameFor(config, env, { subscription: subscriptionId });
  const storageName = storageAccountNameFor(config, env, { subscription: subscriptionId });
  const group = resourceGroupNameFor(config, env);
  const rights = cluster && grantsClusterPull(config);
  const [providers, sizes, usage, versions, registry, storage, permissions] = await Promise.all([
    Promise.all(namespaces.map(async (ns) => [ns, await arm.fact(`provider ${ns}`, (c, signal) => c.providerState(signal, ns))] as const)),
    cluster ? arm.fact('VM sizes', (c, signal) => c.vmSizes(signal, location, pools)) : skipped,
    cluster ? arm.fact('compute usage', (c, signal) => c.usage(signal, location)) : skipped,
    cluster ? arm.fact('Kubernetes versions', (c, signal) => c.kubernetesVersions(signal, location)) : skipped,
    creating.has('registry') ? arm.fact('registry name', (c, signal) => c.registryName(signal, registryName)) : skipped,
    creating.has('storage') ? arm.fact('storage account name', (c, signal) => c.storageName(signal, storageName)) : skipped,
    rights ? arm.fact('role assignment rights', (c, signal) => c.permissions(signal, group)) : skipped,
  ]);
  const checks = [subscription, judgeProviders(new Map(providers))];
  if (cluster) checks.push(...judgeQuota(pools, sizes, usage), judgeKubernetesVersion(config.aks?.kubernetesVersion, versions));
  if (rights) checks.push(judgeRoleAssignmentRights(group, permissions, config.registry ? ['registry'] : ['acr']));
  if (creating.has('registry')) checks.push(judgeName('registry', registryName, registry, config.registry ? ['registry'] : ['acr'], !config.registry?.registryName));
  if (creating.has('storage')) checks.push(judgeName('storage account', storageName, storage, ['storage'], !config.storage?.accountName));
  return checks;
}

/** The role assignment check alone: `up` makes it again before the cluster when the group was only made by this run. */
export async function roleAssignmentRights(config: InfraConfig, env: string, vars: NodeJS.ProcessEnv, access: ArmAccess = {}): Promise<PreflightCheck> {
  const { id: subscriptionId } = effectiveSubscription(config, vars);
  const group = resourceGroupNameFor(config, env);
  if (!subscriptionId) return judgeRoleAssignmentRights(group, unknownFact('no subscription'));
  const permissions = await armReader(subscriptionId, vars, access).fact('role assignment rights', (c, signal) => c.permissions(signal, group));
  const check = judgeRoleAssignmentRights(group, permissions);
  // Still absent after this run made it: say so, and never ask again.
  return check.recheckBefore ? { ...check, recheckBefore: undefined, reason: `resource group ${group} cannot be read yet` } : check;
}

/** The ARM calls preflight makes, one client per service, made on first use. */
class ArmCalls {
  private readonly clients = new Map<string, unknown>();

  constructor(
    private readonly subscriptionId: string,
    private readonly credential: TokenCredential,
    private readonly options: Record<string, unknown>,
  ) {}

  /** One client per service; `load` names its package literally, so the bundler can find it. */
  private client<T>(service: string, load: () => new (credential: TokenCredential, subscriptionId: string, options: Record<string, unknown>) => T): T {
    if (!this.clients.has(service)) this.clients.set(service, new (load())(this.credential, this.subscriptionId, this.options));
    return this.clients.get(service) as T;
  }

  async providerState(signal: AbortSignal, namespace: string): Promise<string> {
    const client = this.client('resources', () => (require('@azure/arm-resources') as typeof import('@azure/arm-resources')).ResourceManagementClient);
    return (await client.providers.get(namespace, { abortSignal: signal })).registrationState ?? 'unknown';
  }

  async vmSizes(signal: AbortSignal, location: string, pools: readonly NodePoolConfig[]): Promise<Map<string, VmSize>> {
    const client = this.client('compute', () => (require('@azure/arm-compute') as typeof import('@azure/arm-compute')).ComputeManagementClient);
    const wanted = new Set(pools.map((p) => p.vmSize.toLowerCase()));
    const sizes = new Map<string, VmSize>();
    for await (const sku of client.resourceSkus.list({ filter: `location eq '${location}'`, abortSignal: signal })) {
      if (sku.resourceType !== 'virtualMachines' || !sku.name || !wanted.has(sku.name.toLowerCase())) continue;
      const restricted = (sku.restrictions ?? []).some((r) => r.type === 'Location' && r.reasonCode === 'NotAvailableForSubscription');
      const vcpus = Number(sku.capabilities?.find((c) => c.name === 'vCPUs')?.value);
      if (!restricted && sku.family && Number.isFinite(vcpus)) sizes.set(sku.name.toLowerCase(), { family: sku.family, vcpus });
    }
    return sizes;
  }

  async usage(signal: AbortSignal, location: string): Promise<Map<string, QuotaUsage>> {
    const client = this.client('compute', () => (require('@azure/arm-compute') as typeof import('@azure/arm-compute')).ComputeManagementClient);
    const usage = new Map<string, QuotaUsage>();
    for await (const u of client.usage.list(location, { abortSignal: signal })) {
      if (u.name?.value) usage.set(u.name.value.toLowerCase(), { current: u.currentValue, limit: u.limit });
    }
    return usage;
  }

  async kubernetesVersions(signal: AbortSignal, location: string): Promise<KubernetesVersion[]> {
    const client = this.client('containerservice', () => (require('@azure/arm-containerservice') as typeof import('@azure/arm-containerservice')).ContainerServiceClient);
    const result = await client.managedClusters.listKubernetesVersions(location, { abortSignal: signal });
    return (result.values ?? []).map((v) => ({ version: v.version ?? '', isPreview: v.isPreview === true, patches: Object.keys(v.patchVersions ?? {}), supportPlans: v.capabilities?.supportPlan ?? [] }));
  }

  /**
   * The caller's permissions in the resource group (ARM's "Permissions - List For Resource Group",
   * read through the generic by-id GET of @azure/arm-resources); null when the group does not exist.
   */
  async permissions(signal: AbortSignal, group: string): Promise<RbacPermission[] | null> {
    const client = this.client('resources', () => (require('@azure/arm-resources') as typeof import('@azure/arm-resources')).ResourceManagementClient);
    let body: unknown;
    try {
      await client.resources.getById(`subscriptions/${this.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Authorization/permissions`, '2022-04-01', { abortSignal: signal, onResponse: (raw) => (body = raw.parsedBody) });
    } catch (error) {
      if ((error as { statusCode?: number; code?: string }).code === 'ResourceGroupNotFound') return null;
      throw error;
    }
    const value = (body as { value?: Array<{ actions?: string[]; notActions?: string[] }> } | undefined)?.value ?? [];
    return value.map((p) => ({ actions: p.actions ?? [], notActions: p.notActions ?? [] }));
  }

  /** Whether the resource exists: ARM's generic GET by id with its type's API version; false on 404. */
  async exists(signal: AbortSignal, id: string, apiVersion: string): Promise<boolean> {
    const client = this.client('resources', () => (require('@azure/arm-resources') as typeof import('@azure/arm-resources')).ResourceManagementClient);
    try {
      await client.resources.getById(id.replace(/^\//, ''), apiVersion, { abortSignal: signal });
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
  }

  async registryName(signal: AbortSignal, name: string): Promise<NameStatus> {
    const client = this.client('containerregistry', () => (require('@azure/arm-containerregistry') as typeof import('@azure/arm-containerregistry')).ContainerRegistryManagementClient);
    const status = await client.registries.checkNameAvailability({ name, type: 'Microsoft.ContainerRegistry/registries' }, { abortSignal: signal });
    return { available: status.nameAvailable === true, reason: status.reason, message: status.message };
  }

  async storageName(signal: AbortSignal, name: string): Promise<NameStatus> {
    const client = this.client('storage', () => (require('@azure/arm-storage') as typeof import('@azure/arm-storage')).StorageManagementClient);
    const status = await client.storageAccounts.checkNameAvailability({ name, type: 'Microsoft.Storage/storageAccounts' }, { abortSignal: signal });
    return { available: status.nameAvailable === true, reason: status.reason, message: status.message };
  }
}

function armReader(subscriptionId: string, vars: NodeJS.ProcessEnv, access: ArmAccess) {
  const timeoutMs = access.timeoutMs ?? 20_000;
  const endpoint = access.endpoint ?? vars.MODELOPS_ARM_ENDPOINT;
  // Another cloud's Resource Manager wants tokens for its own audience, not management.azure.com's.
  const scope = `${new URL(endpoint ?? 'https://management.azure.com').origin}/.default`;
  const options = { retryOptions: { maxRetries: 1 }, ...(endpoint ? { endpoint, credentials: { scopes: [scope] } } : {}), ...(access.ca ? { tlsOptions: { ca: access.ca } } : {}) };
  let credential: TokenCredential | undefined;
  let calls: ArmCalls | undefined;
  // One sign-in for every read: without credentials the whole chain (az, managed identity, …) runs once, not per read.
  let signedIn: Promise<unknown> | undefined;
  return {
    /** Runs one read; its failure becomes the reason its checks are unknown. */
    async fact<T>(what: string, read: (calls: ArmCalls, signal: AbortSignal) => Promise<T>): Promise<Fact<T>> {
      try {
        credential ??= access.credential ?? defaultCredential(vars);
        calls ??= new ArmCalls(subscriptionId, credential, options);
        await (signedIn ??= credential.getToken(scope, { abortSignal: AbortSignal.timeout(timeoutMs) }));
        return known(await read(calls, AbortSignal.timeout(timeoutMs)));
      } catch (error) {
        return unknownFact(whyUnread(what, error, timeoutMs));
      }
    },
  };
}

/** azure-native's own service principal variables first, so preflight signs in as `up` will. */
function defaultCredential(vars: NodeJS.ProcessEnv): TokenCredential {
  const identity = require('@azure/identity') as typeof import('@azure/identity');
  if (vars.ARM_CLIENT_ID && vars.ARM_CLIENT_SECRET && vars.ARM_TENANT_ID) return new identity.ClientSecretCredential(vars.ARM_TENANT_ID, vars.ARM_CLIENT_ID, vars.ARM_CLIENT_SECRET);
  return new identity.DefaultAzureCredential();
}

/** A short reason a person can act on; never a token or a response body. */
export function whyUnread(what: string, error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; statusCode?: number; code?: string; message?: string };
  if (e.name === 'CredentialUnavailableError' || e.name === 'AuthenticationError' || e.name === 'AggregateAuthenticationError') {
    return `${what}: no Azure credentials (az login, or ARM_CLIENT_ID, ARM_CLIENT_SECRET and ARM_TENANT_ID)`;
  }
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return `${what}: no answer within ${timeoutMs / 1000} s`;
  if (e.statusCode === 401 || e.statusCode === 403) return `${what}: not allowed to read it (HTTP ${e.statusCode}${e.code ? ` ${e.code}` : ''})`;
  if (e.statusCode) return `${what}: HTTP ${e.statusCode}${e.code ? ` ${e.code}` : ''}`;
  return `${what}: ${e.code ?? (e.message ?? String(error)).split('\n')[0]}`;
}

/**
 * Whether the Azure resource `id` exists, signed in as preflight is: for probing a create an
 * interrupted run may have made. Unknown (with why) when Resource Manager cannot say.
 */
export function armResourceExists(subscriptionId: string, id: string, apiVersion: string, vars: NodeJS.ProcessEnv, access: ArmAccess = {}): Promise<Fact<boolean>> {
  return armReader(subscriptionId, vars, access).fact(`GET ${id}`, (calls, signal) => calls.exists(signal, id, apiVersion));
}
