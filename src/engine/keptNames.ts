/**
 * Global names (the registry's, the storage account's) are the stack's once it has them: an `up`
 * never renames, and so never replaces, what holds images or results. A new stack's name has the
 * subscription mixed in, so two organisations with the same environment and user name do not
 * collide; an existing one keeps the name it has (as the original's random registry suffix was
 * kept).
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

/**
 * What a component's global name is made from: the name its stack has (its output, else its
 * resource's, where a failed update left no outputs), the subscription for a stack that has made
 * nothing yet, else (an older stack without either) the name as it was derived before.
 */
export function globalNaming(config: InfraConfig, component: Component, state: StackState | undefined): { existing?: string; subscription?: string } {
  const output = state?.exists ? state.outputs[NAME_OUTPUT[component.kind] ?? '']?.value : undefined;
  const existing = typeof output === 'string' && output ? output : state?.globalName;
  if (existing) return { existing };
  return !state?.exists || state.resourceCount === 0 ? { subscription: effectiveSubscription(config, process.env).id } : {};
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
