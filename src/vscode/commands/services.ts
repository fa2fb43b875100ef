/** What command handlers get: the extension's long-lived parts. */
import type * as vscode from 'vscode';
import type { CliClient } from '../child/cliClient';
import type { ConfigLocator } from '../config/configLocator';
import type { Log } from '../log';
import type { OperationRunner } from '../operations/operationRunner';
import type { RunningOperations } from '../operations/runningOperations';
import type { PassphraseStore } from '../passphrase';
import type { ReadinessStore } from '../readiness/readinessStore';
import type { Refresher } from '../readiness/refresher';
import type { EnvironmentsView } from '../tree/environmentsView';

export interface Services {
  context: vscode.ExtensionContext;
  log: Log;
  cli: CliClient;
  store: ReadinessStore;
  refresher: Refresher;
  runner: OperationRunner;
  running: RunningOperations;
  locator: ConfigLocator;
  passphrase: PassphraseStore;
  environments: EnvironmentsView;
  /** Re-checks setup (config, Pulumi, passphrase) and updates the welcome context keys. */
  updateSetup(): Promise<void>;
}
