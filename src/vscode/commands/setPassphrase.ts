/** ModelOps: Set Pulumi Passphrase — kept in SecretStorage; passed to the CLI as PULUMI_CONFIG_PASSPHRASE. */
import * as vscode from 'vscode';
import type { Services } from './services';

export async function setPassphrase(s: Services): Promise<void> {
  const existing = await s.passphrase.get();
  const value = await vscode.window.showInputBox({
    title: 'Pulumi passphrase',
    prompt: existing
      ? 'A passphrase is set. Enter a new one, or leave empty to remove it (the CLI then uses PULUMI_CONFIG_PASSPHRASE(_FILE) or ~/.modelops/secrets/pulumi-passphrase).'
      : 'The passphrase your stacks are encrypted with. Stored in VS Code SecretStorage, never in settings.',
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) return;
  if (!value && !existing) return;
  await s.passphrase.set(value || undefined);
  s.log.info(value ? 'Pulumi passphrase stored in SecretStorage' : 'Pulumi passphrase removed from SecretStorage');
  await s.updateSetup();
  await s.refresher.refresh('passphrase', true);
}
