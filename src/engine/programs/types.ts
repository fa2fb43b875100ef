import type { Component } from '../../core/components';
import type { InfraConfig } from '../../core/config/types';

/** What a component's Pulumi program gets to know. */
export interface ProgramContext {
  component: Component;
  componentsByName: ReadonlyMap<string, Component>;
  config: InfraConfig;
  /** azure.yaml's path (paths in it are relative to its folder). */
  configFile: string;
  env: string;
  modelopsHome: string;
  /** Global names as the stack has them (or, for a new stack, made unique to the subscription): an up never renames them. */
  kept?: KeptNames;
}

/** The global names the engine decided from the stack (src/engine/keptNames.ts); absent, the program derives them as the original did. */
export interface KeptNames {
  registryName?: string;
  storageAccountName?: string;
}
