/**
 * The local provider's rehearsal faults (`local.faults.<component>`), as the text has them: where a
 * component's fault is written, and the edit that takes it out. Pure, so the editor's quick fix and
 * its tests share it.
 */
import { parseDocument } from 'yaml';
import type { LocalFault, ParsedConfig, SourceRange } from './types';

/** How a component may be written under `local.faults` besides its own name. */
const ALIASES: Readonly<Record<string, readonly string[]>> = { cluster: ['infra'], 'resource-group': ['resource_group'] };

export interface FaultLocation {
  /** The key as written (`cluster`, `infra`, …). */
  key: string;
  fault: LocalFault;
  /** The key's range: where a diagnostic about the fault goes. */
  range: SourceRange;
}

export function faultOf(parsed: ParsedConfig, component: string): FaultLocation | undefined {
  const config = parsed.config;
  const fault = config?.provider === 'local' ? config.local.faults[component] : undefined;
  if (!fault) return undefined;
  for (const key of [component, ...(ALIASES[component] ?? [])]) {
    const range = parsed.locate(['local', 'faults', key]);
    // The locator may match an alias: name the key as the file writes it.
    if (range) return { key: parsed.text.slice(range.startOffset, range.endOffset).replace(/^["']|["']$/g, '') || key, fault, range };
  }
  return undefined;
}

/** What a fault does, in words: "omits kubeconfig", "fails after 1 resource". */
export function describeFault(fault: LocalFault): string {
  const parts: string[] = [];
  if (fault.omitOutputs.length) parts.push(`omits ${fault.omitOutputs.join(', ')}`);
  if (fault.failAfterResources !== undefined) parts.push(`fails after ${fault.failAfterResources} resource${fault.failAfterResources === 1 ? '' : 's'}`);
  return parts.join(' and ') || 'slows every step';
}

/** A text edit: replace [startOffset, endOffset) with `newText`. */
export interface TextEdit {
  startOffset: number;
  endOffset: number;
  newText: string;
}

/**
 * The edit that removes the component's fault entry. A block entry (its key first on its line) goes
 * with its lines, leaving the rest of the file as written; anything else (a flow mapping) is removed
 * through the YAML document, which rewrites the file's text.
 */
export function removeFaultEdit(parsed: ParsedConfig, component: string): TextEdit | undefined {
  const at = faultOf(parsed, component);
  if (!at) return undefined;
  const text = parsed.text;
  const located = parsed.locate(['local', 'faults', at.key], true);
  // An alias's value lies elsewhere in the file: only a value after its key is this entry's.
  const value = located && located.startOffset >= at.range.endOffset ? located : at.range;
  const lineStart = text.lastIndexOf('\n', at.range.startOffset - 1) + 1;
  const keyFirstOnLine = text.slice(lineStart, at.range.startOffset).trim() === '';
  // A block value's range ends after its last line's newline: the entry ends there.
  const end = text[value.endOffset - 1] === '\n' ? value.endOffset - 1 : value.endOffset;
  const lineEnd = text.indexOf('\n', end);
  const afterValue = text.slice(end, lineEnd === -1 ? text.length : lineEnd);
  if (keyFirstOnLine && /^\s*(#.*)?$/.test(afterValue)) {
    return { startOffset: lineStart, endOffset: lineEnd === -1 ? text.length : lineEnd + 1, newText: '' };
  }
  const doc = parseDocument(text);
  doc.deleteIn(['local', 'faults', at.key]);
  return { startOffset: 0, endOffset: text.length, newText: String(doc) };
}

/**
 * Why a component is not ready when a rehearsal fault in this file is the cause, as an operation's
 * summary says it ("the fault `local.faults.cluster` (line 7) omits kubeconfig: remove it, then repair
 * cluster"); undefined when no fault explains it.
 */
export function faultCause(parsed: ParsedConfig, component: string, r: { status: string; missingOutputs: readonly string[] }): string | undefined {
  const at = faultOf(parsed, component);
  if (!at) return undefined;
  const omitted = r.missingOutputs.filter((o) => at.fault.omitOutputs.includes(o));
  const failing = r.status === 'failed' && at.fault.failAfterResources !== undefined;
  if (!omitted.length && !failing) return undefined;
  const what = omitted.length ? `omits ${omitted.join(', ')}` : describeFault(at.fault);
  return `the fault \`local.faults.${at.key}\` (line ${at.range.start.line} of ${parsed.file}) ${what}: remove it, then repair ${component}`;
}
