/** Picks a component's Pulumi program by provider. */
import type { Component } from '../../core/components';
import type { Program, PulumiSdk } from '../automation';
import type { Setup } from '../setup';
import { azureProgram } from './azure';
import { localProgram } from './local/programs';

export function programFor(setup: Setup, component: Component, sdk: PulumiSdk): Program {
  const context = { component, componentsByName: setup.byName, config: setup.config, env: setup.env, modelopsHome: setup.settings.modelopsHome };
  return setup.config.provider === 'local' ? localProgram(context, sdk) : azureProgram(context, sdk);
}
