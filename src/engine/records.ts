/**
 * What ModelOps Infra remembers of a stack beside its Pulumi state: the last drift check and
 * the reconcile loop's attempts. Kept under MODELOPS_HOME, per backend and stack
 * (`records/<backend>/<stack>/{drift,reconcile}.json`), written whole (aside, then renamed),
 * so a reader never sees half a record. Nothing here is ever a secret.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DriftRecord } from '../core/drift';
import type { AttemptRecord } from '../core/reconcile';
import type { ResolvedSettings } from './settings';

type Kind = 'drift' | 'reconcile';

function recordPath(settings: Pick<ResolvedSettings, 'modelopsHome' | 'backendUrl'>, stack: string, kind: Kind): string {
  const backend = createHash('sha256').update(settings.backendUrl).digest('hex').slice(0, 12);
  return join(settings.modelopsHome, 'records', backend, stack, `${kind}.json`);
}

function read<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    // none yet, or unreadable: nothing is known
    return undefined;
  }
}

function write(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(aside, path);
}

export class Records {
  constructor(private readonly settings: Pick<ResolvedSettings, 'modelopsHome' | 'backendUrl'>) {}

  drift(stack: string): DriftRecord | undefined {
    return read<DriftRecord>(recordPath(this.settings, stack, 'drift'));
  }

  setDrift(stack: string, record: DriftRecord): void {
    write(recordPath(this.settings, stack, 'drift'), record);
  }

  attempts(stack: string): AttemptRecord | undefined {
    return read<AttemptRecord>(recordPath(this.settings, stack, 'reconcile'));
  }

  setAttempts(stack: string, record: AttemptRecord): void {
    write(recordPath(this.settings, stack, 'reconcile'), record);
  }

  /** A person repaired or provisioned the stack: the loop starts counting again. */
  clearAttempts(stack: string): void {
    rmSync(recordPath(this.settings, stack, 'reconcile'), { force: true });
  }
}
