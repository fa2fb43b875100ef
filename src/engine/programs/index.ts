/** Picks a component's Pulumi program by provider. */
import type { Component } from '../../core/components';
import type { Program, PulumiSdk } from '../automation';
import type { Setup } from '../setup';
import { azureProgram } from './azure';
import { kubernetesProgram } from './kubernetes';
import { localProgram } from './local/programs';

export function programFor(setup: Setup, component: Component, sdk: PulumiSdk): Program {
  const context = { component, componentsByName: setup.byName, config: setup.config, configFile: setup.parsed.file, env: setup.env, modelopsHome: setup.settings.modelopsHome };
  switch (setup.config.provider) {
    case 'local':
      return localProgram(context, sdk);
    case 'kubernetes':
      return kubernetesProgram(context, sdk);
    case 'azure':
      return azureProgram(context, sdk);
  }
}
