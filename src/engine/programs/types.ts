import type { Component } from '../../core/components';
import type { InfraConfig } from '../../core/config/types';

/** What a component's Pulumi program gets to know. */
export interface ProgramContext {
  component: Component;
  componentsByName: ReadonlyMap<string, Component>;
  config: InfraConfig;
  env: string;
  modelopsHome: string;
}
