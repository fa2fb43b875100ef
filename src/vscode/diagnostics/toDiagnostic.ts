/** Core Problem → vscode.Diagnostic (0-based range, code, source, related information). */
import * as vscode from 'vscode';
import type { Problem, SourceRange } from '../../core/config/types';
import { toZeroBased } from '../view/rangeMapping';

export const DIAGNOSTIC_SOURCE = 'modelops-infra';

export function toRange(range: SourceRange): vscode.Range {
  const r = toZeroBased(range);
  return new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter);
}

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(problem: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(problem.range), problem.message, SEVERITY[problem.severity] ?? vscode.DiagnosticSeverity.Error);
  d.code = problem.code;
  d.source = DIAGNOSTIC_SOURCE;
  if (problem.related?.length) {
    d.relatedInformation = problem.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(r.range)), r.message));
  }
  return d;
}
