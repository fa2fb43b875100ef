/**
 * Every Pulumi process we start, owned by us alone.
 *
 * - Each runs in a process group of its own, so a Ctrl-C in a terminal or a SIGINT to our
 *   whole group (CI runners, `setsid`, pipelines) never reaches it directly: our process
 *   decides what Pulumi hears, once, with or without a TTY. The first cancel is one SIGINT
 *   (Pulumi finishes the steps in flight and saves state); a force is a second SIGINT
 *   (Pulumi's own "terminate"), then SIGKILL of what is left.
 * - None outlives us: a watchdog process holds a pipe from us, and when it closes without a
 *   goodbye (we were killed) it cancels every Pulumi group still registered, gracefully
 *   first. Our dynamic-provider host (dynamicProviderHost.ts) exits when its Pulumi does.
 *
 * Used through the Automation API: `ownedCommand()` stands in for its PulumiCommand.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute, dirname, delimiter } from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';

/** The SDK's CommandResult (not in its typings). */
interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}
type CommandResultCtor = new (stdout: string, stderr: string, code: number, err?: Error) => CommandResult;
const ownsGroup = process.platform !== 'win32';

// The watchdog: reads "+PID"/"-PID" lines, and "!PATH" (JSON) for a folder to remove at the end;
// when its input ends (we exited or were killed), it cancels the Pulumi groups still registered
// (SIGINT, then SIGKILL after 30 s), then removes those folders.
const WATCHDOG = `
const live = new Set(); const folders = []; let buf = '';
process.stdin.on('data', (d) => { buf += d; let i; while ((i = buf.indexOf('\\n')) >= 0) { const l = buf.slice(0, i); buf = buf.slice(i + 1);
  if (l[0] === '+') live.add(Number(l.slice(1))); else if (l[0] === '-') live.delete(Number(l.slice(1))); else if (l[0] === '!') folders.push(JSON.parse(l.slice(1))); } });
const send = (sig) => { for (const pid of live) { try { process.kill(-pid, sig); } catch { live.delete(pid); } } };
const end = () => { for (const f of folders) require('fs').rmSync(f, { recursive: true, force: true }); process.exit(0); };
process.stdin.on('end', () => {
  if (live.size === 0) end();
  send('SIGINT');
  const started = Date.now();
  const timer = setInterval(() => { for (const pid of live) { try { process.kill(pid, 0); } catch { live.delete(pid); } }
    if (live.size === 0) end();
    if (Date.now() - started > 30000) { send('SIGKILL'); end(); } }, 250);
});
`;

class Watchdog {
  private child?: ChildProcess;

  private ensure(): ChildProcess | undefined {
    if (!ownsGroup) return undefined;
    if (!this.child) {
      this.child = spawn(process.execPath, ['-e', WATCHDOG], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
      this.child.unref();
      (this.child.stdin as unknown as { unref?: () => void }).unref?.();
      this.child.stdin!.on('error', () => undefined);
    }
    return this.child;
  }

  watch(pid: number): void {
    this.ensure()?.stdin!.write(`+${pid}\n`);
  }

  forget(pid: number): void {
    this.child?.stdin!.write(`-${pid}\n`);
  }

  removeAtEnd(folder: string): void {
    this.ensure()?.stdin!.write(`!${JSON.stringify(folder)}\n`);
  }

  pid(): number | undefined {
    return this.ensure()?.pid;
  }
}

const watchdog = new Watchdog();

/**
 * `folder` is removed once this process is gone, after the Pulumi it ran: also when it is killed
 * alone (not with the watchdog, as when its machine dies; nor on Windows, which has no watchdog).
 */
export function removeWhenGone(folder: string): void {
  watchdog.removeAtEnd(folder);
}

/** The watchdog's pid, starting it if need be; undefined where there is none (Windows). */
export function watchdogPid(): number | undefined {
  return watchdog.pid();
}

const running = new Set<ChildProcess>();

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (ownsGroup) process.kill(-child.pid!, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

/**
 * Force: a second SIGINT to every Pulumi we run (it terminates), and SIGKILL to the groups
 * still there after `graceMs`. Resolves when they are gone.
 */
export async function forceStopPulumi(graceMs = 5000): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill('SIGINT');
  const deadline = Date.now() + graceMs;
  while (children.some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const child of children) if (child.exitCode === null && child.signalCode === null) signalGroup(child, 'SIGKILL');
}

/** Runs one Pulumi command; rejects with the Automation API's own error classes. */
function runOwned(auto: { CommandResult: CommandResultCtor; createCommandError: (r: CommandResult) => Error }, command: string, args: string[], cwd: string, env: Record<string, string>, onOutput?: (s: string) => void, onError?: (s: string) => void, signal?: AbortSignal): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: ownsGroup, windowsHide: true });
    running.add(child);
    if (child.pid) watchdog.watch(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => ((stdout += s), onOutput?.(s)));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => ((stderr += s), onError?.(s)));
    // One SIGINT, to Pulumi itself: it cancels gracefully and tells its plugins.
    const cancel = (): void => void child.kill('SIGINT');
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
    const finish = (code: number, error?: Error): void => {
      running.delete(child);
      if (child.pid) watchdog.forget(child.pid);
      signal?.removeEventListener('abort', cancel);
      const result = new auto.CommandResult(stdout, stderr, code, error);
      if (code === 0) resolve(result);
      else reject(auto.createCommandError(result));
    };
    child.on('error', (error) => finish(-2, error));
    child.on('close', (code, sig) => finish(code ?? (sig ? 128 : -1)));
  });
}

