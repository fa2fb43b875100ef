/**
 * Probing pending creates: did an interrupted create make its resource? Our names are
 * stable, so the resource's identity follows from the inputs the create was started with.
 * On the local provider the probe looks at the path; a Kubernetes object is read from the API
 * server, with the kubeconfig the component uses (held in memory); on Azure it derives the
 * resource ID (what a person checks and imports) but does not call ARM, so it says it cannot tell.
 */
import { existsSync } from 'node:fs';
import type { Component } from '../core/components';
import type { Probe } from '../core/heal';
import { loadAutomation, workspaceFor } from './automation';
import type { Engine } from './engine';
import { describePulumiError } from './pulumiErrors';
import { readOutputs } from './operations/outputs';

interface PendingResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
}

/** ARM resource IDs of the azure-native types whose create we may find interrupted. */
const ARM_PATHS: Record<string, (i: Record<string, unknown>) => string | undefined> = {
  'azure-native:resources:ResourceGroup': (i) => (i.resourceGroupName ? `resourceGroups/${String(i.resourceGroupName)}` : undefined),
  'azure-native:storage:StorageAccount': (i) => armPath(i, 'Microsoft.Storage/storageAccounts', i.accountName),
  'azure-native:containerservice:ManagedCluster': (i) => armPath(i, 'Microsoft.ContainerService/managedClusters', i.resourceName),
  'azure-native:containerregistry:Registry': (i) => armPath(i, 'Microsoft.ContainerRegistry/registries', i.registryName),
};

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
  const arm = ARM_PATHS[resource.type]?.(inputs);
  if (arm) {
    const id = `/subscriptions/${subscriptionId ?? '<subscription>'}/${arm}`;
    return { unknown: `this version does not query Azure Resource Manager; check whether ${id} exists` };
  }
  return { unknown: `no probe for ${resource.type}` };
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
    probes.set(op.resource.urn, kubernetesKind(op.resource.type) ? await probeObject(op.resource, kube!) : probeResource(op.resource, engine.setup.config.subscriptionId));
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
    const { KubeReader } = await import('../health/kubernetes');
    const reader = new KubeReader(kubeconfig, PROBE_TIMEOUT_MS);
    return (apiVersion, kind, name, namespace) => reader.objectExists(apiVersion, kind, name, namespace);
  } catch (error) {
    return `cannot read ${from}'s kubeconfig: ${(error as Error).message.split('\n')[0]}`;
  }
}

const PROBE_TIMEOUT_MS = 15_000;
