/** Entry point: wiring only. Every concern lives in its own file. */
import * as vscode from 'vscode';
import { deployedCount } from '../core/readiness';
import { CliClient } from './child/cliClient';
import { cliSettings } from './child/cliSettings';
import { registerCommands } from './commands/registry';
import { STATE_SCHEME, StateDocuments } from './commands/showState';
import type { Services } from './commands/services';
import { ConfigLocator } from './config/configLocator';
import { DiagnosticsController } from './diagnostics/diagnosticsController';
import { registerQuickFixes } from './diagnostics/quickFixes';
import { registerConfigHelp, schemaLoader } from './editor/configHelp';
import { offerSchemaToRedHatYaml } from './editor/redHatYaml';
import { Log } from './log';
import { OperationRunner } from './operations/operationRunner';
import { RunningOperations } from './operations/runningOperations';
import { PassphraseStore } from './passphrase';
import { affectsUs } from './settings';
import { ReadinessStore } from './readiness/readinessStore';
import { Refresher } from './readiness/refresher';
import { watchFiles } from './readiness/watchers';
import { createStatusItems } from './status/statusItem';
import { ComponentsProvider } from './tree/componentsProvider';
import { ReconcileLoop } from './reconcile/reconcileLoop';
import { createComponentsView } from './tree/componentsView';
import { EnvironmentsView } from './tree/environmentsView';
import { registerTestSupport } from './testSupport';
import { CONTEXT, setContext, updateSetup } from './welcome';

let running: RunningOperations | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = new Log();
  const locator = new ConfigLocator();
  const schemas = schemaLoader(context.extensionPath);
  const passphrase = new PassphraseStore(context.secrets);
  const store = new ReadinessStore();
  running = new RunningOperations();
  const cli = new CliClient(context.extensionPath, { settings: () => cliSettings(locator), passphrase: () => passphrase.get() }, log);
  const refresher = new Refresher(cli, store, locator, running, log);
  const runner = new OperationRunner(cli, running, store, refresher, log);
  const loop = new ReconcileLoop(cli, store, refresher, locator, log);
  const provider = new ComponentsProvider(store, running, loop);
  const diagnostics = new DiagnosticsController(locator, store, log);
  const ops = running;
  const environments = new EnvironmentsView(cli, store, running, log);

  const services: Services = {
    context, log, cli, store, refresher, runner, running, locator, passphrase, environments,
    updateSetup: async () => {
      const setup = await updateSetup(locator, passphrase);
      provider.setShowComponents(!setup.noConfig && !setup.noPulumi);
    },
  };

  context.subscriptions.push(
    log, locator, store, running, refresher, provider, diagnostics, loop, environments,
    registerCommands(services),
    createComponentsView(provider, store, refresher, locator),
    createStatusItems(store, running),
    registerQuickFixes(diagnostics),
    registerConfigHelp(locator, schemas),
    vscode.workspace.registerTextDocumentContentProvider(STATE_SCHEME, new StateDocuments(cli)),
    offerSchemaToRedHatYaml(locator, schemas, log),
    registerTestSupport(context, provider, environments),
    watchFiles(locator, refresher),
    running.onDidChange(() => {
      void setContext(CONTEXT.running, ops.all.length > 0);
      void setContext(CONTEXT.cancelling, ops.cancelling);
    }),
    store.onDidChange(() => void setContext(CONTEXT.deployed, deployedCount(store.components) > 0)),
    passphrase.onDidChange(() => {
      void services.updateSetup();
      void loop.restart();
    }),
    locator.onDidChange(() => {
      void services.updateSetup();
      void loop.sync();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void refresher.refresh('settings');
      void loop.sync();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!affectsUs(e)) return;
      await locator.locate();
      await services.updateSetup();
      refresher.schedulePolling();
      diagnostics.update();
      void refresher.refresh('settings');
      void loop.sync();
    }),
  );

  log.info(`ModelOps Infra ${context.extension.packageJSON.version} activated${vscode.workspace.isTrusted ? '' : ' (Restricted Mode: read-only)'}`);
  await locator.locate();
  await services.updateSetup();
  void refresher.refresh('activation', true);
  void loop.sync();
}

/** Running CLIs get SIGINT so Pulumi stops cleanly instead of leaving a lock behind. */
export function deactivate(): void {
  for (const op of running?.all ?? []) op.process.cancel();
}
