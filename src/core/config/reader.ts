/**
 * Typed reads from YAML nodes. Each read reports a problem at the exact key or
 * value when the shape is wrong, and returns undefined so the caller can go on
 * reading the rest of the file.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { ConfigProblemCode } from './codes';
import type { AnchorIndex } from './load';
import type { ProblemList, ProblemOptions, SourceText } from './source';
import { closestMatch, didYouMean, listOf, printable } from './suggest';
import type { ConfigPath, RelatedLocation, SourceRange } from './types';

export class ReadContext {
  private readonly reportedKeys = new Set<Node>();
  private readonly plainCache = new Map<Node, unknown>();

  constructor(readonly problems: ProblemList, readonly anchors: AnchorIndex) {}

  get source(): SourceText {
    return this.problems.source;
  }

  /** The node itself, or what an alias points to; undefined for a missing node or a dangling alias. */
  deref(node: unknown): Node | undefined {
    if (!isNode(node)) return undefined;
    return isAlias(node) ? this.anchors.resolve(node) : node;
  }

  reportNonStringKey(key: Node | undefined, range: SourceRange): void {
    if (key && this.reportedKeys.has(key)) return;
    if (key) this.reportedKeys.add(key);
    this.problems.add('non-string-key', range, 'This mapping key is not plain text (it is null, a list or a mapping), so the entry is ignored. Write the key as a plain word, e.g. `name:`.');
  }

  /** A plain JS value for free-form sections; aliases share one value, as YAML's own toJS does. */
  plain(node: Node | undefined): unknown {
    const target = this.deref(node);
    if (!target) return null;
    if (isScalar(target)) return target.value;
    const cached = this.plainCache.get(target);
    if (cached !== undefined) return cached;
    if (isSeq(target)) {
      const list: unknown[] = [];
      this.plainCache.set(target, list);
      for (const item of target.items) list.push(this.plain(item as Node));
      return list;
    }
    const object: Record<string, unknown> = {};
    this.plainCache.set(target, object);
    if (isMap(target)) {
      for (const pair of target.items) {
        const keyNode = this.deref(pair.key);
        const key = keyString(keyNode);
        if (key === undefined) {
          this.reportNonStringKey(keyNode, this.source.rangeOfNode(keyNode ?? (pair.value as Node)));
          continue;
        }
        // defineProperty so a key named `__proto__` is data, not the prototype.
        if (!Object.prototype.hasOwnProperty.call(object, key)) Object.defineProperty(object, key, { value: this.plain(pair.value as Node), enumerable: true, writable: true, configurable: true });
      }
    }
    return object;
  }
}

/** Text of a scalar key as written; undefined for null and collection keys. */
export function keyString(node: Node | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  if (typeof node.value === 'string') return node.value;
  if (typeof node.value === 'number' || typeof node.value === 'boolean' || typeof node.value === 'bigint') return node.source ?? String(node.value);
  return undefined;
}

export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  return text || 'the top level';
}

/** A plain YAML scalar where it is safe to write one, else a double-quoted one. */
const yamlScalar = (text: string): string => (/^[A-Za-z0-9_./@~][\w./@~-]*$/.test(text) ? text : JSON.stringify(text));

/**
 * What a scalar of the wrong type most likely meant, written as `expected` wants it, when that is
 * unambiguous: a number kept as text (quoted), a quoted whole number or boolean (unquoted), one
 * value where a list goes (`[value]`).
 */
export function meantAs(expected: string, node: Node | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  const { value } = node;
  const source = node.source ?? String(value);
  if (typeof value === 'number' && expected.includes('text')) return `"${source}"`;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (typeof value === 'string' && expected === 'a whole number' && /^-?\d+$/.test(text)) return text;
  if (typeof value === 'string' && expected === 'true or false' && /^(true|false)$/i.test(text)) return text.toLowerCase();
  if (expected.startsWith('a list') && text !== '') return `[${typeof value === 'number' ? source : yamlScalar(value)}]`;
  return undefined;
}

