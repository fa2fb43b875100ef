/** When the Red Hat YAML extension is installed (now or later), it gets our schema for the config we work on. */
import { readConfigFile } from '../../engine/userFiles';
import * as vscode from 'vscode';
import { formatOfText } from '../../core/config/parse';
import type { ConfigFormat } from '../../core/config/types';
import type { SchemaNode } from '../../core/config/schemaHelp';
import type { ConfigLocator } from '../config/configLocator';
import type { Log } from '../log';
import { contributeSchema, type RedHatYamlApi } from './schemaContributor';

const RED_HAT_YAML = 'redhat.vscode-yaml';

/** The config's format as the editor holds it (unsaved text included), else as on disk. */
function formatOfConfig(uri: vscode.Uri | undefined): ConfigFormat {
  if (!uri) return 'azure.yaml';
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  try {
    return formatOfText(open?.getText() ?? readConfigFile(uri.fsPath));
  } catch {
    return 'azure.yaml';
  }
}

export function offerSchemaToRedHatYaml(locator: ConfigLocator, schema: (format: ConfigFormat) => SchemaNode, log: Log): vscode.Disposable {
  let done = false;
  const tryNow = async () => {
    const yaml = vscode.extensions.getExtension<RedHatYamlApi>(RED_HAT_YAML);
    if (done || !yaml) return;
    done = true;
    try {
      const api = yaml.isActive ? yaml.exports : await yaml.activate();
      if (typeof api?.registerContributor !== 'function') return;
      contributeSchema(api, () => locator.uri?.toString(), (format) => JSON.stringify(schema(format)), () => formatOfConfig(locator.uri));
      log.info(`the config's schema handed to ${RED_HAT_YAML}`);
    } catch (error) {
      log.warn(`could not hand the config's schema to ${RED_HAT_YAML}: ${(error as Error).message}`);
    }
  };
  void tryNow();
  return vscode.extensions.onDidChange(() => void tryNow());
}
