/** Where a component's Pulumi stack config lives. Pure. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function modelopsHomeFrom(env: NodeJS.ProcessEnv): string {
  return resolve(env.MODELOPS_HOME || join(homedir(), '.modelops'));
}

/** `<MODELOPS_HOME>/pulumi/<workDirName>/Pulumi.<stack>.yaml`. */
export function stackConfigPath(home: string, workDirName: string, stack: string): string {
  return join(home, 'pulumi', ...workDirName.split('/'), `Pulumi.${stack}.yaml`);
}

export function passphraseFilePath(home: string): string {
  return join(home, 'secrets', 'pulumi-passphrase');
}
