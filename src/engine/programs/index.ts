/** Picks a component's Pulumi program by provider, and marks what holds data `protect`. */
import type { Component } from '../../core/components';
import { isStatefulResource } from '../../core/dataGuard';
import type { Program, PulumiSdk } from '../automation';
import type { Setup } from '../setup';
import type { KeptNames } from './types';
import { CONSUMED_OUTPUT, DIGESTS_OUTPUT, outputDigest, outputsReadByOthers } from '../../core/freshness';
import type { Freshness } from '../freshness';
import { azureProgram } from './azure';
import { kubernetesProgram } from './kubernetes';
import { localProgram } from './local/programs';

export interface ProgramOptions {
  /**
   * Mark what holds data `protect`, so the engine itself refuses to replace or delete it (the
   * data guard's backstop; a consented update or destroy passes --ignore-protect and leaves it
   * protected). Off for previews, which then show a replacement as one instead of failing on it.
   */
  protectData: boolean;
  /** Names read from the component's stack (engine/keptNames.ts). */
  kept?: KeptNames;
  /** Record digests of the outputs dependents read, and of what this component read (engine/freshness.ts). */
  freshness?: Freshness;
}

/** The program's outputs with the freshness records beside them (digests are never secret: `unsecret`). */
function withFreshness(sdk: PulumiSdk, outputs: Record<string, unknown>, read: readonly string[], freshness: Freshness): Record<string, unknown> {
  // The callback runs only for a known value: in a preview, what the update will compute gets no digest.
  const digestOf = (name: string) =>
    sdk.unsecret(
      sdk.output(outputs[name] as string).apply((v) => {
        const digest = outputDigest(freshness.key, v);
        freshness.observe?.(name, digest);
        return digest;
      }),
    );
  const digests = Object.fromEntries(read.filter((name) => name in outputs).map((name) => [name, digestOf(name)]));
  return {
    ...outputs,
    ...(Object.keys(digests).length ? { [DIGESTS_OUTPUT]: digests } : {}),
    ...(Object.keys(freshness.consumed).length ? { [CONSUMED_OUTPUT]: freshness.consumed } : {}),
  };
}

function providerProgram(setup: Setup, component: Component, sdk: PulumiSdk, kept?: KeptNames): Program {
  const context = { component, componentsByName: setup.byName, config: setup.config, configFile: setup.parsed.file, env: setup.env, modelopsHome: setup.settings.modelopsHome, kept };
  switch (setup.config.provider) {
    case 'local':
      return localProgram(context, sdk);
    case 'kubernetes':
      return kubernetesProgram(context, sdk);
    case 'azure':
      return azureProgram(context, sdk);
  }
}

export function programFor(setup: Setup, component: Component, sdk: PulumiSdk, options: ProgramOptions = { protectData: true }): Program {
  const program = providerProgram(setup, component, sdk, options.kept);
  return async () => {
    const protect = options.protectData;
    sdk.runtime.registerResourceTransform(({ type, props, opts, custom }) => (custom && isStatefulResource(component.kind, type) ? { props, opts: { ...opts, protect } } : undefined));
    const outputs = await program();
    return options.freshness ? withFreshness(sdk, outputs, outputsReadByOthers(setup.components, component.name), options.freshness) : outputs;
  };
}
