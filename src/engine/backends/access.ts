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
import { DigestCache } from './digestCache';
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

/** The longest common start of `names`. */
function commonStart(names: readonly string[]): string {
  let start = names[0] ?? '';
  for (const name of names) while (!name.startsWith(start)) start = start.slice(0, -1);
  return start;
}

/**
 * The backend as one snapshot of these stacks reads it (StoreSnapshot), in as few listings as
 * its layout allows: every checkpoint and every Pulumi lock (one object per stack at most, so
 * these listings stay small), the history of these stacks per project (by the start their names
 * share: an environment's adaptive runs are `modelops-adaptive-<env>-*`; history grows with every
 * update, so it is never listed whole), and our own locks and records. On a container, what the
 * reader took from each object is kept by the object's version (DigestCache), so what has not
 * changed since the last read is not downloaded again. Undefined when only the Pulumi CLI can
 * read the backend.
 */
export async function backendSnapshot(settings: Pick<ResolvedSettings, 'backend' | 'backendUrl' | 'modelopsHome'>, stacks: ReadonlyArray<{ project: string; stack: string }>): Promise<StateStore | undefined> {
  const store = stateStore(settings);
  if (!store) return undefined;
  const byProject = new Map<string, string[]>();
  for (const { project, stack } of stacks) byProject.set(project, [...(byProject.get(project) ?? []), stack]);
  const history = [...byProject].map(([project, names]) => `.pulumi/history/${project}/${commonStart(names)}`);
  // A folder is read faster than a cache of it would be; a container is not.
  const digests = settings.backend.kind === 'file' ? undefined : DigestCache.open(settings.modelopsHome, settings.backendUrl);
  // With digests kept, an unchanged stack's history is known from its checkpoint (diyState.ts), so
  // its listing waits until a stack needs it; a folder lists it at once, beside the rest.
  return digests
    ? StoreSnapshot.take(store, ['.pulumi/stacks/', '.pulumi/locks/', '.modelops/'], digests, history)
    : StoreSnapshot.take(store, ['.pulumi/stacks/', '.pulumi/locks/', ...history, '.modelops/']);
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
