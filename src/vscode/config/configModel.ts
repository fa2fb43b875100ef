/** azure.yaml → parsed config and its components for the environment in use. Pure apart from reading settings. */
import { componentsFor, type Component } from '../../core/components';
import { parseConfig } from '../../core/config/parse';
import type { ParsedConfig } from '../../core/config/types';

export interface ConfigModel {
  parsed: ParsedConfig;
  env: string;
  components: Component[];
}

/** `envOverride` (setting or the CLI's answer) wins, then the file's `environment:`, then `dev`. */
export function configModel(text: string, file: string, envOverride: string | undefined): ConfigModel {
  const parsed = parseConfig(text, file);
  const env = envOverride || parsed.config?.environment || 'dev';
  let components: Component[] = [];
  try {
    components = parsed.config ? componentsFor(parsed.config, env) : [];
  } catch {
    components = [];
  }
  return { parsed, env, components };
}
