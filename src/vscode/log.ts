/**
 * The extension's one log (rust-analyzer style): a LogOutputChannel, every line
 * through the secret masker, shown only when something fails.
 */
import * as vscode from 'vscode';
import { SecretMasker } from './view/masker';

export class Log implements vscode.Disposable {
  readonly masker = new SecretMasker();
  private readonly channel = vscode.window.createOutputChannel('ModelOps Infra', { log: true });

  info(message: string): void {
    this.channel.info(this.masker.mask(message));
  }

  warn(message: string): void {
    this.channel.warn(this.masker.mask(message));
  }

  /** Errors bring the log to the front, without taking focus. */
  error(message: string, reveal = true): void {
    this.channel.error(this.masker.mask(message));
    if (reveal) this.show();
  }

  debug(message: string): void {
    this.channel.debug(this.masker.mask(message));
  }

  /** A line of a run's output (Pulumi), prefixed with its component. */
  output(component: string, line: string): void {
    this.channel.info(this.masker.mask(component ? `[${component}] ${line}` : line));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
