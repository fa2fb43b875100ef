/** What was read of one Pulumi stack, before any judgement about readiness. */

export type UpdateResult = 'succeeded' | 'failed' | 'in-progress' | 'not-started';

export interface OutputState {
  secret: boolean;
  /** Missing, null, '', {} or [] count as empty; a secret's emptiness is known without decrypting it. */
  empty: boolean;
  /** Plain value, never set for secrets. */
  value?: unknown;
}

export interface LockState {
  pid?: number;
  hostname?: string;
  username?: string;
  timestamp?: string;
  /** true: the owner process is running; false: it is gone; 'unknown': another host. */
  ownerAlive: boolean | 'unknown';
  /** For a lock of another host whose heartbeat stopped: since when (it looks dead; a person decides). */
  stale?: string;
}

export interface PendingOperation {
  type: string;
  urn: string;
}

export interface HistoryEntry {
  kind: string;
  result: UpdateResult;
  startTime?: string;
  endTime?: string;
  /**
   * A failed entry that was a cancel of ours: when the step was cancelled. Pulumi records a
   * cancelled update as failed; our own record of the cancel (engine/records.ts) tells them apart.
   */
  cancelledAt?: string;
}

/** A cancel is recorded right after Pulumi ends the cancelled update; more than this after its end, it was of something else. */
const CANCEL_RECORD_SLACK_MS = 5 * 60_000;

/**
 * Whether a cancel of `action` recorded at `at` ended `entry`: the entry failed, is what that
 * action writes (an up writes an `update`), and the cancel came after it began and soon after it
 * ended (a cancel before Pulumi started leaves no entry of its own).
 */
export function isCancelOf(entry: HistoryEntry, cancel: { at: string; action: string }): boolean {
  if ((cancel.action === 'up' ? 'update' : cancel.action) !== entry.kind) return false;
  const [cancelled, started, ended] = [Date.parse(cancel.at), Date.parse(entry.startTime ?? ''), Date.parse(entry.endTime ?? '')];
  if (entry.result !== 'failed' || !Number.isFinite(started) || !(cancelled >= started)) return false;
  return !Number.isFinite(ended) || cancelled - ended <= CANCEL_RECORD_SLACK_MS;
}

/**
 * History kinds that change what a stack deploys. A refresh (or a preview) only re-reads
 * it: a successful refresh after a failed update does not make the update's fault go away.
 */
const DEPLOYMENT_KINDS = new Set(['update', 'destroy']);

export function isDeployment(kind: string): boolean {
  return DEPLOYMENT_KINDS.has(kind);
}

/** The most recent update or destroy of a history listed newest first. */
export function lastDeployment(newestFirst: Iterable<HistoryEntry>): HistoryEntry | undefined {
  for (const entry of newestFirst) if (isDeployment(entry.kind)) return entry;
  return undefined;
}

/** The spec hash recorded by the newest successful deployment, when that was an update. */
/** A history entry with what the update recorded as stack config: its spec hash and owner. */
export type RecordedEntry = HistoryEntry & { specHash?: string; owner?: string };

export function deployedSpecHash(newestFirst: Iterable<RecordedEntry>): string | undefined {
  for (const entry of newestFirst) if (isDeployment(entry.kind) && entry.result === 'succeeded') return entry.kind === 'update' ? entry.specHash : undefined;
  return undefined;
}

/** The owner the newest update or destroy that recorded one recorded. */
export function recordedOwner(newestFirst: Iterable<RecordedEntry>): string | undefined {
  for (const entry of newestFirst) if (isDeployment(entry.kind) && entry.owner) return entry.owner;
  return undefined;
}

export interface StackState {
  stack: string;
  exists: boolean;
  /** The most recent update or destroy (`pulumi stack history`), if any; refreshes do not count. */
  lastUpdate?: HistoryEntry;
  /** The spec hash the newest successful update recorded (src/core/spec.ts); undefined when none did. */
  deployedSpecHash?: string;
  /** The environment and component the newest update recorded as the stack's owner (src/core/ownership.ts). */
  owner?: string;
  pendingOperations: PendingOperation[];
  lock?: LockState;
  outputs: Record<string, OutputState>;
  /** What the stack has made (not the stack, its providers or its stack references: engine/backends/diyState.ts resourceCountOf). */
  resourceCount: number;
  /**
   * The types of the stack's resources that the state does not mark `protect` (each once);
   * undefined when the reader could not tell. What holds data is protected by every update of ours.
   */
  unprotectedTypes?: string[];
  /** The registry's or storage account's global name, as its resource in the state records it (src/engine/keptNames.ts). */
  globalName?: string;
  /**
   * A destroy of ours started and its operation did not finish: `down` (finish it; never bring it
   * back by itself), or `force-recreate` (the create after it is still owed). From our records.
   */
  destroyIntent?: 'down' | 'force-recreate';
  /** Set when the state could not be read; readiness is then `unknown`. */
  unreadable?: string;
  /**
   * The state is there but its checkpoint or a lock file cannot be parsed: no retry puts that right,
   * a person does (`unreadable` says how: the `.json.bak` Pulumi keeps, or --force-unlock).
   */
  corrupt?: 'checkpoint' | 'lock';
  readAt: string;
}

export function absentStack(stack: string, readAt = new Date().toISOString()): StackState {
  return { stack, exists: false, pendingOperations: [], outputs: {}, resourceCount: 0, readAt };
}

/** Empty in the sense of readiness: nothing a dependent could use. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}
