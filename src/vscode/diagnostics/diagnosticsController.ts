/**
 * Problems in azure.yaml: config problems from the core parser plus readiness
 * problems from the last known readiness. Recomputed on edit (300 ms debounce,
 * no Pulumi call), and whenever readiness or the config file changes.
 */
import { readConfigFile } from '../../engine/userFiles';
import * as vscode from 'vscode';
import { readinessProblems } from '../../core/readinessProblems';
import type { Problem } from '../../core/config/types';
import type { ConfigLocator } from '../config/configLocator';
import { parseConfig } from '../../core/config/parse';
import { buildModel } from '../../core/model';
import type { Log } from '../log';
import { readSettings } from '../settings';
import type { ReadinessStore } from '../readiness/readinessStore';
import { DIAGNOSTIC_SOURCE, toDiagnostic } from './toDiagnostic';

export class DiagnosticsController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly problems = new WeakMap<vscode.Diagnostic, Problem>();
  private last: Array<[vscode.Diagnostic, Problem]> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly locator: ConfigLocator, private readonly store: ReadinessStore, private readonly log: Log) {
    this.subscriptions = [
      this.collection,
      store.onDidChange(() => this.update()),
      locator.onDidChange(() => {
        this.collection.clear();
        this.update();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.isConfig(e.document.uri) && this.schedule()),
      vscode.workspace.onDidCloseTextDocument((d) => this.isConfig(d.uri) && this.schedule()),
    ];
    this.update();
  }

  /** The core problem a diagnostic was made from (identity, else code + message + position). */
  problemFor(d: vscode.Diagnostic): Problem | undefined {
    return (
      this.problems.get(d) ??
      this.last.find(([x]) => x.code === d.code && x.message === d.message && x.range.isEqual(d.range))?.[1]
    );
  }

  private isConfig(uri: vscode.Uri): boolean {
    return uri.toString() === this.locator.uri?.toString();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), 300);
  }

  update(): void {
    const uri = this.locator.uri;
    if (!uri) {
      this.collection.clear();
      return;
    }
    try {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = open ? open.getText() : readConfigFile(uri.fsPath);
      const model = buildModel(parseConfig(text, uri.fsPath), readSettings().environment || this.store.env);
      const problems = [...model.problems];
      if (this.store.components.length && model.components.length) problems.push(...readinessProblems(model.parsed, model.components, this.store.components));
      this.last = problems.map((p) => {
        const d = toDiagnostic(p);
        this.problems.set(d, p);
        return [d, p];
      });
      this.collection.set(uri, this.last.map(([d]) => d));
    } catch (error) {
      this.log.warn(`diagnostics for ${uri.fsPath}: ${(error as Error).message}`);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
  }
}
