/**
 * Every command in one table (id → handler), registered through one wrapper
 * that logs and turns thrown errors into a message instead of a crash.
 */
import * as vscode from 'vscode';
import { cancel } from './cancel';
import { createConfig } from './createConfig';
import { forceRecreate } from './forceRecreate';
import { health, validate } from './checks';
import { openStackConfig } from './openStackConfig';
import { refresh } from './refresh';
import { repair } from './repair';
import { selectEnvironment } from './selectEnvironment';
import type { Services } from './services';
import { setPassphrase } from './setPassphrase';
import { showOutputs } from './showOutputs';
import { up } from './up';

type Handler = (services: Services, ...args: unknown[]) => unknown;

export const COMMANDS: Readonly<Record<string, Handler>> = {
  'modelopsInfra.up': up,
  'modelopsInfra.forceRecreate': forceRecreate,
  'modelopsInfra.repair': repair,
  'modelopsInfra.validate': validate,
  'modelopsInfra.health': health,
  'modelopsInfra.refresh': refresh,
  'modelopsInfra.cancel': cancel,
  'modelopsInfra.showOutputs': showOutputs,
  'modelopsInfra.openStackConfig': openStackConfig,
  'modelopsInfra.selectEnvironment': selectEnvironment,
  'modelopsInfra.setPassphrase': setPassphrase,
  'modelopsInfra.showLog': (s) => s.log.show(),
  'modelopsInfra.createConfig': createConfig,
  'modelopsInfra.openPulumiSetting': () => vscode.commands.executeCommand('workbench.action.openSettings', 'modelopsInfra.pulumiPath'),
};

export function registerCommands(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(COMMANDS).map(([id, handler]) =>
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        services.log.debug(`command ${id}`);
        try {
          return await handler(services, ...args);
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
