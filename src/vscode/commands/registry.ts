/**
 * Every command in one table: its handler and its preconditions, registered through one
 * wrapper that checks them, logs, and turns thrown errors into a message instead of a crash.
 */
import * as vscode from 'vscode';
import { saveConfigBeforeRun } from '../config/saveBeforeRun';
import { requireTrust } from '../trust';
import { cancel, forceStop } from './cancel';
import { chooseProvider } from './chooseProvider';
import { health, validate } from './checks';
import { createConfig, openConfig } from './createConfig';
import { createConfigFromOriginal } from './createConfigFromOriginal';
import { forceRecreate, forceRecreateComponent } from './forceRecreate';
import { refresh } from './refresh';
import { repair } from './repair';
import { selectEnvironment, switchEnvironment } from './selectEnvironment';
import type { Services } from './services';
import { setPassphrase } from './setPassphrase';
import { copyOutput, openOutput } from './outputActions';
import { showOutputs } from './showOutputs';
import { showState } from './showState';
import { up, upComponent } from './up';
import { down, downComponent } from './down';
import { rollbackComponent, showHistory } from './history';
import { migrate } from './migrate';
import { preview, previewComponent } from './preview';
import { checkDrift, checkDriftComponent } from './drift';
import { unblock } from './unblock';

type Handler = (services: Services, ...args: unknown[]) => unknown;

export interface CommandSpec {
  run: Handler;
  /** Runs Pulumi programs: off in Restricted Mode, with this name in the message. */
  needsTrust?: string;
  /**
   * Means every component, whatever it is invoked on: arguments are dropped (a view title
   * action receives the selected row, which must not narrow "Up" to that row).
   */
  allComponents?: boolean;
  /** Runs the CLI on the config file: its unsaved changes are saved first (`saveBeforeRun`). */
  savesConfig?: boolean;
}

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  'modelopsInfra.up': { run: up, needsTrust: 'Up', allComponents: true, savesConfig: true },
  'modelopsInfra.upComponent': { run: upComponent, needsTrust: 'Up', savesConfig: true },
  'modelopsInfra.forceRecreate': { run: forceRecreate, needsTrust: 'Up with Force Recreate', allComponents: true, savesConfig: true },
  'modelopsInfra.forceRecreateComponent': { run: forceRecreateComponent, needsTrust: 'Force Recreate', savesConfig: true },
  'modelopsInfra.repair': { run: repair, needsTrust: 'Repair', savesConfig: true },
  'modelopsInfra.preview': { run: preview, needsTrust: 'Preview', allComponents: true, savesConfig: true },
  'modelopsInfra.previewComponent': { run: previewComponent, needsTrust: 'Preview', savesConfig: true },
  'modelopsInfra.down': { run: down, needsTrust: 'Down', allComponents: true, savesConfig: true },
  'modelopsInfra.downComponent': { run: downComponent, needsTrust: 'Down', savesConfig: true },
  'modelopsInfra.showHistory': { run: showHistory, needsTrust: 'History' },
  'modelopsInfra.rollback': { run: (s, arg) => rollbackComponent(s, arg), needsTrust: 'Rollback', savesConfig: true },
  'modelopsInfra.migrate': { run: migrate, needsTrust: 'Migrate', allComponents: true, savesConfig: true },
  'modelopsInfra.checkDrift': { run: checkDrift, needsTrust: 'Check Drift', allComponents: true, savesConfig: true },
  'modelopsInfra.checkDriftComponent': { run: checkDriftComponent, needsTrust: 'Check Drift', savesConfig: true },
  'modelopsInfra.unblock': { run: unblock, needsTrust: 'Unblock', savesConfig: true },
  'modelopsInfra.validate': { run: validate, allComponents: true, savesConfig: true },
  'modelopsInfra.health': { run: health, needsTrust: 'Health', allComponents: true, savesConfig: true },
  'modelopsInfra.refresh': { run: refresh, allComponents: true },
  'modelopsInfra.cancel': { run: cancel },
  'modelopsInfra.forceStop': { run: forceStop },
  'modelopsInfra.showOutputs': { run: showOutputs },
  'modelopsInfra.copyOutput': { run: copyOutput },
  'modelopsInfra.openOutput': { run: openOutput },
  'modelopsInfra.showState': { run: showState },
  'modelopsInfra.selectEnvironment': { run: selectEnvironment },
  'modelopsInfra.switchEnvironment': { run: switchEnvironment },
  'modelopsInfra.refreshEnvironments': { run: (s) => s.environments.reload(true) },
  'modelopsInfra.chooseProvider': { run: chooseProvider },
  'modelopsInfra.setPassphrase': { run: setPassphrase },
  'modelopsInfra.showLog': { run: (s) => s.log.show() },
  'modelopsInfra.createConfig': { run: createConfig },
  'modelopsInfra.openConfig': { run: openConfig },
  'modelopsInfra.createConfigFromOriginal': { run: createConfigFromOriginal },
  'modelopsInfra.openPulumiSetting': { run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'modelopsInfra.pulumiPath') },
};

export function registerCommands(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(COMMANDS).map(([id, spec]) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        services.log.debug(`command ${id}`);
        try {
          if (spec.needsTrust && !(await requireTrust(spec.needsTrust))) return undefined;
          if (spec.savesConfig && !(await saveConfigBeforeRun(services.locator.uri, spec.needsTrust ?? 'This command', services.log))) return undefined;
          return await spec.run(services, ...(spec.allComponents ? [] : args));
        } catch (error) {
          const message = (error as Error)?.message ?? String(error);
          services.log.error(`${id}: ${message}`, false);
          const choice = await vscode.window.showErrorMessage(`ModelOps: ${message}`, 'Show Log');
          if (choice) services.log.show();
          return undefined;
        }
      }),
    ),
  );
}
