/** The CLI settings of the moment: the located azure.yaml plus `modelopsInfra.*`. */
import type { ConfigLocator } from '../config/configLocator';
import type { CliSettings } from './cliArgs';
import { readSettings } from '../settings';

export function cliSettings(locator: ConfigLocator): CliSettings {
  const s = readSettings();
  const configFile = locator.uri?.fsPath;
  if (!configFile) throw new Error('no azure.yaml in this workspace. Create one, or set "modelopsInfra.configFile".');
  return {
    configFile,
    environment: s.environment,
    pulumiPath: s.pulumiPath,
    backendUrl: s.backendUrl,
    retryAttempts: s.retryAttempts,
    retryDelayMs: s.retryDelayMs,
  };
}
