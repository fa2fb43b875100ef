/**
 * One run of the CLI in a child Node process (VS Code's own runtime with
 * ELECTRON_RUN_AS_NODE), never inside the extension host. Reads NDJSON events
 * from stdout; cancel sends SIGINT (a second cancel sends it again = force).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { OperationEvent } from '../../core/events';
import { LineSplitter, parseEventLine } from './ndjson';

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** All stdout text that was not an event (for `--json` documents). */
  stdout: string;
  stderr: string;
}

export interface SpawnSpec {
  nodePath: string;
  cliPath: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export class CliProcess {
  private readonly child: ChildProcess;
  private readonly emitter = new EventEmitter();
  private readonly stdoutLines = new LineSplitter();
  private readonly stderrLines = new LineSplitter();
  private stdoutText = '';
  private stderrText = '';
  private cancels = 0;
  readonly done: Promise<CliExit>;

  constructor(spec: SpawnSpec) {
    this.child = spawn(spec.nodePath, [spec.cliPath, ...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child.stdout!.on('data', (chunk: Buffer) => this.onStdout(this.stdoutLines.push(chunk)));
    this.child.stderr!.on('data', (chunk: Buffer) => this.takeStderr(this.stderrLines.push(chunk)));
    this.done = new Promise<CliExit>((resolve) => {
      // A spawn failure (no node, no cli.js) may come without 'close'.
      this.child.on('error', (error) => {
        this.takeStderr([error.message]);
        resolve({ code: null, signal: null, stdout: this.stdoutText, stderr: this.stderrText });
      });
      this.child.on('close', (code, signal) => {
        this.onStdout(this.stdoutLines.flush());
        this.takeStderr(this.stderrLines.flush());
        resolve({ code, signal, stdout: this.stdoutText, stderr: this.stderrText });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The process has exited (or never started). */
  get ended(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null || this.child.pid === undefined;
  }

  /** How many times cancel was asked for. */
  get cancelCount(): number {
    return this.cancels;
  }

  onEvent(listener: (event: OperationEvent) => void): void {
    this.emitter.on('event', listener);
  }

  onStderr(listener: (line: string) => void): void {
    this.emitter.on('stderr', listener);
  }

  private takeStderr(lines: string[]): void {
    for (const line of lines) {
      this.stderrText += `${line}\n`;
      if (line.trim()) this.emitter.emit('stderr', line);
    }
  }

  /** SIGINT: the CLI cancels Pulumi gracefully; a second SIGINT forces. */
  cancel(): number {
    this.cancels++;
    if (!this.ended) this.child.kill('SIGINT');
    return this.cancels;
  }

  private onStdout(lines: string[]): void {
    for (const line of lines) {
      const event = parseEventLine(line);
      if (event) this.emitter.emit('event', event as unknown as OperationEvent);
      else this.stdoutText += `${line}\n`;
    }
  }
}
