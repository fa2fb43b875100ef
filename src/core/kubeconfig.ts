/**
 * `provider: kubernetes` reads the cluster from a kubeconfig you already have. What the cluster
 * component exports is one context of it, self-contained: files it points at (certificates,
 * keys, a token file) are read in, so the kubeconfig in the stack works on any machine and in CI.
 * Pure: the file system comes in as `read`.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

export interface KubeconfigChoice {
  /** `kubernetes.kubeconfig` as written (`~` and paths relative to azure.yaml allowed). */
  configured?: string;
  context?: string;
  /** azure.yaml's folder. */
  configDir: string;
  /** KUBECONFIG (a list, `:`-separated) and HOME. */
  env: NodeJS.ProcessEnv;
  home: string;
}

export interface ClusterAccess {
  /** The one-context kubeconfig (secret). */
  kubeconfig: string;
  file: string;
  context: string;
  clusterName: string;
  server: string;
}

export class KubeconfigError extends Error {}

const expandHome = (path: string, home: string): string => (path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path);

/** The kubeconfig files to look in, in order: `kubernetes.kubeconfig`, else every KUBECONFIG entry, else ~/.kube/config. */
export function kubeconfigFiles(choice: KubeconfigChoice): string[] {
  if (choice.configured) return [resolve(choice.configDir, expandHome(choice.configured, choice.home))];
  const listed = (choice.env.KUBECONFIG ?? '').split(':').filter((p) => p.trim() !== '');
  return listed.length ? listed.map((p) => resolve(expandHome(p, choice.home))) : [join(choice.home, '.kube', 'config')];
}

type Named = { name?: unknown; [key: string]: unknown };
type Doc = { contexts?: Named[]; clusters?: Named[]; users?: Named[]; 'current-context'?: unknown };

const FILE_FIELDS: Record<'cluster' | 'user', Array<[string, string]>> = {
  cluster: [['certificate-authority', 'certificate-authority-data']],
  user: [
    ['client-certificate', 'client-certificate-data'],
    ['client-key', 'client-key-data'],
  ],
};

/**
 * The chosen context (default: the first file's current-context) with its cluster and user, files
 * read in. @throws KubeconfigError naming the file and the fix.
 */
export function selectCluster(choice: KubeconfigChoice, read: (path: string) => string | undefined): ClusterAccess {
  const files = kubeconfigFiles(choice);
  const docs = files.map((file) => ({ file, doc: parseDoc(file, read(file)) }));
  const present = docs.filter((d): d is { file: string; doc: Doc } => d.doc !== undefined);
  if (present.length === 0) {
    const where = choice.configured ? '`kubernetes.kubeconfig`' : choice.env.KUBECONFIG ? 'KUBECONFIG' : 'the default';
    throw new KubeconfigError(`no kubeconfig at ${files.join(', ')} (${where}). Point \`kubernetes.kubeconfig\` in azure.yaml at your cluster's kubeconfig, or set KUBECONFIG.`);
  }
  const wanted = choice.context ?? present.map((d) => d.doc['current-context']).find((c): c is string => typeof c === 'string' && c !== '');
  if (!wanted) throw new KubeconfigError(`${present[0].file} has no current-context. Name one in azure.yaml: \`kubernetes: { context: <name> }\` (see \`kubectl config get-contexts\`).`);
  const found = present.find((d) => named(d.doc.contexts, wanted));
  if (!found) {
    const all = present.flatMap((d) => (d.doc.contexts ?? []).map((c) => String(c.name)));
    throw new KubeconfigError(`no context "${wanted}" in ${present.map((d) => d.file).join(', ')}${all.length ? `; its contexts: ${all.join(', ')}` : ''}. Fix \`kubernetes.context\` in azure.yaml.`);
  }
  const context = (named(found.doc.contexts, wanted)!.context ?? {}) as { cluster?: unknown; user?: unknown; namespace?: unknown };
  const clusterName = String(context.cluster ?? '');
  const cluster = present.map((d) => ({ file: d.file, entry: named(d.doc.clusters, clusterName) })).find((c) => c.entry);
  if (!cluster) throw new KubeconfigError(`context "${wanted}" in ${found.file} names cluster "${clusterName}", which no kubeconfig file defines.`);
  const userName = context.user === undefined ? undefined : String(context.user);
  const user = userName === undefined ? undefined : present.map((d) => ({ file: d.file, entry: named(d.doc.users, userName) })).find((u) => u.entry);
  if (userName !== undefined && !user) throw new KubeconfigError(`context "${wanted}" in ${found.file} names user "${userName}", which no kubeconfig file defines.`);
  const clusterBody = inlineFiles(cluster.entry!.cluster, FILE_FIELDS.cluster, cluster.file, read);
  const server = typeof clusterBody.server === 'string' ? clusterBody.server : '';
  if (!server) throw new KubeconfigError(`cluster "${clusterName}" in ${cluster.file} has no server.`);
  const userBody = user ? inlineToken(inlineFiles(user.entry!.user, FILE_FIELDS.user, user.file, read), user.file, read) : undefined;
  const kubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: clusterBody }],
    users: userBody ? [{ name: userName, user: userBody }] : [],
    contexts: [{ name: wanted, context: { cluster: clusterName, ...(userName !== undefined ? { user: userName } : {}), ...(context.namespace ? { namespace: context.namespace } : {}) } }],
    'current-context': wanted,
  });
  return { kubeconfig, file: found.file, context: wanted, clusterName, server };
}

function parseDoc(file: string, text: string | undefined): Doc | undefined {
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new KubeconfigError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new KubeconfigError(`${file} is not a kubeconfig (not a mapping).`);
  return doc as Doc;
}

const named = (list: Named[] | undefined, name: string): Named | undefined => (Array.isArray(list) ? list.find((e) => e && e.name === name) : undefined);

function readRelative(base: string, path: string, read: (path: string) => string | undefined): string {
  const full = isAbsolute(path) ? path : resolve(dirname(base), path);
  const text = read(full);
  if (text === undefined) throw new KubeconfigError(`${base} refers to ${full}, which cannot be read.`);
  return text;
}

function inlineFiles(body: unknown, fields: Array<[string, string]>, file: string, read: (path: string) => string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  for (const [pathKey, dataKey] of fields) {
    const path = out[pathKey];
    if (typeof path !== 'string' || out[dataKey] !== undefined) continue;
    out[dataKey] = Buffer.from(readRelative(file, path, read)).toString('base64');
    delete out[pathKey];
  }
  return out;
}

function inlineToken(body: Record<string, unknown>, file: string, read: (path: string) => string | undefined): Record<string, unknown> {
  if (typeof body.tokenFile !== 'string' || body.token !== undefined) return body;
  const { tokenFile, ...rest } = body;
  return { ...rest, token: readRelative(file, tokenFile as string, read).trim() };
}
