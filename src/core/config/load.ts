/**
 * Text → YAML document, turning every way YAML can go wrong (including hostile
 * input: huge files, alias bombs, deep nesting) into problems instead of throws.
 */
import { CST, isAlias, isMap, isNode, isScalar, isSeq, Lexer, parseDocument, type Alias, type Document, type Node, type YAMLMap } from 'yaml';
import type { ProblemList } from './source';

export const MAX_CONFIG_CHARS = 2 * 1024 * 1024;
export const MAX_ALIAS_COUNT = 100;
/**
 * Far deeper than any config needs, far shallower than where recursion in the
 * YAML composer could exhaust the stack (the check may allow up to twice this).
 */
export const MAX_NESTING_DEPTH = 100;

export type ParsedDocument = Document.Parsed;

/** What each alias points to, resolved once for the whole document (Alias.resolve rescans the document per call). */
export class AnchorIndex {
  constructor(readonly aliases: Alias[], private readonly targets: Map<Alias, Node>) {}

  resolve(alias: Alias): Node | undefined {
    return this.targets.get(alias);
  }
}

/**
 * One iterative walk in document order: resolves aliases to the anchor defined
 * before them, and reports duplicate keys. (The parser's own `uniqueKeys` check
 * compares each key with every earlier one, which hangs on a hostile file with
 * hundreds of thousands of keys; here a Set per mapping keeps it linear.)
 */
function indexDocument(doc: ParsedDocument, problems: ProblemList): AnchorIndex {
  const latestAnchor = new Map<string, Node>();
  const aliases: Alias[] = [];
  const targets = new Map<Alias, Node>();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      aliases.push(node);
      const target = latestAnchor.get(node.source);
      if (target) targets.set(node, target);
      continue;
    }
    if (!isNode(node)) continue;
    if (node.anchor) latestAnchor.set(node.anchor, node);
    if (isMap(node)) {
      reportDuplicateKeys(node, problems);
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i].value, node.items[i].key);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return new AnchorIndex(aliases, targets);
}

function reportDuplicateKeys(map: YAMLMap, problems: ProblemList): void {
  if (map.items.length < 2) return;
  const source = problems.source;
  const seen = new Map<string, Node>();
  for (const { key } of map.items) {
    if (!isScalar(key) || key.value === null || key.value === undefined) continue;
    const identity = `${typeof key.value}:${String(key.value)}`;
    const first = seen.get(identity);
    if (!first) {
      seen.set(identity, key);
      continue;
    }
    const range = source.rangeOfNode(key);
    const name = source.text.slice(range.startOffset, range.endOffset).split('\n')[0].slice(0, 80);
    const related = [problems.related(source.rangeOfNode(first), `first \`${name}\``)];
    problems.add('duplicate-key', range, `\`${name}\` appears more than once in this mapping; only the first one is read. Remove this one, or merge the two.`, { related });
  }
}

export interface LoadedYaml {
  doc: ParsedDocument;
  anchors: AnchorIndex;
}

/**
 * Why `text` is not UTF-8 text, if it is not: decoding as UTF-8 turns invalid bytes into
 * U+FFFD, and UTF-16 or binary data brings NUL characters. Says nothing of the content.
 */
export function notUtf8Reason(text: string): string | undefined {
  const head = text.slice(0, 4096);
  const nuls = (head.match(/\u0000/g) ?? []).length;
  if (nuls > 0 && (/^\ufffd\ufffd/.test(text) || nuls * 3 >= head.length)) return 'it looks like UTF-16';
  if (nuls > 0) return 'it holds binary data';
  if (text.includes('\ufffd')) return 'it holds bytes that are not UTF-8';
  return undefined;
}

