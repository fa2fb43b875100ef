/** When the Red Hat YAML extension is installed (now or later), it gets our schema for our azure.yaml. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ConfigLocator } from '../config/configLocator';
import type { Log } from '../log';
import { contributeSchema, type RedHatYamlApi } from './schemaContributor';

const RED_HAT_YAML = 'redhat.vscode-yaml';

export function offerSchemaToRedHatYaml(extensionPath: string, locator: ConfigLocator, log: Log): vscode.Disposable {
  let done = false;
  const schemaText = () => readFileSync(join(extensionPath, 'schema', 'azure.yaml.schema.json'), 'utf8');
  const tryNow = async () => {
    const yaml = vscode.extensions.getExtension<RedHatYamlApi>(RED_HAT_YAML);
    if (done || !yaml) return;
    done = true;
    try {
      const api = yaml.isActive ? yaml.exports : await yaml.activate();
      if (typeof api?.registerContributor !== 'function') return;
      // The schema is azure.yaml's: on the original's modelops.yaml or infrastructure.yaml it would squiggle valid keys.
      contributeSchema(api, () => (locator.isOriginals ? undefined : locator.uri?.toString()), schemaText);
      log.info(`azure.yaml schema handed to ${RED_HAT_YAML}`);
    } catch (error) {
      log.warn(`could not hand the azure.yaml schema to ${RED_HAT_YAML}: ${(error as Error).message}`);
    }
  };
  void tryNow();
  return vscode.extensions.onDidChange(() => void tryNow());
}