/** How a YAML value looks to a user, for "expected X, got Y". */
export function describeNode(node: Node | undefined): string {
  if (!node) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node)) return 'an alias';
  const value = node.value;
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${node.source ?? String(value)}`;
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (value instanceof Uint8Array) return 'binary data (!!binary)';
  return 'a tagged value';
}

export interface IntLimits {
  min?: number;
  max?: number;
}

/** A value at a path in the document, present or not. */
export class Field {
  constructor(
    readonly ctx: ReadContext,
    readonly path: ConfigPath,
    /** The key as written; undefined for list items and the document root. */
    readonly keyNode: Node | undefined,
    /** The value with aliases resolved; undefined when the key is absent. */
    readonly node: Node | undefined,
    /** Where problems about an absent key go (the parent's key). */
    private readonly absentRange: SourceRange,
    readonly exists: boolean,
  ) {}

  get label(): string {
    return formatPath(this.path);
  }

  get keyName(): string {
    const last = this.path[this.path.length - 1];
    return typeof last === 'string' ? last : this.label;
  }

  /** Present with a non-null value. */
  get isSet(): boolean {
    return this.node !== undefined && !(isScalar(this.node) && (this.node.value === null || this.node.value === undefined));
  }

  keyRange(): SourceRange {
    if (this.keyNode) return this.ctx.source.rangeOfNode(this.keyNode);
    return this.node ? this.ctx.source.rangeOfNode(this.node) : this.absentRange;
  }

  valueRange(): SourceRange {
    return this.isSet ? this.ctx.source.rangeOfNode(this.node) : this.keyRange();
  }

  /** Scalars are reported at the value; collections at their key, which is where the line starts. */
  problemRange(): SourceRange {
    return this.isSet && isScalar(this.node) ? this.valueRange() : this.keyRange();
  }

  error(code: ConfigProblemCode, message: string, options: ProblemOptions = {}): void {
    this.ctx.problems.add(code, this.problemRange(), message, options);
  }

  warn(code: ConfigProblemCode, message: string, options: ProblemOptions = {}): void {
    this.ctx.problems.warn(code, this.problemRange(), message, options);
  }

  errorAtKey(code: ConfigProblemCode, message: string, options: ProblemOptions = {}): void {
    this.ctx.problems.add(code, this.keyRange(), message, options);
  }

  warnAtKey(code: ConfigProblemCode, message: string, options: ProblemOptions = {}): void {
    this.ctx.problems.warn(code, this.keyRange(), message, options);
  }

  related(message: string): RelatedLocation {
    return this.ctx.problems.related(this.keyRange(), message);
  }

  wrongType(expected: string, example: string): void {
    const meant = meantAs(expected, this.node);
    // "Did you mean" is what the editor's quick fix writes in the value's place.
    const hint = meant !== undefined ? ` Did you mean \`${meant}\`?` : ` For example: \`${example}\`.`;
    this.error('wrong-type', `\`${this.label}\` must be ${expected}, but it is ${describeNode(this.node)}.${hint}`);
  }

  missing(what: string, example: string): void {
    this.ctx.problems.add('missing-required', this.isSet ? this.problemRange() : this.keyRange(), `\`${this.label}\` is required${what ? ` (${what})` : ''}. Add it, for example: \`${example}\`.`);
  }

  scalarValue(): unknown {
    return isScalar(this.node) ? (this.node as Scalar).value : undefined;
  }

  string(example = `${this.keyName}: value`): string | undefined {
    if (!this.isSet) return undefined;
    const value = this.scalarValue();
    if (typeof value === 'string') return value;
    this.wrongType('text', example);
    return undefined;
  }

  requiredString(what: string, example: string): string | undefined {
    if (!this.isSet) {
      this.missing(what, example);
      return undefined;
    }
    return this.string(example);
  }

  /** Any scalar as text, as written (`1.10` stays "1.10"); null is "". */
  text(): string | undefined {
    if (!this.exists) return undefined;
    if (!this.isSet) return '';
    const node = this.node as Node;
    if (isScalar(node)) {
      if (typeof node.value === 'string') return node.value;
      if (typeof node.value === 'number' || typeof node.value === 'boolean' || typeof node.value === 'bigint') return node.source ?? String(node.value);
    }
    this.wrongType('text or a number', `${this.keyName}: value`);
    return undefined;
  }

  int(limits: IntLimits = {}, example = `${this.keyName}: 1`): number | undefined {
    if (!this.isSet) return undefined;
    const value = this.scalarValue();
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.wrongType('a whole number', example);
      return undefined;
    }
    if ((limits.min !== undefined && value < limits.min) || (limits.max !== undefined && value > limits.max)) {
      this.error('out-of-range', `\`${this.label}\` is ${value}; it must be ${rangeText(limits)}.`);
      return undefined;
    }
    return value;
  }

  bool(): boolean | undefined {
    if (!this.isSet) return undefined;
    const value = this.scalarValue();
    if (typeof value === 'boolean') return value;
    this.wrongType('true or false', `${this.keyName}: true`);
    return undefined;
  }

  enumOf<T extends string>(allowed: readonly T[]): T | undefined {
    const value = this.string(`${this.keyName}: ${allowed[0]}`);
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    const choices = allowed.length === 1 ? listOf(allowed) : `one of ${listOf(allowed)}`;
    this.error('invalid-enum', `\`${this.label}\` is "${value}"; it must be ${choices}.${didYouMean(value, allowed)}`);
    return undefined;
  }

  /** A mapping (an empty one for `key:` with no value); undefined when absent or not a mapping. */
  map(allowedKeys?: readonly string[], example = `${this.keyName}: {}`): MapReader | undefined {
    if (!this.exists) return undefined;
    if (!this.isSet) return new MapReader(this, undefined, allowedKeys);
    if (isMap(this.node)) return new MapReader(this, this.node, allowedKeys);
    this.wrongType('a mapping of `key: value` pairs', example);
    return undefined;
  }

  /** The items of a list (none for `key:` with no value); undefined when absent or not a list. */
  list(example = `${this.keyName}: [a, b]`): Field[] | undefined {
    if (!this.exists) return undefined;
    if (!this.isSet) return [];
    if (!isSeq(this.node)) {
      this.wrongType('a list', example);
      return undefined;
    }
    return this.node.items.map((item, index) => {
      const node = this.ctx.deref(item);
      return new Field(this.ctx, [...this.path, index], undefined, node, this.keyRange(), true);
    });
  }

  stringList(example: string): string[] | undefined {
    if (isScalar(this.node) && typeof this.scalarValue() === 'string') {
      this.wrongType('a list of text values', example);
      return undefined;
    }
    const items = this.list(example);
    if (!items) return undefined;
    const values: string[] = [];
    for (const item of items) {
      const value = item.string(example);
      if (value !== undefined) values.push(value);
    }
    return values;
  }

  plain(): unknown {
    return this.ctx.plain(this.node);
  }
}