/** Parses `text`; undefined when it must not or cannot be read as a config (problems say why). */
export function loadYaml(text: string, problems: ProblemList): LoadedYaml | undefined {
  const source = problems.source;
  const encoding = notUtf8Reason(text);
  if (encoding) {
    problems.add('not-utf8', source.range(0, 0), `The file is not UTF-8 text: ${encoding}. Save it as UTF-8 (in VS Code: the encoding in the status bar → "Save with Encoding" → UTF-8).`);
    return undefined;
  }
  if (text.length > MAX_CONFIG_CHARS) {
    problems.add('file-too-large', source.range(0, 0), `The file has ${text.length} characters; configs are limited to ${MAX_CONFIG_CHARS} (2 MB). This is not a hand-written config: check that the right file is opened.`);
    return undefined;
  }
  const tooDeepAt = findExcessiveNesting(text);
  if (tooDeepAt !== undefined) {
    problems.add('yaml-too-deep', source.range(tooDeepAt, tooDeepAt + 1), `Collections are nested more than ${MAX_NESTING_DEPTH} levels deep here; the file was not read. A config needs only a few levels: remove the extra brackets or indentation.`);
    return undefined;
  }
  let doc: ParsedDocument;
  try {
    // maxAliasCount is a toJS option (it limits expansion, not parsing): checkAliases applies it.
    // uniqueKeys is off because its check is quadratic; indexDocument reports duplicates instead.
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    problems.add('yaml-syntax', source.range(0, 0), `The YAML parser failed: ${(error as Error).message}. Check the file is YAML text.`);
    return undefined;
  }
  reportYamlDiagnostics(doc, problems);
  const anchors = indexDocument(doc, problems);
  if (!checkAliases(doc, anchors, problems)) return undefined;
  return { doc, anchors };
}

function reportYamlDiagnostics(doc: ParsedDocument, problems: ProblemList): void {
  const source = problems.source;
  for (const error of doc.errors) {
    const range = source.range(error.pos[0], error.pos[1]);
    switch (error.code) {
      case 'MULTIPLE_DOCS':
        problems.add('multiple-documents', range, 'The file holds more than one YAML document; only the first is read. Remove the `---` separator and everything after it, or merge the documents into one.');
        break;
      case 'TAB_AS_INDENT':
        problems.add('yaml-tab-indent', range, `${firstLine(error.message)}. ${syntaxHint(error.code)}`);
        break;
      case 'RESOURCE_EXHAUSTION':
        problems.add('yaml-too-deep', range, `The YAML is nested too deeply to read (${error.message}). Remove the extra nesting.`);
        break;
      default:
        problems.add('yaml-syntax', range, `${firstLine(error.message)}. ${syntaxHint(error.code)}`);
    }
  }
  for (const warning of doc.warnings) {
    const range = source.range(warning.pos[0], warning.pos[1]);
    if (warning.code === 'TAG_RESOLVE_FAILED') {
      problems.warn('yaml-unknown-tag', range, `${firstLine(warning.message)}; the value is read as plain text. Remove the tag.`);
    } else {
      problems.warn('yaml-syntax', range, `${firstLine(warning.message)}. ${syntaxHint(warning.code)}`);
    }
  }
}

/** False when the document must not be read further (alias bomb). Unresolved aliases are reported and read as empty. */
function checkAliases(doc: ParsedDocument, anchors: AnchorIndex, problems: ProblemList): boolean {
  if (anchors.aliases.length === 0) return true;
  for (const alias of anchors.aliases) {
    if (!anchors.resolve(alias)) {
      problems.add('yaml-syntax', problems.source.rangeOfNode(alias), `Alias \`*${alias.source}\` refers to no anchor defined before it. Define \`&${alias.source}\` on an earlier value, or write the value out.`);
    }
  }
  try {
    // toJS applies maxAliasCount; mapAsMap avoids Node's process warning about non-string keys.
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
  } catch (error) {
    if (/alias count/i.test((error as Error).message)) {
      problems.add('yaml-alias-limit', problems.source.rangeOfNode(anchors.aliases[0]), `Aliases here expand to too many values (limit ${MAX_ALIAS_COUNT}); this looks like a "billion laughs" attack and the file was not read. Write the values out instead of nesting aliases.`);
      return false;
    }
  }
  return true;
}

