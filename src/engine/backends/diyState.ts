/**
 * Reads stack state straight from a DIY backend (a folder or a Blob Storage container, through
 * its StateStore), without the Pulumi CLI: checkpoint (outputs, pending operations), newest
 * history entries (last result) and Pulumi's lock files. Read-only: it never creates a stack.
 * Layout: the DIY backend's project-scoped layout (`.pulumi/{stacks,history,locks}`).
 */
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import type { LockState, OutputState, PendingOperation, StackState, UpdateResult } from '../../core/state';
import { SECRET_MASK } from '../../core/protocol';
import { OWNER_CONFIG_KEY } from '../../core/ownership';
import { SPEC_HASH_CONFIG_KEY } from '../../core/spec';
import { deployedSpecHash, isDeployment, isEmptyValue, lastDeployment, recordedOwner, type RecordedEntry } from '../../core/state';
import { isProcessAlive, thisHost } from '../liveness';
import { readDigest, type StateStore } from './stateStore';
import { StoreSnapshot } from './storeSnapshot';

/** Pulumi's marker for a secret value in a checkpoint (sig.Secret). */
const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG_VALUE = '1b47061264138c4ac30d75fd1eb44270';
/** AES-GCM appends a 16-byte tag; the plaintext is the value's JSON. */
const GCM_TAG_BYTES = 16;

interface SecretObject {
  [SECRET_SIG_KEY]: string;
  ciphertext?: string;
  plaintext?: string;
}

function isSecretObject(v: unknown): v is SecretObject {
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE;
}

/**
 * A secret is empty when its plaintext JSON is at most 2 bytes (`""`, `{}`, `[]`).
 * AES-GCM keeps lengths, so this needs no passphrase and no key derivation. The
 * price: a secret number 0–99 also reads as empty, and an encrypted `null` as
 * not empty; no output a dependent needs is either.
 */
function secretIsEmpty(secret: SecretObject): boolean {
  if (secret.plaintext !== undefined) return isEmptyValue(JSON.parse(secret.plaintext));
  const body = secret.ciphertext?.split(':').pop() ?? '';
  return Buffer.from(body, 'base64').length - GCM_TAG_BYTES <= 2;
}

/** Replaces nested secrets with a mask so a plain value can be shown. */
export function maskNested(value: unknown): unknown {
  if (isSecretObject(value)) return SECRET_MASK;
  if (Array.isArray(value)) return value.map(maskNested);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskNested(v)]));
  return value;
}

export function outputStates(outputs: Record<string, unknown>): Record<string, OutputState> {
  const result: Record<string, OutputState> = {};
  for (const [name, raw] of Object.entries(outputs)) {
    result[name] = isSecretObject(raw) ? { secret: true, empty: secretIsEmpty(raw) } : { secret: false, empty: isEmptyValue(raw), value: maskNested(raw) };
  }
  return result;
}

interface Checkpoint {
  checkpoint?: {
    latest?: {
      resources?: Array<{ type: string; urn: string; parent?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; protect?: boolean }>;
      pending_operations?: Array<{ type: string; resource: { urn: string } }>;
    } | null;
  };
}

/** What a status needs of a checkpoint (kept in the DigestCache: masked, never a secret). */
interface CheckpointDigest {
  outputs: Record<string, OutputState>;
  pendingOperations: PendingOperation[];
  resourceCount: number;
  unprotectedTypes: string[];
  globalName?: string;
}

function checkpointDigest(checkpoint: Checkpoint): CheckpointDigest {
  const latest = checkpoint.checkpoint?.latest ?? undefined;
  const resources = latest?.resources ?? [];
  const root = resources.find((r) => r.type === 'pulumi:pulumi:Stack' && !r.parent);
  return {
    outputs: outputStates(root?.outputs ?? {}),
    pendingOperations: (latest?.pending_operations ?? []).map((p) => ({ type: p.type, urn: p.resource.urn })),
    resourceCount: resourceCountOf(resources),
    unprotectedTypes: unprotectedTypes(resources),
    ...globalNameOf(resources),
  };
}

/**
 * What the stack has made in a cloud: not the stack itself, its components (`custom: false`), its
 * providers, nor the stacks it reads. A create killed after the program registered those leaves
 * them, and such a stack has still made nothing.
 */
export function resourceCountOf(resources: ReadonlyArray<{ type: string; custom?: boolean }>): number {
  return resources.filter((r) => r.custom !== false && r.type !== 'pulumi:pulumi:Stack' && r.type !== 'pulumi:pulumi:StackReference' && !r.type.startsWith('pulumi:providers:')).length;
}

const GLOBAL_NAME_INPUT: Record<string, string> = { 'azure-native:containerregistry:Registry': 'registryName', 'azure-native:storage:StorageAccount': 'accountName' };

