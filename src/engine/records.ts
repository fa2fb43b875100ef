/**
 * What ModelOps Infra remembers of a stack beside its Pulumi state: the last drift check, the
 * reconcile loop's attempts, the last step of ours that was cancelled, and a destroy of ours that
 * has not finished. Kept next to the
 * state when it can be written directly (the backend's `.modelops/records/<stack>/`), so every
 * machine and every CI run shares them — a
 * failure budget spent by last night's scheduled run still counts this morning; otherwise under
 * MODELOPS_HOME, per backend. Written whole; nothing here is ever a secret.
 */
import { createHash } from 'node:crypto';
import type { DriftRecord } from '../core/drift';
import type { AttemptRecord } from '../core/attempts';
import type { StackState } from '../core/state';
import { stateStore } from './backends/access';
import { FileStore, type StateStore } from './backends/stateStore';
import type { ResolvedSettings } from './settings';

type Kind = 'drift' | 'reconcile' | 'cancel' | 'destroy';

/** A step of ours that was cancelled: Pulumi records a cancelled update as failed, this says it was a cancel. */
export interface CancelRecord {
  /** When the step ended cancelled (after the update it cancelled started). */
  at: string;
  action: string;
}

/** A destroy of ours started on the stack and its operation has not finished (src/core/state.ts `destroyIntent`). */
export interface DestroyIntent {
  by: NonNullable<StackState['destroyIntent']>;
  at: string;
}

export class Records {
  private readonly store: StateStore;
  private readonly prefix: string;

  /** `shared`: the backend's store, or a snapshot of it (then the records can only be read). */
  constructor(settings: Pick<ResolvedSettings, 'modelopsHome' | 'backendUrl' | 'backend'>, shared = stateStore(settings)) {
    if (shared) {
      this.store = shared;
      this.prefix = '.modelops/records';
    } else {
      this.store = new FileStore(settings.modelopsHome);
      this.prefix = `records/${createHash('sha256').update(settings.backendUrl).digest('hex').slice(0, 12)}`;
    }
  }

  private path(stack: string, kind: Kind): string {
    return `${this.prefix}/${stack}/${kind}.json`;
  }

  private async read<T>(stack: string, kind: Kind): Promise<T | undefined> {
    try {
      const body = await this.store.read(this.path(stack, kind));
      return body ? (JSON.parse(body.toString('utf8')) as T) : undefined;
    } catch {
      // unreadable or half-written by an older version: nothing is known
      return undefined;
    }
  }

  drift(stack: string): Promise<DriftRecord | undefined> {
    return this.read<DriftRecord>(stack, 'drift');
  }

  setDrift(stack: string, record: DriftRecord): Promise<void> {
    return this.store.write(this.path(stack, 'drift'), `${JSON.stringify(record, null, 2)}\n`);
  }

  attempts(stack: string): Promise<AttemptRecord | undefined> {
    return this.read<AttemptRecord>(stack, 'reconcile');
  }

  setAttempts(stack: string, record: AttemptRecord): Promise<void> {
    return this.store.write(this.path(stack, 'reconcile'), `${JSON.stringify(record, null, 2)}\n`);
  }

  cancel(stack: string): Promise<CancelRecord | undefined> {
    return this.read<CancelRecord>(stack, 'cancel');
  }

  setCancel(stack: string, record: CancelRecord): Promise<void> {
    return this.store.write(this.path(stack, 'cancel'), `${JSON.stringify(record, null, 2)}\n`);
  }

  destroyIntent(stack: string): Promise<DestroyIntent | undefined> {
    return this.read<DestroyIntent>(stack, 'destroy');
  }

  setDestroyIntent(stack: string, by: DestroyIntent['by']): Promise<void> {
    return this.store.write(this.path(stack, 'destroy'), `${JSON.stringify({ by, at: new Date().toISOString() }, null, 2)}\n`);
  }

  clearDestroyIntent(stack: string): Promise<void> {
    return this.store.remove(this.path(stack, 'destroy'));
  }

  /** A person repaired or provisioned the stack: the loop starts counting again. */
  clearAttempts(stack: string): Promise<void> {
    return this.store.remove(this.path(stack, 'reconcile'));
  }
}
