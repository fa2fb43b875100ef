/**
 * Runs the real `mops-infra` CLI (dist/cli.js) against the real Pulumi engine on
 * a temporary file backend. Nothing here is a double: Azure is not involved
 * because the configs use `provider: local`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OperationEvent } from '../../src/core/events';
import { setUpToolPath } from '../tools';

export const REPO = resolve(__dirname, '..', '..', '..');
// MOPS_CLI_BIN runs the suite against another build (e.g. to see a regression test fail on an older main).
const BIN = process.env.MOPS_CLI_BIN ?? join(REPO, 'bin', 'mops-infra.js');

let pulumiPath: string | undefined;

/** The Pulumi CLI that setup built; fails at once (never builds) when it is not there. */
export function pulumiCli(): string {
  return (pulumiPath ??= setUpToolPath('pulumi-cli'));
}


export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  events: OperationEvent[];
}

/**
 * Where a sandbox keeps its state, and who it is: by default a file backend in its own home on
 * this machine; for a team, a shared backend URL with its credentials, and another machine's
 * name (the CLI then runs in a UTS namespace of its own, with that hostname: `unshare --uts`).
 */
export interface Machine {
  backend?: { url: string; env: Record<string, string> };
  hostname?: string;
}

export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'mops-engine-'));
  readonly home = join(this.dir, 'home');
  readonly config = join(this.dir, 'azure.yaml');

  /** Pulumi's temporary folder (TMPDIR) for this sandbox's CLIs: a test that kills a CLI's whole tree kills
   * the watchdog that would remove it, and dispose() removes it instead of leaving it in /tmp. */
  readonly tmp = join(this.dir, 'tmp');

  constructor(private readonly machine: Machine = {}) {
    mkdirSync(this.tmp);
  }

  /** The temporary folders Pulumi's runs made in `tmp` (src/engine/pulumiTempFolder.ts) and left. */
  pulumiTempFolders(): string[] {
    return readdirSync(this.tmp).filter((name) => name.startsWith('mops-pulumi-'));
  }

  /** The program and arguments that run the CLI as this machine. */
  private command(args: string[]): [string, string[]] {
    if (!this.machine.hostname) return [process.execPath, args];
    return ['unshare', ['--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', this.machine.hostname, process.execPath, ...args]];
  }

  get backendDir(): string {
    return join(this.home, 'pulumi', 'backend');
  }

  /** Every file of Pulumi's state in the backend (checkpoints, history, backups, locks) whose path `keep`s, with a hash of its bytes. */
  backendFiles(keep: (path: string) => boolean = () => true): Map<string, string> {
    const files = new Map<string, string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (keep(path)) files.set(path.slice(this.backendDir.length), createHash('sha256').update(readFileSync(path)).digest('hex'));
      }
    };
    walk(join(this.backendDir, '.pulumi'));
    return files;
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TMPDIR: this.tmp,
      MODELOPS_HOME: this.home,
      PULUMI_HOME: join(this.dir, 'pulumi-home'),
      PULUMI_CONFIG_PASSPHRASE: 'engine-suite',
      MOPS_PULUMI: pulumiCli(),
      NO_COLOR: '1',
      ...this.machine.backend?.env,
      ...extra,
    };
    delete env.PULUMI_BACKEND_URL;
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
    return env;
  }

  write(yaml: string): this {
    writeFileSync(this.config, yaml);
    return this;
  }

  args(verb: string[], extra: string[] = []): string[] {
    const backend = this.machine.backend ? ['--backend', this.machine.backend.url] : [];
    // Without azure.yaml in the sandbox, the CLI finds the config as it would in such a folder (~/.modelops/modelops.yaml, …).
    const config = existsSync(this.config) ? ['--config', this.config] : [];
    return [BIN, ...verb, ...config, '--retry-attempts', '3', '--retry-delay-ms', '100', ...backend, ...extra];
  }

  run(verb: string[], extra: string[] = [], env?: NodeJS.ProcessEnv): CliResult {
    const [file, argv] = this.command(this.args(verb, extra));
    const r = spawnSync(file, argv, { encoding: 'utf8', env: this.env(env), cwd: this.dir, timeout: 240_000 });
    const streamed = extra.includes('--events');
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, events: streamed ? parseEvents(r.stdout) : [] };
  }

  /** As `run`, failing the test with the CLI's own output unless it exits 0. */
  ok(verb: string[], extra: string[] = [], env?: NodeJS.ProcessEnv): CliResult {
    const r = this.run(verb, extra, env);
    if (r.code !== 0) throw new Error(`mops-infra ${verb.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  /**
   * As `run`, on a terminal: a pseudo-terminal of util-linux's `script`, with `typed` as what a
   * person types (echoed back into stdout, as a terminal does, before the command reads it).
   */
  onTerminal(verb: string[], extra: string[], typed: string): CliResult {
    const [file, argv] = this.command(this.args(verb, extra));
    const quoted = [file, ...argv].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const r = spawnSync('script', ['--quiet', '--return', '--command', quoted, '/dev/null'], { input: typed, encoding: 'utf8', env: this.env(), cwd: this.dir, timeout: 240_000 });
    // What a person reads: without the line editor's cursor moves and the terminal's carriage returns.
    const read = r.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replaceAll('\r', '');
    return { code: r.status ?? -1, stdout: read, stderr: r.stderr, events: [] };
  }

  /**
   * As `run`, without blocking this process: for tests whose doubles live in it (the cluster
   * controllers must go on answering the API while the CLI waits for them).
   */
  runAsync(verb: string[], extra: string[] = [], env?: NodeJS.ProcessEnv): Promise<CliResult> {
    const [file, argv] = this.command(this.args(verb, extra));
    const child = spawn(file, argv, { env: this.env(env), cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 480_000);
    return new Promise((done) =>
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ code: code ?? -1, stdout, stderr, events: extra.includes('--events') ? parseEvents(stdout) : [] });
      }),
    );
  }

  async jsonAsync<T = Record<string, unknown>>(verb: string[], extra: string[] = [], env?: NodeJS.ProcessEnv): Promise<T> {
    return jsonOf<T>(await this.runAsync(verb, ['--json', ...extra], env));
  }

  /** Runs with --events and returns the parsed stream. */
  events(verb: string[], extra: string[] = []): CliResult {
    return this.run(verb, ['--events', ...extra]);
  }

  json<T = Record<string, unknown>>(verb: string[], extra: string[] = [], env?: NodeJS.ProcessEnv): T {
    return jsonOf<T>(this.run(verb, ['--json', ...extra], env));
  }

  /** Starts a CLI in its own process group, for cancellation and kill tests. */
  start(verb: string[], extra: string[] = [], env?: NodeJS.ProcessEnv): RunningCli {
    const [file, argv] = this.command(this.args(verb, ['--events', ...extra]));
    const child = spawn(file, argv, { env: this.env(env), cwd: this.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    return new RunningCli(child);
  }

  status(): Status {
    return this.json<Status>(['status']);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Status {
  env: string;
  components: Array<{ name: string; stack: string; status: string; reason: string; missingOutputs: string[]; dependsOn: string[]; outputs: Array<{ name: string; secret: boolean; present: boolean; empty: boolean; value?: unknown }> }>;
  problems: Array<{ code: string; file: string; range: { start: { line: number } }; component?: string; output?: string; message: string }>;
}

export function statusOf(status: Status, name: string): string {
  const c = status.components.find((x) => x.name === name);
  if (!c) throw new Error(`no component ${name} in ${JSON.stringify(status.components.map((x) => x.name))}`);
  return c.status;
}

function jsonOf<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
}

export function parseEvents(stdout: string): OperationEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as OperationEvent);
}

export class RunningCli {
  readonly events: OperationEvent[] = [];
  private buffer = '';
  stderr = '';
  readonly exited: Promise<number>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (this.buffer + chunk.toString()).split('\n');
      this.buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith('{')) this.events.push(JSON.parse(line) as OperationEvent);
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((res) => child.on('exit', (code, signal) => res(code ?? (signal ? 128 : -1))));
  }

  async waitFor(predicate: (e: OperationEvent) => boolean, timeoutMs = 120_000): Promise<OperationEvent> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.events.find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out; events so far: ${this.events.map((e) => e.type).join(', ')}\n${this.stderr}`);
  }

  /**
   * A crash or a power cut: SIGKILL at once to the CLI and everything it started (Pulumi
   * runs in process groups of its own, so a group kill alone would let it finish cleanly).
   */
  killTree(): void {
    for (const pid of [this.child.pid!, ...descendantsOf(this.child.pid!)]) killIfThere(pid);
  }
}

