/** Picks a component's Pulumi program by provider. */
import type { Component } from '../../core/components';
import type { Program, PulumiSdk } from '../automation';
import type { InfraContext } from '../context';
import { azureProgram } from './azure';
import { localProgram } from './local/programs';

export function programFor(ctx: InfraContext, component: Component, sdk: PulumiSdk): Program {
  const context = { component, componentsByName: ctx.byName, config: ctx.config, env: ctx.env, modelopsHome: ctx.settings.modelopsHome };
  return ctx.config.provider === 'local' ? localProgram(context, sdk) : azureProgram(context, sdk);
}
