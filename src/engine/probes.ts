/**
 * Probing pending creates: did an interrupted create make its resource? Our names are
 * stable, so the resource's identity follows from the inputs the create was started with.
 * On the local provider the probe looks at the path; a Kubernetes object is read from the API
 * server, with the kubeconfig the component uses (held in memory); an Azure resource is read from
 * Resource Manager by the id our names give it (signed in as preflight is).
 */
import { existsSync } from 'node:fs';
import type { Component } from '../core/components';
import type { Probe } from '../core/heal';
import type { Fact } from '../core/preflight';
import { armResourceExists } from '../probes/arm/preflight';
import { loadAutomation, workspaceFor } from './automation';
import type { Engine } from './engine';
import { describePulumiError } from './pulumiErrors';
import { readOutputs } from './outputReader';

interface PendingResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
}

/**
 * ARM resource IDs of the azure-native types whose create we may find interrupted, and the API
 * version each is read with (the versions the REST API reference documents for GET of each type,
 * https://learn.microsoft.com/rest/api/: resources "Resource Groups - Get", storagerp "Storage
 * Accounts - Get Properties", "Blob Containers - Get", "Management Policies - Get", aks "Managed
 * Clusters - Get", "Agent Pools - Get", containerregistry "Registries - Get", authorization "Role
 * Assignments - Get"). Each answers 200 with the resource, or 404 when there is none.
 */
const ARM_PATHS: Record<string, { path: (i: Record<string, unknown>) => string | undefined; apiVersion: string }> = {
  'azure-native:resources:ResourceGroup': { path: (i) => (i.resourceGroupName ? `resourceGroups/${String(i.resourceGroupName)}` : undefined), apiVersion: '2021-04-01' },
  'azure-native:storage:StorageAccount': { path: (i) => armPath(i, 'Microsoft.Storage/storageAccounts', i.accountName), apiVersion: '2023-01-01' },
  'azure-native:containerservice:ManagedCluster': { path: (i) => armPath(i, 'Microsoft.ContainerService/managedClusters', i.resourceName), apiVersion: '2024-02-01' },
  'azure-native:containerregistry:Registry': { path: (i) => armPath(i, 'Microsoft.ContainerRegistry/registries', i.registryName), apiVersion: '2023-07-01' },
  'azure-native:containerservice:AgentPool': { path: (i) => under(armPath(i, 'Microsoft.ContainerService/managedClusters', i.resourceName), 'agentPools', i.agentPoolName), apiVersion: '2024-02-01' },
  'azure-native:storage:BlobContainer': { path: (i) => under(armPath(i, 'Microsoft.Storage/storageAccounts', i.accountName), 'blobServices/default/containers', i.containerName), apiVersion: '2023-01-01' },
  'azure-native:storage:ManagementPolicy': { path: (i) => under(armPath(i, 'Microsoft.Storage/storageAccounts', i.accountName), 'managementPolicies', i.managementPolicyName), apiVersion: '2023-01-01' },
  // Below its scope, a full id (the registry's, in whichever subscription that is).
  'azure-native:authorization:RoleAssignment': { path: (i) => (typeof i.scope === 'string' && i.scope.startsWith('/') ? under(i.scope, 'providers/Microsoft.Authorization/roleAssignments', i.roleAssignmentName) : undefined), apiVersion: '2022-04-01' },
};

/** `{parent}/{collection}/{name}`, when both are known. */
function under(parent: string | undefined, collection: string, name: unknown): string | undefined {
  return parent && typeof name === 'string' && name ? `${parent}/${collection}/${name}` : undefined;
}

function armPath(inputs: Record<string, unknown>, provider: string, name: unknown): string | undefined {
  return inputs.resourceGroupName && name ? `resourceGroups/${String(inputs.resourceGroupName)}/providers/${provider}/${String(name)}` : undefined;
}

/** `kubernetes:apps/v1:Deployment` → apiVersion `apps/v1`, kind `Deployment` (the core group has none). */
export function kubernetesKind(type: string): { apiVersion: string; kind: string } | undefined {
  const m = /^kubernetes:([^:]+):([A-Za-z]+)$/.exec(type);
  if (!m) return undefined;
  const [group, version] = m[1].includes('/') ? m[1].split('/') : ['core', m[1]];
  return { apiVersion: group === 'core' ? version : `${group}/${version}`, kind: m[2] };
}

/** Reads Kubernetes objects for probes: whether one exists, or why the server cannot say. */
export type ObjectReader = (apiVersion: string, kind: string, name: string, namespace?: string) => Promise<boolean>;

/**
 * What a pending create of a Kubernetes object is found to be: exists (with the id the
 * Kubernetes provider gives it, `namespace/name` or `name`), gone, or unknown (no reader, a
 * name the inputs do not give, or a server that cannot say).
 */
