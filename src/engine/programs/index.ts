/** Picks a component's Pulumi program by provider. */
import type { Component } from '../../core/components';
import type { Program, PulumiSdk } from '../automation';
import type { InfraContext } from '../context';
import { localProgram } from './local/programs';

export function programFor(ctx: InfraContext, component: Component, sdk: PulumiSdk): Program {
  const context = { component, componentsByName: ctx.byName, config: ctx.config, env: ctx.env, modelopsHome: ctx.settings.modelopsHome };
  if (ctx.config.provider === 'local') return localProgram(context, sdk);
  return async () => {
    throw new Error(`provider "azure": the Azure programs are not part of this build yet; use "provider: local" to rehearse, or read state with status/validate.`);
  };
}
