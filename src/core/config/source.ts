/** Offsets → line/column ranges, and the list problems are collected into. */
import { LineCounter, type Node } from 'yaml';
import type { ConfigProblemCode } from './codes';
import type { Problem, RelatedLocation, Severity, SourcePosition, SourceRange } from './types';

/**
 * A file's text with its line starts. The line counter is filled here rather than
 * during parsing so positions also work for text that is never parsed (too large).
 */
export class SourceText {
  private readonly lines = new LineCounter();

  constructor(readonly file: string, readonly text: string) {
    this.lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lines.addNewLine(i + 1);
  }

  position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(this.clamp(offset));
    return { line, column: col };
  }

  range(startOffset: number, endOffset: number): SourceRange {
    const start = this.clamp(startOffset);
    const end = Math.max(start, this.clamp(endOffset));
    return { start: this.position(start), end: this.position(end), startOffset: start, endOffset: end };
  }

  /** The node's value range (without trailing comments); the document start when the node has none. */
  rangeOfNode(node: Node | null | undefined): SourceRange {
    const r = node?.range;
    return r ? this.range(r[0], r[1]) : this.range(0, 0);
  }

  private clamp(offset: number): number {
    return Math.min(Math.max(0, Number.isFinite(offset) ? Math.floor(offset) : 0), this.text.length);
  }
}

export interface ProblemOptions {
  severity?: Severity;
  related?: RelatedLocation[];
  component?: string;
}

/** More than anyone reads; the cap keeps a hostile file (every line a problem) fast. */
export const MAX_PROBLEMS = 1000;

/** Collects problems for one file. Errors are the default severity. */
export class ProblemList {
  readonly items: Problem[] = [];
  private dropped = 0;

  constructor(readonly source: SourceText) {}

  get isFull(): boolean {
    return this.items.length >= MAX_PROBLEMS;
  }

  /** Counts a problem that is not worth building once the list is full. */
  drop(): void {
    this.dropped++;
  }

  add(code: ConfigProblemCode, range: SourceRange, message: string, options: ProblemOptions = {}): void {
    if (this.isFull) {
      this.dropped++;
      return;
    }
    const problem: Problem = { file: this.source.file, range, severity: options.severity ?? 'error', code, message };
    if (options.related) problem.related = options.related;
    if (options.component) problem.component = options.component;
    this.items.push(problem);
  }

  warn(code: ConfigProblemCode, range: SourceRange, message: string, options: ProblemOptions = {}): void {
    this.add(code, range, message, { ...options, severity: 'warning' });
  }

  /** The problems, in file order, ending with a note of how many were left out. */
  sorted(): Problem[] {
    const ordered = this.items.map((p, i) => [p, i] as const).sort(([a, i], [b, j]) => a.range.startOffset - b.range.startOffset || i - j).map(([p]) => p);
    if (this.dropped > 0) {
      const last = ordered[ordered.length - 1];
      ordered.push({ file: this.source.file, range: last.range, severity: 'info', code: 'too-many-problems', message: `${this.dropped} more problems were not listed (the limit is ${MAX_PROBLEMS}). Fix the ones above, or check that this is the right file.` });
    }
    return ordered;
  }

  related(range: SourceRange, message: string): RelatedLocation {
    return { file: this.source.file, range, message };
  }
}
