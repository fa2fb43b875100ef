/**
 * What we hand the Red Hat YAML extension (its `registerContributor` API) so its own
 * validation, completion and outline use our schema for the azure.yaml we work on, whatever the
 * file is called, instead of a filename pattern. vscode-free: the API is passed in.
 */

/** The part of redhat.vscode-yaml's exported API we use. */
export interface RedHatYamlApi {
  registerContributor(schema: string, requestSchema: (resource: string) => string | undefined, requestSchemaContent: (uri: string) => string | undefined, label?: string): boolean;
}

export const SCHEMA_SCHEME = 'modelops-infra';
export const SCHEMA_URI = `${SCHEMA_SCHEME}://schema/azure.yaml.schema.json`;

/** Registers our schema for the file `configUri()` names now (it follows the file as it changes). */
export function contributeSchema(api: RedHatYamlApi, configUri: () => string | undefined, schemaText: () => string): boolean {
  return api.registerContributor(
    SCHEMA_SCHEME,
    (resource) => (configUri() !== undefined && resource === configUri() ? SCHEMA_URI : undefined),
    (uri) => (uri === SCHEMA_URI ? schemaText() : undefined),
    'ModelOps Infra azure.yaml',
  );
}
