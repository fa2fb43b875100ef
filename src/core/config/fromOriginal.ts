/**
 * An azure.yaml made from the original's `~/.modelops/modelops.yaml`, for a user who wants the
 * config in the workspace: its `cluster` section as written (subscription, resource group,
 * location, AKS, SSH: the flat provider file, which azure.yaml's top level is), the environment,
 * user name and backend of its `settings` and `pulumi`, the registry's SKU, and the workspace its
 * flat keys make (as unified.ts reads them). The same components and names result, so nothing
 * in Azure changes by switching files.
 */
import { Document, isMap, parseDocument, type Pair } from 'yaml';
import { parseConfig } from './parse';

export class FromOriginalError extends Error {}

export function azureYamlFromOriginal(text: string, file: string): string {
  const parsed = parseConfig(text, file);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (parsed.format !== 'modelops.yaml') throw new FromOriginalError(`${file} is not the original's modelops.yaml (no \`schema_version\`)`);
  if (!parsed.config || errors.length) throw new FromOriginalError(`${file} has ${errors.length} error${errors.length === 1 ? '' : 's'} (the first on line ${errors[0]?.range.start.line}): fix ${errors.length === 1 ? 'it' : 'them'} first`);
  const config = parsed.config;
  const source = parseDocument(text);
  const cluster = source.get('cluster', true);
  const out = new Document({});
  out.commentBefore = ` Made from ${file} (the original modelops's config). ModelOps Infra reads this file in this\n workspace instead of that one; both give the same components and Azure names.`;
  if (isMap(cluster)) for (const pair of cluster.items as Pair[]) out.add(out.createPair(pair.key, pair.value));
  out.set('environment', config.environment ?? 'dev');
  if (config.username) out.set('username', config.username);
  const backend = source.getIn(['pulumi', 'backend_url']);
  if (typeof backend === 'string' && backend) out.set('pulumi', { backend_url: backend });
  if (config.registry) out.set('registry', { sku: config.registry.sku });
  if (config.storage) out.set('storage', { sku: config.storage.sku });
  if (config.workspace) out.set('workspace', config.workspace);
  return out.toString({ lineWidth: 0 });
}
