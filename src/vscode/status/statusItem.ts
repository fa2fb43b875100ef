/** Status bar "$(pass) ModelOps · dev · 3/4 ready" and a language status item on azure.yaml; both focus the view. */
import * as vscode from 'vscode';
import { summarize } from '../../core/readiness';
import { CONFIG_SELECTOR } from '../diagnostics/quickFixes';
import type { RunningOperations } from '../operations/runningOperations';
import { SUMMARY_LOOK } from '../view/statusTable';
import type { ReadinessStore } from '../readiness/readinessStore';

const FOCUS = 'modelopsInfra.components.focus';

export function createStatusItems(store: ReadinessStore, running: RunningOperations): vscode.Disposable {
  const bar = vscode.window.createStatusBarItem('modelopsInfra.status', vscode.StatusBarAlignment.Left, 10);
  bar.name = 'ModelOps Infra';
  bar.command = FOCUS;
  const lang = vscode.languages.createLanguageStatusItem('modelopsInfra.readiness', CONFIG_SELECTOR);
  lang.name = 'ModelOps readiness';
  lang.command = { command: FOCUS, title: 'Show components' };

  const update = () => {
    const { ready, total } = summarize(store.components);
    const ops = running.all;
    if (total === 0 && !ops.length) {
      bar.hide();
      lang.text = 'ModelOps: no status';
      lang.severity = vscode.LanguageStatusSeverity.Information;
      return;
    }
    const allReady = ready === total;
    const look = SUMMARY_LOOK[ops.length ? 'running' : allReady ? 'allReady' : 'notReady'];
    const icon = `$(${look.icon})`;
    const env = store.env ?? '';
    bar.text = `${icon} ModelOps · ${env} · ${ready}/${total} ready`;
    const state = ops.length ? `Running: ${ops.map((o) => o.verb).join(', ')}` : allReady ? 'All components ready' : `${total - ready} component(s) not ready`;
    bar.tooltip = `Environment ${env}. ${state}`;
    const warn = SUMMARY_LOOK.notReady.color!;
    bar.backgroundColor = allReady ? undefined : new vscode.ThemeColor(warn);
    bar.show();
    lang.text = `${env} · ${ready}/${total} ready`;
    lang.detail = `ModelOps components of environment ${env}`;
    lang.busy = ops.length > 0;
    lang.severity = allReady ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Warning;
  };
  update();
  return vscode.Disposable.from(bar, lang, store.onDidChange(update), running.onDidChange(update));
}