export async function probeObject(resource: PendingResource, read: ObjectReader | string): Promise<Probe> {
  const ref = kubernetesKind(resource.type)!;
  const metadata = (resource.inputs?.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  if (typeof metadata.name !== 'string' || !metadata.name) return { unknown: 'its inputs name no metadata.name' };
  if (typeof read === 'string') return { unknown: read };
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : undefined;
  try {
    const exists = await read(ref.apiVersion, ref.kind, metadata.name, namespace);
    return exists ? { exists: true, id: namespace ? `${namespace}/${metadata.name}` : metadata.name } : { exists: false };
  } catch (error) {
    return { unknown: (error as Error).message };
  }
}

/** What one pending create's resource is found to be (Kubernetes objects: probeObject). */
export function probeResource(resource: PendingResource, subscriptionId?: string): Probe {
  const inputs = resource.inputs ?? {};
  if (resource.type.startsWith('pulumi-nodejs:dynamic')) {
    const path = inputs.path;
    if (typeof path !== 'string' || !path) return { unknown: 'its inputs name no path' };
    return existsSync(path) ? { exists: true, id: path } : { exists: false };
  }
  const arm = armIdOf(resource, subscriptionId);
  if (arm) return { unknown: `Resource Manager was not asked; check whether ${arm.id} exists` };
  return { unknown: `no probe for ${resource.type}` };
}

/** The Azure id a pending create of an azure-native type would have, and the API version to read it with. */
export function armIdOf(resource: PendingResource, subscriptionId?: string): { id: string; apiVersion: string } | undefined {
  const type = ARM_PATHS[resource.type];
  const path = type?.path(resource.inputs ?? {});
  if (!type || !path) return undefined;
  return { id: path.startsWith('/') ? path : `/subscriptions/${subscriptionId ?? '<subscription>'}/${path}`, apiVersion: type.apiVersion };
}

/** Asks Resource Manager whether an azure-native resource exists: exists (its id), gone, or why it cannot tell. */
export async function probeArm(resource: PendingResource, subscriptionId: string | undefined, exists: (id: string, apiVersion: string) => Promise<Fact<boolean>>): Promise<Probe> {
  const arm = armIdOf(resource, subscriptionId);
  if (!arm) return probeResource(resource, subscriptionId);
  if (!subscriptionId) return { unknown: `no subscription to look in; check whether ${arm.id} exists` };
  const found = await exists(arm.id, arm.apiVersion);
  if ('unknown' in found) return { unknown: `${found.unknown}; check whether ${arm.id} exists` };
  return found.value ? { exists: true, id: arm.id } : { exists: false };
}

/**
 * Probes every pending create of the component's stack. Reads the checkpoint through the
 * CLI (inputs can be secret-tainted); a failure to read makes every probe unknown.
 */
export async function probePendingCreates(engine: Engine, component: Component, pendingCreates: readonly string[]): Promise<Map<string, Probe>> {
  const probes = new Map<string, Probe>();
  let pending: Array<{ type: string; resource: PendingResource }> = [];
  try {
    const auto = await loadAutomation();
    const ws = await workspaceFor(engine.setup.settings, engine.cliPath(), component, async () => ({}), 'read');
    const stack = await auto.Stack.select(component.stack, ws);
    const deployment = (await stack.exportStack()).deployment as { pending_operations?: Array<{ type: string; resource: PendingResource }> };
    pending = (deployment.pending_operations ?? []).filter((p) => p.type === 'creating');
  } catch (error) {
    const reason = `cannot read ${component.stack}: ${describePulumiError(error, component.stack)}`;
    return new Map(pendingCreates.map((urn) => [urn, { unknown: reason }]));
  }
  const kube = pending.some((op) => kubernetesKind(op.resource.type)) ? await objectReaderFor(engine, component) : undefined;
  for (const op of pending) {
    const subscription = engine.setup.config.subscriptionId;
    probes.set(
      op.resource.urn,
      kubernetesKind(op.resource.type)
        ? await probeObject(op.resource, kube!)
        : armIdOf(op.resource)
          ? await probeArm(op.resource, subscription, (id, apiVersion) => armResourceExists(subscription!, id, apiVersion, process.env))
          : probeResource(op.resource, subscription),
    );
  }
  return probes;
}

/** A reader on the API server the component's objects go to (its `cluster`'s kubeconfig, in memory), or why there is none. */
async function objectReaderFor(engine: Engine, component: Component): Promise<ObjectReader | string> {
  const from = component.uses.find((u) => u.outputs.includes('kubeconfig'))?.from;
  if (!from) return `${component.name} reads no kubeconfig`;
  try {
    const kubeconfig = (await readOutputs(engine, engine.component(from), true)).kubeconfig?.value;
    if (typeof kubeconfig !== 'string' || !kubeconfig) return `${from} exports no kubeconfig`;
    const { KubeReader } = await import('../probes/clients/kubernetes');
    const reader = new KubeReader(kubeconfig, PROBE_TIMEOUT_MS);
    return (apiVersion, kind, name, namespace) => reader.objectExists(apiVersion, kind, name, namespace);
  } catch (error) {
    return `cannot read ${from}'s kubeconfig: ${(error as Error).message.split('\n')[0]}`;
  }
}

const PROBE_TIMEOUT_MS = 15_000;
