/**
 * How this run reaches its backend's objects: a folder (file://), a Blob Storage container
 * (azblob://), or nothing directly (every other backend: the Pulumi CLI reads it). And where
 * the operation locks live: next to the state when it can be written directly, else under
 * MODELOPS_HOME (where only this machine sees them).
 */
import { existingMachineId, machineId } from '../liveness';
import { OperationLocks } from '../operationLock';
import type { ResolvedSettings } from '../settings';
import { BlobStore } from './blobStore';
import { FileStore, type StateStore } from './stateStore';
import { StoreSnapshot } from './storeSnapshot';

const stores = new Map<string, StateStore>();

/** The backend's object store, or undefined when only the Pulumi CLI can read the backend. */
export function stateStore(settings: Pick<ResolvedSettings, 'backend' | 'backendUrl'>): StateStore | undefined {
  const backend = settings.backend;
  if (backend.kind === 'cli') return undefined;
  let store = stores.get(settings.backendUrl);
  if (!store) {
    store = backend.kind === 'file' ? new FileStore(backend.dir) : new BlobStore(backend);
    stores.set(settings.backendUrl, store);
  }
  return store;
}

/**
 * The backend as one snapshot of these projects' stacks reads it: the checkpoints, Pulumi's
 * locks and our own locks and records listed once (StoreSnapshot); undefined when only the
 * Pulumi CLI can read the backend.
 */
export async function backendSnapshot(settings: Pick<ResolvedSettings, 'backend' | 'backendUrl'>, projects: Iterable<string>): Promise<StateStore | undefined> {
  const store = stateStore(settings);
  if (!store) return undefined;
  const dirs = [...new Set(projects)].flatMap((project) => [`.pulumi/stacks/${project}`, `.pulumi/locks/organization/${project}`]);
  return StoreSnapshot.take(store, [...dirs, '.modelops']);
}

/**
 * The operation locks of this backend. `store` may be a snapshot: then only `holder` can be
 * asked, and `purpose` is 'read', which never writes this machine's id (a machine without one
 * holds no claim).
 */
export async function operationLocks(
  settings: Pick<ResolvedSettings, 'backend' | 'backendUrl' | 'modelopsHome'>,
  store = stateStore(settings),
  purpose: 'read' | 'lock' = 'lock',
): Promise<OperationLocks> {
  const machine = purpose === 'read' ? ((await existingMachineId(settings.modelopsHome)) ?? '') : await machineId(settings.modelopsHome);
  return store ? new OperationLocks(store, machine) : new OperationLocks(new FileStore(settings.modelopsHome), machine, 'locks');
}