function rangeText(limits: IntLimits): string {
  if (limits.min !== undefined && limits.max !== undefined) return `between ${limits.min} and ${limits.max}`;
  if (limits.min !== undefined) return `at least ${limits.min}`;
  return `at most ${limits.max}`;
}

interface Entry {
  keyNode: Node;
  valueNode: Node | undefined;
}

/** The entries of one mapping, first occurrence of each key winning (duplicates are reported by the parser). */
export class MapReader {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly field: Field, map: Node | undefined, allowedKeys?: readonly string[]) {
    if (isMap(map)) this.collect(map.items);
    if (allowedKeys) this.reportUnknownKeys(allowedKeys);
  }

  get ctx(): ReadContext {
    return this.field.ctx;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): Field {
    const entry = this.entries.get(key);
    const path = [...this.field.path, key];
    if (!entry) return new Field(this.ctx, path, undefined, undefined, this.absentRange(), false);
    return new Field(this.ctx, path, entry.keyNode, this.ctx.deref(entry.valueNode), this.absentRange(), true);
  }

  fields(): Field[] {
    return this.keys().map((key) => this.get(key));
  }

  /** Where a missing key is reported: the mapping's own key, or the first key of the document. */
  private absentRange(): SourceRange {
    if (this.field.keyNode || this.field.path.length > 0) return this.field.keyRange();
    const first = this.entries.values().next().value as Entry | undefined;
    return first ? this.ctx.source.rangeOfNode(first.keyNode) : this.field.keyRange();
  }

  private collect(items: readonly unknown[]): void {
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = this.ctx.deref(pair.key);
      const key = keyString(keyNode);
      if (key === undefined || !keyNode) {
        const at = keyNode ?? this.ctx.deref(pair.value);
        this.ctx.reportNonStringKey(keyNode, at ? this.ctx.source.rangeOfNode(at) : this.field.keyRange());
        continue;
      }
      if (!this.entries.has(key)) this.entries.set(key, { keyNode, valueNode: pair.value as Node | undefined });
    }
  }

  /**
   * Warns about every key not in `allowed`. A key that looks like a misspelling of one in
   * `critical` is an error instead: `critical` maps such a key to what ignoring it does.
   */
  reportUnknownKeys(allowed: readonly string[], critical: Readonly<Record<string, string>> = {}): void {
    const where = this.field.path.length === 0 ? 'at the top level' : `in \`${this.field.label}\``;
    for (const key of this.keys()) {
      if (allowed.includes(key)) continue;
      if (this.ctx.problems.isFull) {
        this.ctx.problems.drop();
        continue;
      }
      const meant = closestMatch(key, allowed);
      const message = `\`${printable(key)}\` is not a known key ${where} and is ignored.${didYouMean(key, allowed)}`;
      if (meant !== undefined && critical[meant]) this.get(key).errorAtKey('unknown-key', `${message} ${critical[meant]}`);
      else this.get(key).warnAtKey('unknown-key', `${message} Valid keys: ${listOf(allowed)}.`);
    }
  }
}

/** A Field for the document root. */
export function rootField(ctx: ReadContext, node: Node | undefined): Field {
  return new Field(ctx, [], undefined, ctx.deref(node), ctx.source.range(0, 0), node !== undefined);
}
