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
  /** Names only the component's stack knows (the registry the original named at random), kept so an up does not rename and replace it. */
  kept?: KeptNames;
}

export interface KeptNames {
  registryName?: string;
}
