/** Status bar "$(pass) ModelOps · dev · 3/4 ready" and a language status item on azure.yaml; both focus the view. */
import * as vscode from 'vscode';
import { deployedCount, summarize } from '../../core/readiness';
import { CONFIG_SELECTOR } from '../diagnostics/quickFixes';
import type { RunningOperations } from '../operations/runningOperations';
import { attention } from '../view/attention';
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
    const { unhealthy, drifted, stale } = attention(store.components, (name) => store.healthOf(name));
    // Before anything is provisioned there is nothing to warn about, only something to do.
    const nothingYet = deployedCount(store.components) === 0;
    const allWell = ready === total && !unhealthy.length && !drifted.length;
    const look = SUMMARY_LOOK[ops.length ? 'running' : nothingYet ? 'nothingYet' : allWell ? 'allReady' : 'notReady'];
    const icon = `$(${look.icon})`;
    const env = store.env ?? '';
    bar.text = `${icon} ModelOps · ${env} · ${nothingYet && !ops.length ? 'not provisioned' : `${ready}/${total} ready`}${stale.length ? ` · ${stale.length} stale` : ''}${drifted.length ? ` · ${drifted.length} drifted` : ''}${unhealthy.length ? ` · ${unhealthy.length} unhealthy` : ''}`;
    const state = ops.length
      ? `Running: ${ops.map((o) => o.verb).join(', ')}`
      : nothingYet
        ? 'Nothing is provisioned yet: run ModelOps: Up to create it'
        : [
            ready === total ? 'All components ready' : `${total - ready} component(s) not ready`,
            ...(stale.length ? [`stale (built from outputs that changed since; Up re-applies them): ${stale.join(', ')}`] : []),
            ...(drifted.length ? [`the last drift check found changes outside Pulumi in ${drifted.join(', ')}`] : []),
            ...(unhealthy.length ? [`the last health check found a problem in ${unhealthy.join(', ')}`] : []),
          ].join('; ');
    bar.tooltip = `Environment ${env}. ${state}`;
    const warn = SUMMARY_LOOK.notReady.color!;
    bar.backgroundColor = allWell || nothingYet ? undefined : new vscode.ThemeColor(warn);
    bar.show();
    lang.text = `${env} · ${ready}/${total} ready`;
    lang.detail = `ModelOps components of environment ${env}`;
    lang.busy = ops.length > 0;
    lang.severity = allWell || nothingYet ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Warning;
  };
  update();
  return vscode.Disposable.from(bar, lang, store.onDidChange(update), running.onDidChange(update));
}