/**
 * A quick sufficient test that lets ordinary files skip the lexer pass: each
 * nesting level needs a flow bracket or at most two more columns of indentation
 * (counting the indicators `-`, `?` and `:`, and tabs, as indentation).
 */
const INDENT_LIKE = new Set([0x20, 0x09, 0x2d, 0x3f, 0x3a]);

function cannotNestTooDeep(text: string): boolean {
  let brackets = 0;
  let deepestContentColumn = 0;
  let column = 0;
  let inIndent = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) {
      if (inIndent && column > deepestContentColumn) deepestContentColumn = column;
      column = 0;
      inIndent = true;
      continue;
    }
    if (code === 0x5b || code === 0x7b) brackets++;
    if (inIndent && !INDENT_LIKE.has(code)) {
      inIndent = false;
      if (column > deepestContentColumn) deepestContentColumn = column;
    }
    column++;
  }
  if (inIndent && column > deepestContentColumn) deepestContentColumn = column;
  return brackets + 2 * (deepestContentColumn + 1) <= MAX_NESTING_DEPTH;
}

const LEXER_CONTROL_TOKENS = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);
const INDICATORS = new Set(['seq-item-ind', 'explicit-key-ind', 'map-value-ind']);

/**
 * Offset where nesting may exceed MAX_NESTING_DEPTH, else undefined. Runs on the
 * lexer, which is linear and stops early; the parser and composer are slow (and
 * recursive) on deeply nested input.
 *
 * The bound: flow brackets open, plus twice the block columns open. Along a chain
 * of nested block collections start columns never decrease and repeat at most
 * once (a sequence may sit at its parent key's column), so twice the number of
 * distinct columns bounds the block depth.
 */
export function findExcessiveNesting(text: string): number | undefined {
  if (cannotNestTooDeep(text)) return undefined;
  const columns: number[] = [];
  let flowLevel = 0;
  let atLineStart = true;
  let afterIndicator = false;
  let column = 0;
  let offset = 0;
  const open = (at: number): void => {
    while (columns.length > 0 && columns[columns.length - 1] > at) columns.pop();
    if (columns[columns.length - 1] !== at) columns.push(at);
  };
  for (const token of new Lexer().lex(text)) {
    if (LEXER_CONTROL_TOKENS.has(token)) continue;
    const type = CST.tokenType(token);
    if (type === 'newline') {
      atLineStart = true;
      afterIndicator = false;
    } else if (type !== 'space' && type !== 'comment') {
      if (atLineStart || afterIndicator) open(column);
      atLineStart = false;
      afterIndicator = INDICATORS.has(type as string);
      if (type === 'flow-map-start' || type === 'flow-seq-start') flowLevel++;
      else if ((type === 'flow-map-end' || type === 'flow-seq-end') && flowLevel > 0) flowLevel--;
      if (flowLevel > MAX_NESTING_DEPTH || flowLevel + 2 * columns.length > 2 * MAX_NESTING_DEPTH) return offset;
    }
    offset += token.length;
    const newline = token.lastIndexOf('\n');
    column = newline === -1 ? column + token.length : token.length - newline - 1;
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/[.:]\s*$/, '');
}

function syntaxHint(code: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'Indent with spaces; YAML does not allow tabs.';
    case 'BAD_INDENT':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'Align keys of the same mapping at the same column and indent nested values further.';
    case 'MISSING_CHAR':
      return 'Add the missing character (often a closing quote, `]` or `}`).';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'UNEXPECTED_TOKEN':
      return 'Check for a missing `:` after a key, a stray character, or text that needs quotes.';
    case 'BAD_DQ_ESCAPE':
      return 'Fix the backslash escape, or use single quotes so backslashes are literal.';
    case 'KEY_OVER_1024_CHARS':
      return 'Shorten the key.';
    default:
      return 'Fix the YAML here; quoting a value that contains `:`, `#`, `[`, `{` or `*` often helps.';
  }
}
