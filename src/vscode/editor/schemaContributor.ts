/**
 * What we hand the Red Hat YAML extension (its `registerContributor` API) so its own
 * validation, completion and outline use our schema for the config we work on, whatever the
 * file is called, instead of a filename pattern: azure.yaml's, or the original modelops's file's
 * own (core/config/originalSchema.ts). vscode-free: the API is passed in.
 */
import { CONFIG_FORMATS, type ConfigFormat } from '../../core/config/types';

/** The part of redhat.vscode-yaml's exported API we use. */
export interface RedHatYamlApi {
  registerContributor(schema: string, requestSchema: (resource: string) => string | undefined, requestSchemaContent: (uri: string) => string | undefined, label?: string): boolean;
}

export const SCHEMA_SCHEME = 'modelops-infra';
export const schemaUri = (format: ConfigFormat): string => `${SCHEMA_SCHEME}://schema/${format}.schema.json`;
export const SCHEMA_URI = schemaUri('azure.yaml');

/** Registers the schema of the file `configUri()` names now, in the format `formatOf()` says (both follow the file as it changes). */
export function contributeSchema(api: RedHatYamlApi, configUri: () => string | undefined, schemaText: (format: ConfigFormat) => string, formatOf: () => ConfigFormat = () => 'azure.yaml'): boolean {
  return api.registerContributor(
    SCHEMA_SCHEME,
    (resource) => (configUri() !== undefined && resource === configUri() ? schemaUri(formatOf()) : undefined),
    (uri) => {
      const format = CONFIG_FORMATS.find((f) => schemaUri(f) === uri);
      return format ? schemaText(format) : undefined;
    },
    'ModelOps Infra',
  );
}
