/**
 * Global names (the registry's, the storage account's) are the stack's once it has them: an `up`
 * never renames, and so never replaces, what holds images or results. A new stack's name has the
 * subscription mixed in, so two organisations with the same environment and user name do not
 * collide; an existing one keeps its name from its outputs (as the original's random registry
 * suffix was kept), or, lacking them, the name as it was derived before.
 */
import type { Component } from '../core/components';
import type { InfraConfig } from '../core/config/types';
import { effectiveSubscription } from '../core/preflight';
import { registryNameFor, storageAccountNameFor } from '../core/names';
import type { StackState } from '../core/state';
import type { Engine } from './engine';
import type { KeptNames } from './programs/types';
import { readStackStates } from './stateReader';

const NAME_OUTPUT: Partial<Record<Component['kind'], string>> = { registry: 'registry_name', storage: 'account_name' };

/** What a component's global name is made from: the stack's own name, or (no stack yet) the subscription. */
export function globalNaming(config: InfraConfig, component: Component, state: StackState | undefined): { existing?: string; subscription?: string } {
  if (!state?.exists) return { subscription: effectiveSubscription(config, process.env).id };
  const existing = state.outputs[NAME_OUTPUT[component.kind] ?? '']?.value;
  return typeof existing === 'string' && existing ? { existing } : {};
}

export async function keptNames(engine: Engine, component: Component): Promise<KeptNames> {
  const { config, env } = engine.setup;
  if (config.provider !== 'azure' || !NAME_OUTPUT[component.kind]) return {};
  if (component.kind === 'registry' ? config.registry?.registryName : config.storage?.accountName) return {};
  const state = (await readStackStates(engine.setup, [component], () => engine.cliPath())).get(component.name);
  if (state?.unreadable) throw new Error(`${component.name}: its stack cannot be read (${state.unreadable}), so the name it has is unknown; nothing is renamed without it`);
  const naming = globalNaming(config, component, state);
  return component.kind === 'registry' ? { registryName: registryNameFor(config, env, naming) } : { storageAccountName: storageAccountNameFor(config, env, naming) };
}
