/** The flags of the moment every verb is run with: the located azure.yaml plus `modelopsInfra.*`. */
import type { FlagValues } from '../../core/flags';
import type { ConfigLocator } from '../config/configLocator';
import { readSettings } from '../settings';
import { commonFlags } from './cliArgs';

export function cliSettings(locator: ConfigLocator): FlagValues & { config: string } {
  const configFile = locator.uri?.fsPath;
  if (!configFile) throw new Error('no azure.yaml in this workspace. Create one, or set "modelopsInfra.configFile".');
  return commonFlags(configFile, readSettings());
}