/** The global name of the state's registry or storage account, as its resource records it (even where a failed update left no outputs). */
export function globalNameOf(resources: ReadonlyArray<{ type: string; inputs?: Record<string, unknown> }>): { globalName?: string } {
  for (const r of resources) {
    const value = GLOBAL_NAME_INPUT[r.type] ? r.inputs?.[GLOBAL_NAME_INPUT[r.type]] : undefined;
    if (typeof value === 'string' && value) return { globalName: value };
  }
  return {};
}

/** The types of `resources` not marked `protect`, each once (the stack and its providers aside). */
export function unprotectedTypes(resources: ReadonlyArray<{ type: string; protect?: boolean }>): string[] {
  return [...new Set(resources.filter((r) => !r.protect && r.type !== 'pulumi:pulumi:Stack' && !r.type.startsWith('pulumi:providers:')).map((r) => r.type))];
}

const CHECKPOINT_FORMATS: ReadonlyArray<[suffix: string, decode: (body: Buffer) => Buffer]> = [
  ['.json', (body) => body],
  ['.json.gz', (body) => gunzipSync(body)],
  ['.json.zst', (body) => zstdDecompressSync(body)],
];

/** JSON of a state file, or an error that names the file (a bare "Unexpected token" names nothing to fix). */
function parseStateJson<T>(store: StateStore, key: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new CorruptStateFile(`${store.where}/${key}`, (error as Error).message);
  }
}

