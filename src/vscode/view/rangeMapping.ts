/** Core ranges are 1-based line/column; editor positions are 0-based. */
import type { SourceRange } from '../../core/config/types';

export interface ZeroBasedRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export function toZeroBased(range: SourceRange): ZeroBasedRange {
  const clamp = (n: number) => Math.max(0, n - 1);
  const startLine = clamp(range.start.line);
  const startCharacter = clamp(range.start.column);
  let endLine = clamp(range.end.line);
  let endCharacter = clamp(range.end.column);
  if (endLine < startLine || (endLine === startLine && endCharacter < startCharacter)) {
    endLine = startLine;
    endCharacter = startCharacter;
  }
  return { startLine, startCharacter, endLine, endCharacter };
}