/**
 * Set in a workspace's environment for an update or destroy the user consented to, and for
 * previews (which change nothing): the command gets Pulumi's `--ignore-protect`, which the
 * Automation API cannot pass.
 */
export const IGNORE_PROTECT_ENV = 'MOPS_IGNORE_PROTECT';

const IGNORING_PROTECT = new Set(['up', 'destroy', 'preview']);

/**
 * Set in a workspace's environment for an update the data guard leaves to the engine's own
 * protection: the `up` runs Pulumi's preview before it changes anything (no `--skip-preview`,
 * which the Automation API always passes), so a replace or delete of what is protected fails
 * that preview and the update never starts.
 */
export const PREVIEW_FIRST_ENV = 'MOPS_PREVIEW_FIRST';

/**
 * Set in a read-only workspace's environment: its `stack select` is not run. Selecting writes
 * Pulumi's record of the current stack (PULUMI_HOME/workspaces/…), so a drift check or a preview
 * failed on a full disk; every command the SDK runs names its stack anyway, and one whose stack
 * does not exist fails as the select would have (StackNotFoundError). Pulumi's own SDK does the
 * same for remote workspaces ("would modify global state").
 */
export const READ_ONLY_ENV = 'MOPS_READ_ONLY';

/** `--ignore-protect` came with Pulumi 3.256 (pulumi/pulumi#24053). */
function hasIgnoreProtect(version: { major: number; minor: number } | null | undefined): boolean {
  return !!version && (version.major > 3 || (version.major === 3 && version.minor >= 256));
}

/** The `--stack NAME` the Automation API passes. */
function stackArg(args: readonly string[]): string | undefined {
  const i = args.indexOf('--stack');
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * A PulumiCommand that runs through runOwned (same arguments and environment rules as the
 * SDK's); `pathFirst` goes before everything on PATH (our plugins win over the CLI's own).
 */
export function ownedCommand(base: automation.PulumiCommand, pathFirst: string[] = []): automation.PulumiCommand {
  const internals = {
    CommandResult: (require('@pulumi/pulumi/automation/cmd') as { CommandResult: CommandResultCtor }).CommandResult,
    createCommandError: (require('@pulumi/pulumi/automation/errors') as { createCommandError: (r: CommandResult) => Error }).createCommandError,
  };
  const owned = {
    command: base.command,
    version: base.version,
    run(args: string[], cwd: string, additionalEnv: Record<string, string>, onOutput?: (s: string) => void, onError?: (s: string) => void, signal?: AbortSignal) {
      if (!args.includes('--non-interactive')) args.push('--non-interactive');
      const { [IGNORE_PROTECT_ENV]: ignoreProtect, [PREVIEW_FIRST_ENV]: previewFirst, [READ_ONLY_ENV]: readOnly, ...rest } = additionalEnv;
      if (readOnly && args[0] === 'stack' && args[1] === 'select') return Promise.resolve(new internals.CommandResult('', '', 0));
      if (previewFirst && args[0] === 'up') args = args.filter((a) => a !== '--skip-preview');
      const consented = !!ignoreProtect && IGNORING_PROTECT.has(args[0]);
      const env: Record<string, string> = { ...rest, PULUMI_AUTOMATION_API: 'true' };
      // As the SDK does, the CLI's folder goes before the user's PATH (its bundled plugins win); ours go first.
      const cliDir = isAbsolute(base.command) ? [dirname(base.command)] : [];
      env.PATH = [...pathFirst, ...cliDir, additionalEnv.PATH ?? process.env.PATH ?? ''].join(delimiter);
      const stack = stackArg(args);
      if (!consented || hasIgnoreProtect(base.version)) return runOwned(internals, base.command, consented ? [...args, '--ignore-protect'] : args, cwd, env, onOutput, onError, signal);
      // An older CLI: what was consented to is unprotected first (the program protects it again); a preview stays read-only.
      if (args[0] === 'preview' || !stack) return runOwned(internals, base.command, args, cwd, env, onOutput, onError, signal);
      return runOwned(internals, base.command, ['state', 'unprotect', '--all', '--yes', '--stack', stack, '--non-interactive'], cwd, env, undefined, onError, signal).then(() =>
        runOwned(internals, base.command, args, cwd, env, onOutput, onError, signal),
      );
    },
  };
  return owned as unknown as automation.PulumiCommand;
}
