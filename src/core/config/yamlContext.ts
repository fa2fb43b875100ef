/**
 * Where the cursor is in an azure.yaml being typed: the keys above it (`aks`, `node_pools`, `[]`
 * for a list item, …), whether it is typing a key or a key's value, and the keys already there
 * beside it. Read from indentation alone, so a half-typed file that no YAML parser accepts still
 * gets completion. Block style only (what azure.yaml uses); inside a flow `{…}` it knows less.
 */

/** `[]`: an item of a list. */
export const LIST_ITEM = '[]';

export interface YamlContext {
  /** The keys that contain the cursor's key, outermost first. */
  path: string[];
  /** Typing the value of this key (`key: |`); undefined while typing a key. */
  valueFor?: string;
  /** The cursor's line starts a list item (`- |`). */
  startsItem: boolean;
  /** What is typed so far of the key or the value. */
  prefix: string;
  /** The keys already written at the cursor's level (to offer the others). */
  siblings: string[];
  /** The column keys start at on the cursor's level. */
  column: number;
}

interface Line {
  indent: number;
  dash: boolean;
  /** Column where the content after `- ` starts. */
  content: number;
  key?: string;
}

const KEY = /^([A-Za-z_][\w.-]*)\s*:(?:\s|$)/;

function readLine(text: string): Line | undefined {
  const indent = text.length - text.trimStart().length;
  let rest = text.slice(indent);
  if (!rest || rest.startsWith('#')) return undefined;
  let content = indent;
  const dash = /^-(\s|$)/.test(rest);
  if (dash) {
    const after = rest.slice(1);
    content = indent + 1 + (after.length - after.trimStart().length);
    rest = after.trimStart();
  }
  const key = KEY.exec(rest)?.[1];
  return { indent, dash, content, ...(key ? { key } : {}) };
}

/** The keys above line `at` (exclusive) that contain a key starting at column `column`. */
function parents(lines: readonly string[], at: number, column: number, startsItem: { indent: number } | undefined): string[] {
  const path: string[] = [];
  let want = column;
  let allowEqual = false;
  if (startsItem) {
    path.push(LIST_ITEM);
    want = startsItem.indent;
    allowEqual = true;
  }
  for (let i = at - 1; i >= 0 && (want > 0 || allowEqual); i--) {
    const line = readLine(lines[i]);
    if (!line) continue;
    if (line.dash && line.content === want) {
      // A key of this list item (or the item's own first key): we are inside the item.
      path.push(LIST_ITEM);
      want = line.indent;
      allowEqual = true;
    } else if (line.key && (line.content < want || (allowEqual && !line.dash && line.content === want))) {
      path.push(line.key);
      if (line.dash) path.push(LIST_ITEM);
      want = line.indent;
      allowEqual = line.dash;
    }
  }
  return path.reverse();
}

/**
 * The keys at `column` in the block around line `at`: up to the line that opens it (a parent
 * key, or the `- ` that starts this list item) and down to where it ends (a parent's sibling,
 * or the next item).
 */
function siblingsOf(lines: readonly string[], at: number, column: number, startsItem: boolean): string[] {
  const keys: string[] = [];
  for (let i = at - 1; i >= 0 && !startsItem; i--) {
    const line = readLine(lines[i]);
    if (!line || line.content > column) continue;
    if (line.content < column) break;
    if (line.key) keys.push(line.key);
    if (line.dash) break; // the start of this item
  }
  for (let i = at + 1; i < lines.length; i++) {
    const line = readLine(lines[i]);
    if (!line || line.content > column) continue;
    if (line.content < column || line.dash) break;
    if (line.key) keys.push(line.key);
  }
  return keys;
}

/** The context at (line, character), both zero-based. */
export function yamlContextAt(text: string, line: number, character: number): YamlContext {
  const lines = text.split(/\r?\n/);
  const before = (lines[line] ?? '').slice(0, character);
  const dashed = /^(\s*)-(\s+)(.*)$/.exec(before);
  const indent = before.length - before.trimStart().length;
  const column = dashed ? dashed[1].length + 1 + dashed[2].length : indent;
  const rest = dashed ? dashed[3] : before.slice(indent);
  const startsItem = dashed ? { indent: dashed[1].length } : undefined;
  const path = parents(lines, line, column, startsItem);
  const siblings = siblingsOf(lines, line, column, !!startsItem);
  const keyed = /^([A-Za-z_][\w.-]*)\s*:\s*(.*)$/.exec(rest);
  if (keyed) return { path, valueFor: keyed[1], prefix: keyed[2], siblings, column, startsItem: !!startsItem };
  return { path, prefix: rest, siblings, column, startsItem: !!startsItem };
}