/** SIGKILL to `pid`, unless it is already gone. */
export function killIfThere(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function procTable(): Map<number, { ppid: number; environ: string }> {
  const table = new Map<number, { ppid: number; environ: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let environ = '';
      try {
        environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      } catch {
        // not ours to read
      }
      table.set(Number(entry), { ppid, environ });
    } catch {
      // exited while we looked
    }
  }
  return table;
}

/** Every live descendant of `root` (Linux /proc). */
export function descendantsOf(root: number): number[] {
  const table = procTable();
  const found: number[] = [];
  const visit = (pid: number): void => {
    for (const [child, { ppid }] of table) if (ppid === pid && !found.includes(child)) (found.push(child), visit(child));
  };
  visit(root);
  return found;
}

/** Live processes whose environment names this MODELOPS_HOME: everything a sandbox's CLI started. */
export function processesOf(box: Sandbox): number[] {
  const marker = `MODELOPS_HOME=${box.home}\0`;
  return [...procTable()].filter(([pid, p]) => pid !== process.pid && p.environ.includes(marker)).map(([pid]) => pid);
}

/** The four-component local config of the seed plan; `extra` is appended (e.g. a local: faults block). */
export function localConfig(extra = ''): string {
  return `# ModelOps on this machine: no cloud
provider: local
environment: dev
username: alice
storage: {}
workspace:
  apiVersion: modelops/v1
  kind: Workspace
  metadata:
    name: engine-suite
  spec:
    workers:
      replicas: 2
adaptive:
  default:
    algorithm: optuna
${extra}`;
}
