/** The edit that sets `provider:` in azure.yaml, keeping everything else (comments too) as it is. Pure. */
import type { TextEdit } from './faults';
import type { ParsedConfig } from './types';

export function providerEdit(parsed: ParsedConfig, provider: string): TextEdit | undefined {
  const value = parsed.locate(['provider'], true);
  if (value) {
    const current = parsed.text.slice(value.startOffset, value.endOffset).trim();
    return current === provider ? undefined : { startOffset: value.startOffset, endOffset: value.startOffset + parsed.text.slice(value.startOffset, value.endOffset).trimEnd().length, newText: provider };
  }
  // No provider yet: the first line says it (YAML keys may come in any order).
  return { startOffset: 0, endOffset: 0, newText: `provider: ${provider}\n` };
}
