/**
 * The cluster's context in the user's kubeconfig, kept as the original modelops keeps it: after a
 * cluster up it runs `az aks get-credentials --overwrite-existing` (the context, cluster and user
 * of the AKS kubeconfig replace same-named entries, and the context becomes current); after a
 * cluster down it deletes that context, cluster and user (client/cluster_service.py). Every other
 * entry, key and comment of the file stays as it was. Pure: text in, text out.
 */
import { isMap, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { kubeconfigFiles } from './kubeconfig';

/** The names a one-context kubeconfig (the cluster stack's `kubeconfig` output) gives its entries. */
export interface ContextNames {
  context: string;
  cluster: string;
  user?: string;
}

export class KubeContextError extends Error {}

const SECTIONS = [['clusters', 'cluster'], ['users', 'user'], ['contexts', 'context']] as const;
type Section = (typeof SECTIONS)[number][0];

function load(text: string, what: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new KubeContextError(`${what} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new KubeContextError(`${what} is not a kubeconfig (not a mapping)`);
  return doc;
}

const nameOf = (item: unknown): unknown => (isMap(item) ? item.get('name') : undefined);

function list(doc: Document, section: Section): YAMLSeq | undefined {
  const value = doc.get(section);
  return isSeq(value) ? value : undefined;
}

/** The context the kubeconfig selects (else its only one), with the cluster and user it names. */
export function contextNames(kubeconfig: string): ContextNames {
  const doc = load(kubeconfig, "the cluster's kubeconfig");
  const contexts = list(doc, 'contexts')?.items ?? [];
  const current = doc.get('current-context');
  const entry = contexts.find((c) => nameOf(c) === current) ?? (contexts.length === 1 ? contexts[0] : undefined);
  if (!isMap(entry)) throw new KubeContextError("the cluster's kubeconfig selects no context");
  const body = entry.get('context');
  const cluster = isMap(body) ? body.get('cluster') : undefined;
  const user = isMap(body) ? body.get('user') : undefined;
  if (typeof cluster !== 'string' || !cluster) throw new KubeContextError(`context "${String(nameOf(entry))}" of the cluster's kubeconfig names no cluster`);
  return { context: String(nameOf(entry)), cluster, ...(typeof user === 'string' && user ? { user } : {}) };
}

function namesIn(names: ContextNames): Record<Section, string | undefined> {
  return { clusters: names.cluster, users: names.user, contexts: names.context };
}

/**
 * `existing` (undefined: no file yet) with the cluster's context, cluster and user put in —
 * replacing entries of the same names in place, else appended — and that context selected.
 */
export function mergeContext(existing: string | undefined, kubeconfig: string, file: string): string {
  const incoming = load(kubeconfig, "the cluster's kubeconfig");
  const names = contextNames(kubeconfig);
  const doc = existing === undefined || existing.trim() === '' ? parseDocument('apiVersion: v1\nkind: Config\npreferences: {}\n') : load(existing, file);
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  for (const [section] of SECTIONS) {
    const name = namesIn(names)[section];
    const entry = list(incoming, section)?.items.find((e) => nameOf(e) === name);
    if (name === undefined || !entry) continue;
    let target = list(doc, section);
    if (!target) {
      doc.set(section, doc.createNode([]));
      target = list(doc, section)!;
    }
    const node = doc.createNode((entry as YAMLMap).toJSON());
    const at = target.items.findIndex((e) => nameOf(e) === name);
    if (at >= 0) target.items[at] = node;
    else target.items.push(node);
  }
  doc.set('current-context', names.context);
  return doc.toString();
}

/** What pruning took out of one file: its new text, and the entries removed ("context x"). */
export interface Pruned {
  text: string;
  removed: string[];
}

/**
 * `existing` without the cluster's context, cluster and user (by name, as kubectl config
 * delete-context / delete-cluster / delete-user would), and without a current-context that named
 * the context; undefined when the file has none of them.
 */
export function pruneContext(existing: string, names: ContextNames, file: string): Pruned | undefined {
  const doc = load(existing, file);
  const removed: string[] = [];
  for (const [section, singular] of SECTIONS) {
    const name = namesIn(names)[section];
    const target = list(doc, section);
    if (name === undefined || !target) continue;
    const before = target.items.length;
    target.items = target.items.filter((e) => nameOf(e) !== name);
    if (target.items.length !== before) removed.push(`${singular} ${name}`);
  }
  if (doc.get('current-context') === names.context) {
    doc.set('current-context', '');
    removed.push('current-context');
  }
  return removed.length ? { text: doc.toString(), removed } : undefined;
}

/**
 * The file a new context goes into, as kubectl picks it: the first KUBECONFIG entry that exists,
 * else its last; ~/.kube/config without KUBECONFIG.
 */
export function kubeconfigTarget(env: NodeJS.ProcessEnv, home: string, exists: (path: string) => boolean): string {
  const files = kubeconfigFiles({ env, home, configDir: home });
  return files.length === 1 ? files[0] : (files.find(exists) ?? files[files.length - 1]);
}

/** Every file a context may be in (KUBECONFIG's entries, else ~/.kube/config). */
export function kubeconfigCandidates(env: NodeJS.ProcessEnv, home: string): string[] {
  return kubeconfigFiles({ env, home, configDir: home });
}
