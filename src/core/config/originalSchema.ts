/**
 * JSON schemas of the original modelops's own files, derived from azure.yaml's (the one written
 * by hand) and from what unified.ts reads, so completion, hover and the Red Hat YAML extension
 * help in `modelops.yaml` and `infrastructure.yaml` in those files' own terms. Pure.
 */
import type { SchemaNode } from './schemaHelp';
import { FLAT_WORKSPACE_DEFAULTS, type INFRASTRUCTURE_YAML_KEYS, type MODELOPS_YAML_KEYS, OUTSIDE_CLUSTER } from './unified';
import type { ConfigFormat } from './types';

const ORIGINAL = 'InstituteforDiseaseModeling/modelops';

/** azure.yaml's top-level keys that the original's files keep under `cluster` (the flat provider file). */
function clusterNode(azure: SchemaNode, drop: readonly string[] = []): SchemaNode {
  const properties = Object.fromEntries(Object.entries(azure.properties ?? {}).filter(([key]) => !OUTSIDE_CLUSTER.has(key) && !drop.includes(key)));
  return { type: 'object', description: 'The cluster and where it lives: the flat provider file (`provider`, `subscription_id`, `resource_group`, `location`, `aks`).', properties, additionalProperties: false };
}

const typeOf = (value: unknown): SchemaNode['type'] =>
  Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'integer' : 'string';

const SECTION = { scheduler: 'scheduler', worker: 'workers', autoscaling: 'autoscaling' } as const;

/** What a flat key becomes in the workspace spec, as unified.ts's workspaceOf maps it. */
function flatKeyMeaning(key: string): string {
  const [prefix, ...rest] = key.split('_');
  const field = rest.join('_');
  const section = SECTION[prefix as keyof typeof SECTION];
  const spec = (f: string) => `\`spec.${section}.${f}\``;
  const target = field === 'memory' || field === 'cpu' ? `${spec(`resources.requests.${field}`)} and ${spec(`resources.limits.${field}`)}` : spec(field);
  const note = key === 'worker_replicas' ? ' Unused while autoscaling is on: the autoscaler sets the count.' : '';
  return `The Dask workspace's ${target}.${note}`;
}

function flatWorkspace(): SchemaNode {
  const properties = Object.fromEntries(
    Object.entries(FLAT_WORKSPACE_DEFAULTS).map(([key, value]): [string, SchemaNode] => {
      const cpu = key === 'scheduler_cpu' || key === 'worker_cpu';
      const node: SchemaNode = { type: cpu ? ['string', 'number'] : typeOf(value), description: flatKeyMeaning(key) };
      if (!Array.isArray(value)) node.default = value;
      return [key, node];
    }),
  );
  return { type: 'object', description: 'The Dask workspace, flat, as `mops init` writes it.', properties, additionalProperties: false };
}

function modelopsYaml(azure: SchemaNode): SchemaNode {
  const p = azure.properties ?? {};
  const properties: Record<(typeof MODELOPS_YAML_KEYS)[number], SchemaNode> = {
    schema_version: { const: 2, description: 'The version of this file (`mops init` writes 2).' },
    generated: { type: 'string', description: 'When `mops init` wrote the file; not read.' },
    settings: {
      type: 'object',
      description: 'Who and where: the environment, the provider and the user name in every derived Azure name.',
      properties: { environment: p.environment ?? {}, provider: p.provider ?? {}, username: p.username ?? {} },
      additionalProperties: false,
    },
    pulumi: {
      type: ['object', 'null'],
      description: 'Where the Pulumi state lives.',
      properties: {
        backend_url: { type: ['string', 'null'], description: 'The Pulumi backend (`azblob://…`, `file://…`); null for the default under ~/.modelops.' },
        organization: { type: ['string', 'null'], description: 'The Pulumi organization; not read with a self-managed backend.' },
      },
      additionalProperties: false,
    },
    cluster: clusterNode(azure, ['username', 'environment']),
    storage: { type: ['object', 'null'], properties: { account_tier: { enum: ['Standard'], default: 'Standard', description: 'The account is Standard_LRS, as the original makes it.' } }, additionalProperties: false },
    registry: p.registry ?? {},
    workspace: flatWorkspace(),
  };
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: `modelops.yaml (${ORIGINAL}, mops init)`, type: 'object', properties, required: ['schema_version', 'cluster'], additionalProperties: false } as SchemaNode;
}

function infrastructureYaml(azure: SchemaNode): SchemaNode {
  const p = azure.properties ?? {};
  const notRead = (what: string): SchemaNode => ({ description: `${what} Not read: components are provisioned in dependency order, and a failure stops only what depends on it.`, deprecated: true });
  const properties: Record<(typeof INFRASTRUCTURE_YAML_KEYS)[number], SchemaNode> = {
    schemaVersion: { const: 1, description: 'The version of this file (1).' },
    cluster: clusterNode(azure),
    storage: p.storage ?? {},
    registry: p.registry ?? {},
    workspace: p.workspace ?? {},
    continueOnError: notRead('Whether the original goes on after a component fails.'),
    dependsOn: notRead('Extra ordering.'),
  };
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: `infrastructure.yaml (${ORIGINAL})`, type: 'object', properties, required: ['schemaVersion', 'cluster'], additionalProperties: false } as SchemaNode;
}

/** The schema of a file of `format`, from azure.yaml's. */
export function schemaFor(format: ConfigFormat, azure: SchemaNode): SchemaNode {
  return format === 'modelops.yaml' ? modelopsYaml(azure) : format === 'infrastructure.yaml' ? infrastructureYaml(azure) : azure;
}
