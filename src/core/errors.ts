/**
 * One family of errors: each says what went wrong and how to fix it, and carries the
 * exit code (src/core/protocol.ts) the CLI ends with when it reaches the top.
 */
import type { Problem } from './config/types';
import { EXIT, type ExitCode } from './exitCodes';

export abstract class ModelOpsError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: ExitCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command-line usage. */
export class UsageError extends ModelOpsError {
  readonly code = 'usage';
  readonly exitCode = EXIT.invalidInput;
}

/** azure.yaml cannot be used at all; `problems` say why and where. */
export class ConfigError extends ModelOpsError {
  readonly code = 'config';
  readonly exitCode = EXIT.invalidInput;
  constructor(readonly file: string, readonly problems: Problem[]) {
    super(problems.map((p) => `${p.file}:${p.range.start.line}:${p.range.start.column}: ${p.message}`).join('\n') || `${file}: unusable config`);
  }
}

/** A component name that the config does not define (on the command line or in depends_on). */
export class UnknownComponentError extends ModelOpsError {
  readonly code = 'unknown-component';
  readonly exitCode = EXIT.invalidInput;
  constructor(readonly component: string, readonly referencedBy: string, known: readonly string[]) {
    super(
      referencedBy === 'command line'
        ? `unknown component "${component}"; components: ${known.join(', ')}`
        : `${referencedBy} depends on unknown component "${component}"; known components: ${known.join(', ')}.`,
    );
  }
}

/** `depends_on` closes a loop. */
export class CycleError extends ModelOpsError {
  readonly code = 'dependency-cycle';
  readonly exitCode = EXIT.invalidInput;
  constructor(readonly cycle: string[]) {
    super(`dependency cycle: ${cycle.join(' → ')}. Remove one of these edges from depends_on.`);
  }
}

export interface OperationLockHolder {
  pid: number;
  hostname: string;
  /** The machine's id (a hostname proves nothing in a shared backend): only its own pids can be checked. */
  machine?: string;
  username?: string;
  operation: string;
  startedAt: string;
  /** When the holder last said it is still working (every 30 s while it holds the lock). */
  heartbeatAt?: string;
  /** Set when a holder on another host stopped its heartbeat: it looks dead, which only a person can confirm. */
  stale?: string;
}

/** `alice@host-b (pid 4242)`. */
export function describeHolder(h: Pick<OperationLockHolder, 'pid' | 'hostname' | 'username'>): string {
  return `${h.username ? `${h.username}@` : ''}${h.hostname} (pid ${h.pid})`;
}

/** Another live operation holds one of the stacks. */
export class StackBusyError extends ModelOpsError {
  readonly code = 'busy';
  readonly exitCode = EXIT.refused;
  constructor(readonly stackName: string, readonly holder: OperationLockHolder) {
    super(
      `stack ${stackName} is busy: ${holder.operation} by ${describeHolder(holder)} since ${holder.startedAt}. ` +
        (holder.stale
          ? `It looks dead (${holder.stale}); once you know that run is gone, clear its lock with: mops-infra repair COMPONENT --force-unlock.`
          : 'Wait for it to finish or cancel it.'),
    );
  }
}

/** No Pulumi CLI where we looked. */
export class PulumiNotFoundError extends ModelOpsError {
  readonly code = 'pulumi-not-found';
  readonly exitCode = EXIT.invalidInput;
  constructor(tried: string[]) {
    super(
      `Pulumi CLI not found (tried: ${tried.join(', ')}). Install Pulumi, or set --pulumi PATH / MOPS_PULUMI / the ` +
        '"modelopsInfra.pulumiPath" setting, or run `npm run setup` in the modelops-infra checkout to build one.',
    );
  }
}

/** The passphrase does not decrypt a stack's secrets. */
export class PassphraseError extends ModelOpsError {
  readonly code = 'passphrase';
  readonly exitCode = EXIT.failed;
  /** `conflict`: why the passphrase used may be the wrong one of two (see engine/settings.ts passphraseConflict). */
  constructor(readonly stackName: string, conflict?: string) {
    super(`the passphrase does not decrypt ${stackName}'s secrets; ${conflict ?? 'set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE), or run "ModelOps: Set Pulumi Passphrase" in VS Code.'}`);
  }
}

/** A component whose stack does not exist yet, where one is needed. */
export class UnknownStackError extends ModelOpsError {
  readonly code = 'no-stack';
  readonly exitCode = EXIT.invalidInput;
  constructor(component: { name: string; stack: string }) {
    super(`${component.name} has no stack yet (${component.stack} does not exist); run up first.`);
  }
}

/** A Pulumi command failed; the message is Pulumi's own first error line. */
export class PulumiCommandError extends ModelOpsError {
  readonly code = 'pulumi';
  readonly exitCode = EXIT.failed;
}

/** What to do about a write the system refused, by its errno code. */
const WRITE_FIX: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the disk that holds it: free some, then run it again',
  EDQUOT: 'the disk quota is used up: free some space, then run it again',
  EROFS: 'it is on a read-only file system: point MODELOPS_HOME (or the backend) at a writable one',
  EACCES: 'permission denied: make its folder writable by this user',
  EPERM: 'not permitted: make its folder writable by this user',
};

/** A file of ours that could not be written, named, with what to do (Node names no path for a failed write). */
export class FileWriteError extends ModelOpsError {
  readonly code = 'file-write';
  readonly exitCode = EXIT.failed;
  constructor(readonly path: string, cause: NodeJS.ErrnoException) {
    super(`cannot write ${path}: ${WRITE_FIX[cause.code ?? ''] ?? cause.message}`);
  }
}
