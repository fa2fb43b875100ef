/**
 * Probing pending creates: did an interrupted create make its resource? Our names are
 * stable, so the resource's identity follows from the inputs the create was started with.
 * On the local provider the probe looks at the path; on Azure it derives the resource ID
 * (what a person checks and imports) but does not call ARM, so it says it cannot tell.
 */
import { existsSync } from 'node:fs';
import type { Component } from '../core/components';
import type { Probe } from '../core/heal';
import { loadAutomation, workspaceFor } from './automation';
import type { Engine } from './engine';
import { describePulumiError } from './pulumiErrors';

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

/** What one pending create's resource is found to be. */
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
  for (const op of pending) probes.set(op.resource.urn, probeResource(op.resource, engine.setup.config.subscriptionId));
  return probes;
}