class CorruptStateFile extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file} is not valid JSON (${reason})`);
  }
}

/** A checkpoint or lock file of the stack that cannot be parsed: the message says how to put it right. */
class CorruptState extends Error {
  constructor(readonly part: 'checkpoint' | 'lock', message: string) {
    super(message);
  }
}

async function readCheckpoint(store: StateStore, project: string, stack: string): Promise<CheckpointDigest | undefined> {
  for (const [suffix, decode] of CHECKPOINT_FORMATS) {
    const key = `.pulumi/stacks/${project}/${stack}${suffix}`;
    try {
      const digest = await readDigest(store, key, 'checkpoint/3', (body) => checkpointDigest(parseStateJson<Checkpoint>(store, key, decode(body).toString('utf8'))));
      if (digest) return digest;
    } catch (error) {
      if (!(error instanceof CorruptStateFile)) throw error;
      // Pulumi keeps the checkpoint before the last write beside it.
      const backup = await store.read(`${key}.bak`).catch(() => undefined);
      throw new CorruptState('checkpoint', `${error.message}${backup ? `; Pulumi kept the one before it as ${error.file}.bak: copy that over it to go back to the state before the last operation, then Refresh` : '; no .bak beside it to go back to'}`);
    }
  }
  return undefined;
}

function nanosOf(file: string): bigint {
  const m = /-(\d+)\.history\.json$/.exec(file);
  return m ? BigInt(m[1]) : -1n;
}


const iso = (s?: number): string | undefined => (s ? new Date(s * 1000).toISOString() : undefined);

/** What a status needs of a history entry (kept in the DigestCache; its config is not). */
function historyDigest(body: Buffer): RecordedEntry {
  const entry = JSON.parse(body.toString('utf8')) as { kind: string; result: UpdateResult; startTime?: number; endTime?: number; config?: Record<string, unknown> };
  const hash = entry.config?.[SPEC_HASH_CONFIG_KEY];
  const owner = entry.config?.[OWNER_CONFIG_KEY];
  return { kind: entry.kind, result: entry.result, startTime: iso(entry.startTime), endTime: iso(entry.endTime), ...(typeof hash === 'string' ? { specHash: hash } : {}), ...(typeof owner === 'string' ? { owner } : {}) };
}

/**
 * The newest update or destroy, and the spec hash of the newest successful one; history files
 * are read newest first, and only until both are known (usually one file).
 */
async function readHistory(store: StateStore, historyDir: string): Promise<History> {
  const files = (await store.list(historyDir)).filter((f) => f.endsWith('.history.json'));
  files.sort((a, b) => (nanosOf(b) > nanosOf(a) ? 1 : nanosOf(b) < nanosOf(a) ? -1 : 0));
  const read: RecordedEntry[] = [];
  for (const file of files) {
    const entry = await readDigest(store, `${historyDir}/${file}`, 'history/2', historyDigest);
    if (!entry) continue;
    read.push(entry);
    if (isDeployment(entry.kind) && entry.result === 'succeeded') break;
  }
  const last = lastDeployment(read);
  const hash = deployedSpecHash(read);
  const owner = recordedOwner(read);
  // Only keys with a value: the same shape as a digest kept in JSON (readHistoryOf).
  return { ...(last ? { lastUpdate: { kind: last.kind, result: last.result, startTime: last.startTime, endTime: last.endTime } } : {}), ...(hash ? { deployedSpecHash: hash } : {}), ...(owner ? { owner } : {}) };
}

type History = Pick<StackState, 'lastUpdate' | 'deployedSpecHash' | 'owner'>;

/** The history digest kept by the checkpoint's version (see `readHistoryOf`); /2 added the owner. */
const HISTORY_AT_CHECKPOINT = 'history-at-checkpoint/2';
/**
 * The longest the first listings of locks and checkpoints may take for the history they saw to
 * be kept. Pulumi writes a stack's lock before anything else, rewrites the checkpoint in every
 * update (failed and no-op ones included), then writes the history entry, then removes the lock.
 * A checkpoint seen unlocked was written by an update that began after the lock listing only if
 * that update got from its lock to its checkpoint within this span: it starts a language host and
 * runs the program in between, which takes longer (listings of 40 stacks on Azurite: 20–170 ms).
 */
const LISTING_SPAN_MS = 1000;

/**
 * The stack's history. On a container whose digests are kept, the history of an unlocked stack
 * is kept by its checkpoint's version: an unchanged checkpoint means no update since, so the
 * history is not listed again (history grows with every update; its listing is most of a status).
 * It is kept only when the lock listing showed no lock and the checkpoint listing answered soon
 * after it: a checkpoint seen then belongs to an update whose history was written already.
 */
async function readHistoryOf(store: StateStore, project: string, stack: string, lockDir: string): Promise<History> {
  const historyDir = `.pulumi/history/${project}/${stack}`;
  if (!(store instanceof StoreSnapshot) || !store.keepsDigests) return readHistory(store, historyDir);
  const [checkpoint, lockFiles] = await Promise.all([checkpointVersion(store, project, stack), store.list(lockDir)]);
  if (!checkpoint || lockFiles.length) return readHistory(store, historyDir);
  const kept = store.kept<History>(HISTORY_AT_CHECKPOINT, checkpoint.path, checkpoint.version);
  if (kept) return kept;
  const history = await readHistory(store, historyDir);
  if ((await store.listingSpan('.pulumi/locks/', '.pulumi/stacks/')) <= LISTING_SPAN_MS) store.keep(HISTORY_AT_CHECKPOINT, checkpoint.path, checkpoint.version, history);
  return history;
}

/** The checkpoint's path and version as the snapshot's listing shows them, in whichever format it is stored. */
async function checkpointVersion(store: StoreSnapshot, project: string, stack: string): Promise<{ path: string; version: string } | undefined> {
  for (const [suffix] of CHECKPOINT_FORMATS) {
    const path = `.pulumi/stacks/${project}/${stack}${suffix}`;
    const version = await store.versionOf(path);
    if (version) return { path, version };
  }
  return undefined;
}

async function readLock(store: StateStore, lockDir: string): Promise<LockState | undefined> {
  const files = (await store.list(lockDir)).filter((f) => f.endsWith('.json'));
  for (const file of files) {
    const body = await store.read(`${lockDir}/${file}`);
    if (!body) continue; // released while we listed
    let lock: { pid?: number; username?: string; hostname?: string; timestamp?: string };
    try {
      lock = parseStateJson(store, `${lockDir}/${file}`, body.toString('utf8'));
    } catch (error) {
      throw new CorruptState('lock', `the lock ${(error as Error).message}: once no Pulumi runs on this stack, delete that file, then Refresh`);
    }
    // In a shared container another machine may have this hostname too: its pid proves nothing here.
    const local = !store.shared && (!lock.hostname || lock.hostname === thisHost());
    const ownerAlive = !local ? 'unknown' : lock.pid ? isProcessAlive(lock.pid) : false;
    return { pid: lock.pid, username: lock.username, hostname: lock.hostname, timestamp: lock.timestamp, ownerAlive };
  }
  return undefined;
}

const lockDirOf = (project: string, stack: string) => `.pulumi/locks/organization/${project}/${stack}`;

/** Pulumi's lock of one stack alone; undefined also when it cannot be read (a full read says why). */
export async function readDiyLock(store: StateStore, project: string, stack: string): Promise<LockState | undefined> {
  return readLock(store, lockDirOf(project, stack)).catch(() => undefined);
}

/** One stack's state as the backend holds it; never throws (an unreadable stack says why). */
export async function readDiyStack(store: StateStore, project: string, stack: string): Promise<StackState> {
  const readAt = new Date().toISOString();
  try {
    const lockDir = lockDirOf(project, stack);
    const [checkpoint, history, lock] = await Promise.all([readCheckpoint(store, project, stack), readHistoryOf(store, project, stack, lockDir), readLock(store, lockDir)]);
    if (!checkpoint) return { stack, exists: false, pendingOperations: [], outputs: {}, resourceCount: 0, readAt, lock };
    return { stack, exists: true, ...history, ...checkpoint, lock, readAt };
  } catch (error) {
    const corrupt = error instanceof CorruptState ? { corrupt: error.part } : {};
    return { stack, exists: false, pendingOperations: [], outputs: {}, resourceCount: 0, readAt, unreadable: `cannot read ${stack}: ${(error as Error).message}`, ...corrupt };
  }
}
