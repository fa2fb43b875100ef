/** The Pulumi passphrase lives in SecretStorage, never in settings. */
import * as vscode from 'vscode';

const KEY = 'modelopsInfra.pulumiPassphrase';

export class PassphraseStore {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    secrets.onDidChange((e) => e.key === KEY && this.changed.fire());
  }

  get(): Thenable<string | undefined> {
    return this.secrets.get(KEY);
  }

  async set(value: string | undefined): Promise<void> {
    if (value) await this.secrets.store(KEY, value);
    else await this.secrets.delete(KEY);
  }
}
