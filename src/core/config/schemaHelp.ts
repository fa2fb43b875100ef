/**
 * Help while typing azure.yaml — the keys that fit where the cursor is, the values a key takes,
 * what a key means — read from the one JSON schema (schema/azure.yaml.schema.json) that also
 * validates the file in other YAML tools. Pure: the schema comes in as an object.
 */
import { LIST_ITEM, yamlContextAt } from './yamlContext';

/** A JSON-schema node, as far as help in the editor reads one. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  /** Accepted for the original's files, never offered. */
  deprecated?: boolean;
}

/** The node itself and the object alternatives it allows (`oneOf`/`anyOf`). */
function alternatives(node: SchemaNode): SchemaNode[] {
  return [node, ...(node.oneOf ?? []), ...(node.anyOf ?? [])];
}

function child(node: SchemaNode, segment: string): SchemaNode | undefined {
  for (const alt of alternatives(node)) {
    if (segment === LIST_ITEM) {
      if (alt.items) return alt.items;
      continue;
    }
    const named = alt.properties?.[segment];
    if (named) return named;
    if (typeof alt.additionalProperties === 'object') return alt.additionalProperties;
  }
  return undefined;
}

/** The schema of what sits at `path` (keys, `[]` for a list item); undefined where the schema says nothing. */
export function schemaAt(root: SchemaNode, path: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    node = node && child(node, segment);
    if (!node) return undefined;
  }
  return node;
}

export interface KeyHelp {
  key: string;
  node: SchemaNode;
}

/** The keys a mapping at `path` takes, in the schema's order, without legacy ones. */
export function keysAt(root: SchemaNode, path: readonly string[]): KeyHelp[] {
  const node = schemaAt(root, path);
  if (!node) return [];
  const seen = new Map<string, SchemaNode>();
  for (const alt of alternatives(node)) for (const [key, n] of Object.entries(alt.properties ?? {})) if (!seen.has(key) && !n.deprecated) seen.set(key, n);
  return [...seen].map(([key, n]) => ({ key, node: n }));
}

const scalar = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** The values a key at `path` takes: its enum, its constant, true/false; its default first. */
export function valuesAt(root: SchemaNode, path: readonly string[]): string[] {
  const node = schemaAt(root, path);
  if (!node) return [];
  const values = new Set<string>();
  if (node.default !== undefined && (typeof node.default !== 'object' || node.default === null)) values.add(scalar(node.default));
  for (const alt of alternatives(node)) {
    for (const v of alt.enum ?? []) values.add(scalar(v));
    if (alt.const !== undefined) values.add(scalar(alt.const));
    const types = Array.isArray(alt.type) ? alt.type : [alt.type];
    if (types.includes('boolean')) ['true', 'false'].forEach((v) => values.add(v));
  }
  return [...values];
}

function typeOf(node: SchemaNode): string | undefined {
  const types = (Array.isArray(node.type) ? node.type : node.type ? [node.type] : []).filter((t) => t !== 'null');
  if (types.length) return types.map((t) => (t === 'object' ? 'mapping' : t === 'array' ? 'list' : t)).join(' or ');
  return node.enum ? 'one of the values below' : undefined;
}

/**
 * The completion list's one line beside a key: its type and default (`string · default dev`). The
 * documentation beside it says what the key means; repeating its first sentence here said it twice.
 */
export function keyDetail(node: SchemaNode): string | undefined {
  const parts = [typeOf(node), ...(node.default !== undefined && (typeof node.default !== 'object' || node.default === null) ? [`default ${scalar(node.default)}`] : [])].filter((p): p is string => !!p);
  return parts.length ? parts.join(' · ') : undefined;
}

/** Markdown that says what a key is: its meaning, type, default, allowed values and an example. */
export function describeKey(key: string, node: SchemaNode): string {
  const lines = [`**${key}**${typeOf(node) ? ` · ${typeOf(node)}` : ''}`];
  if (node.description) lines.push('', node.description);
  const values = [...(node.enum ?? []), ...(node.const !== undefined ? [node.const] : [])];
  if (values.length) lines.push('', `Values: ${values.map((v) => `\`${scalar(v)}\``).join(', ')}`);
  if (node.default !== undefined) lines.push('', `Default: \`${scalar(node.default)}\``);
  if (node.examples?.length) lines.push('', `Example: \`${scalar(node.examples[0])}\``);
  return lines.join('\n');
}

export interface SnippetHelp {
  label: string;
  detail: string;
  /** VS Code snippet syntax, its lines relative to the key's column. */
  body: string;
}

/** Whole entries worth typing in one go, where they belong: a new adaptive run, a node pool. */
export function snippetsAt(root: SchemaNode, path: readonly string[], startsItem: boolean): SnippetHelp[] {
  const key = path.join('.');
  if (key === 'adaptive') {
    const algorithms = valuesAt(root, ['adaptive', 'run', 'algorithm']);
    return [{ label: 'new adaptive run', detail: 'An adaptive run with its algorithm and workers', body: `\${1:run-name}:\n  algorithm: \${2|${algorithms.join(',')}|}\n  workers:\n    image: \${3:registry/adaptive-worker:tag}\n    replicas: \${4:2}` }];
  }
  if (key === 'aks.node_pools' || key === `aks.node_pools.${LIST_ITEM}`) {
    const dash = startsItem ? '' : '- ';
    const pad = startsItem ? '' : '  ';
    return [
      { label: 'node pool (autoscaling)', detail: 'A User pool that scales between min and max', body: `${dash}name: \${1:workers}\n${pad}vm_size: \${2:Standard_D4s_v3}\n${pad}mode: User\n${pad}min: \${3:1}\n${pad}max: \${4:5}` },
      { label: 'node pool (fixed size)', detail: 'A pool with a fixed node count', body: `${dash}name: \${1:system}\n${pad}vm_size: \${2:Standard_DS2_v2}\n${pad}mode: \${3|System,User|}\n${pad}count: \${4:1}` },
    ];
  }
  return [];
}

/** The help for the key under (line, character): its range on the line and what it means. */
export function keyHelpAt(root: SchemaNode, text: string, line: number, character: number): { start: number; end: number; markdown: string } | undefined {
  const lineText = text.split(/\r?\n/)[line] ?? '';
  const m = /^(\s*(?:-\s+)?)([A-Za-z_][\w.-]*)\s*:/.exec(lineText);
  if (!m) return undefined;
  const [start, end] = [m[1].length, m[1].length + m[2].length];
  if (character < start || character > end) return undefined;
  const path = [...yamlContextAt(text, line, start).path, m[2]];
  const node = schemaAt(root, path);
  return node ? { start, end, markdown: describeKey(m[2], node) } : undefined;
}
