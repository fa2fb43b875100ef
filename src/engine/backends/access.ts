/**
 * How this run reaches its backend's objects: a folder (file://), a Blob Storage container
 * (azblob://), or nothing directly (every other backend: the Pulumi CLI reads it). And where
 * the operation locks live: next to the state when it can be written directly, else under
 * MODELOPS_HOME (where only this machine sees them).
 */
import { machineId } from '../liveness';
import { OperationLocks } from '../operationLock';
import type { ResolvedSettings } from '../settings';
import { BlobStore } from './blobStore';
import { FileStore, type StateStore } from './stateStore';

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

export async function operationLocks(settings: Pick<ResolvedSettings, 'backend' | 'backendUrl' | 'modelopsHome'>): Promise<OperationLocks> {
  const store = stateStore(settings);
  const machine = await machineId(settings.modelopsHome);
  return store ? new OperationLocks(store, machine) : new OperationLocks(new FileStore(settings.modelopsHome), machine, 'locks');
}
