/** Quick fixes for our diagnostics, chosen by `diagnostic.code` (never by message text). */
import * as vscode from 'vscode';
import { removeFaultEdit } from '../../core/config/faults';
import { parseConfig } from '../../core/config/parse';
import { quickFixesFor } from '../view/quickFixPlan';
import type { DiagnosticsController } from './diagnosticsController';
import { DIAGNOSTIC_SOURCE } from './toDiagnostic';

export const CONFIG_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/azure.yaml' },
  { scheme: 'file', pattern: '**/*.modelops.yaml' },
];

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const problem = this.diagnostics.problemFor(d);
      if (!problem) continue;
      for (const fix of quickFixesFor(problem)) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = fix.preferred;
        if (fix.kind === 'remove-fault' && problem.fault) {
          const edit = removeFaultEdit(parseConfig(document.getText(), document.uri.fsPath), problem.fault);
          if (!edit) continue;
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.startOffset), document.positionAt(edit.endOffset)), edit.newText);
        } else if (fix.kind === 'replace' && fix.replacement !== undefined) {
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(document.uri, d.range, fix.replacement);
        } else if (fix.kind === 'repair') {
          action.command = { command: 'modelopsInfra.repair', title: fix.title, arguments: [problem.component] };
        } else if (fix.kind === 'down') {
          action.command = { command: 'modelopsInfra.downComponent', title: fix.title, arguments: [problem.component] };
        } else if (fix.kind === 'up') {
          action.command = { command: 'modelopsInfra.upComponent', title: fix.title, arguments: [problem.component] };
        } else {
          action.command = { command: 'modelopsInfra.refresh', title: fix.title };
        }
        actions.push(action);
      }
    }
    return actions;
  }
}

export function registerQuickFixes(diagnostics: DiagnosticsController): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(CONFIG_SELECTOR, new QuickFixProvider(diagnostics), QuickFixProvider.metadata);
}
