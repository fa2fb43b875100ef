/**
 * Names only a component's stack knows: outside dev and staging the original named the registry
 * `modelops{env}acr` + 4 random characters, anew on each run. Deriving a name instead would rename,
 * and so replace, the registry and every image in it; the name its stack has is kept.
 */
import type { Component } from '../core/components';
import { registryNameFromStack } from '../core/names';
import type { Engine } from './engine';
import type { KeptNames } from './programs/types';
import { readStackStates } from './stateReader';

export async function keptNames(engine: Engine, component: Component): Promise<KeptNames> {
  const { setup } = engine;
  if (component.kind !== 'registry' || setup.config.provider !== 'azure' || !registryNameFromStack(setup.config, setup.env)) return {};
  const state = (await readStackStates(setup, [component], () => engine.cliPath())).get(component.name);
  const name = state?.exists ? state.outputs.registry_name?.value : undefined;
  return typeof name === 'string' && name ? { registryName: name } : {};
}
