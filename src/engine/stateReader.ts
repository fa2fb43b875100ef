/**
 * Reads every component's stack in parallel. A DIY backend on disk or in Blob Storage is read
 * directly (no CLI process per stack); any other backend goes through the Pulumi CLI,
 * selecting stacks without ever creating one.
 */
import type * as automation from '@pulumi/pulumi/automation';
import type { Component } from '../core/components';
import { OWNER_CONFIG_KEY } from '../core/ownership';
import { SPEC_HASH_CONFIG_KEY } from '../core/spec';
import { absentStack, deployedSpecHash, isCancelOf, isDeployment, lastDeployment, recordedOwner, type LockState, type RecordedEntry, type StackState } from '../core/state';
import { loadAutomation, workspaceFor } from './automation';
import type { Setup } from './setup';
import { backendSnapshot, operationLocks, stateStore } from './backends/access';
import type { StateStore } from './backends/stateStore';
import { globalNameOf, outputStates, readDiyLock, readDiyStack, resourceCountOf, unprotectedTypes } from './backends/diyState';
import { StoreSnapshot } from './backends/storeSnapshot';
import type { OperationLocks } from './operationLock';
import { describePulumiError } from './pulumiErrors';
import { Records } from './records';

/**
 * Another process's operation on the stack (on any machine) shows as busy, even between Pulumi
 * runs. Pulumi's lock of another host says nothing of whether that run lives; our claim's
 * heartbeat does: fresh, it is busy; stopped, it looks dead (still only a person decides).
 */
async function withOperationLock(locks: OperationLocks, state: StackState): Promise<StackState> {
  if (state.unreadable || state.lock?.ownerAlive === false || state.lock?.ownerAlive === true) return state;
  let holder;
  try {
    holder = await locks.holder(state.stack);
  } catch (error) {
    return { ...state, unreadable: `cannot read the operation locks of ${state.stack}: ${(error as Error).message.split('\n')[0]}` };
  }
  if (!holder) return state;
  const { info, alive } = holder;
  const judged = { ownerAlive: alive, ...(info.stale ? { stale: info.stale } : {}) };
  if (state.lock) return info.hostname === state.lock.hostname ? { ...state, lock: { ...state.lock, ...judged } } : state;
  return { ...state, lock: { pid: info.pid, hostname: info.hostname, username: info.username, timestamp: info.startedAt, ...judged } };
}

/** A failed last update that our own record says was cancelled reads as cancelled, not failed. */
async function withCancelRecord(records: Records, state: StackState): Promise<StackState> {
  const last = state.lastUpdate;
  if (last?.result !== 'failed') return state;
  const cancel = await records.cancel(state.stack);
  return cancel && isCancelOf(last, cancel) ? { ...state, lastUpdate: { ...last, cancelledAt: cancel.at } } : state;
}

const HISTORY_PAGE = 20;
const MAX_HISTORY_PAGES = 10;

/**
 * History newest first, a page at a time, until the newest successful update or destroy is
 * in it (usually the first page): however many refreshes came after a failed update, the
 * failure is what is judged.
 */
async function deploymentHistory(stack: automation.Stack): Promise<RecordedEntry[]> {
  const entries: RecordedEntry[] = [];
  for (let page = 1; page <= MAX_HISTORY_PAGES; page++) {
    const history = await stack.history(HISTORY_PAGE, page, false);
    for (const h of history) {
      const hash = h.config?.[SPEC_HASH_CONFIG_KEY]?.value;
      const owner = h.config?.[OWNER_CONFIG_KEY]?.value;
      entries.push({ kind: h.kind, result: h.result, startTime: String(h.startTime), endTime: h.endTime ? String(h.endTime) : undefined, specHash: typeof hash === 'string' ? hash : undefined, owner: typeof owner === 'string' ? owner : undefined });
    }
    if (history.length < HISTORY_PAGE || entries.some((e) => isDeployment(e.kind) && e.result === 'succeeded')) break;
  }
  return entries;
}

async function readThroughCli(setup: Setup, cliPath: string, component: Component): Promise<StackState> {
  const auto = await loadAutomation();
  const readAt = new Date().toISOString();
  try {
    const ws = await workspaceFor(setup.settings, cliPath, component, async () => ({}), 'read');
    const stack = await auto.Stack.select(component.stack, ws);
    const [deployment, entries] = await Promise.all([stack.exportStack(), deploymentHistory(stack)]);
    const latest = deployment.deployment as { resources?: Array<{ type: string; parent?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; protect?: boolean }>; pending_operations?: Array<{ type: string; resource: { urn: string } }> };
    const root = latest.resources?.find((r) => r.type === 'pulumi:pulumi:Stack' && !r.parent);
    const last = lastDeployment(entries);
    return {
      stack: component.stack,
      exists: true,
      lastUpdate: last && { kind: last.kind, result: last.result, startTime: last.startTime, endTime: last.endTime },
      deployedSpecHash: deployedSpecHash(entries),
      owner: recordedOwner(entries),
      pendingOperations: (latest.pending_operations ?? []).map((p) => ({ type: p.type, urn: p.resource.urn })),
      outputs: outputStates(root?.outputs ?? {}),
      resourceCount: resourceCountOf(latest.resources ?? []),
      unprotectedTypes: unprotectedTypes(latest.resources ?? []),
      ...globalNameOf(latest.resources ?? []),
      readAt,
    };
  } catch (error) {
    if (error instanceof auto.StackNotFoundError) return absentStack(component.stack, readAt);
    if (error instanceof auto.ConcurrentUpdateError) return { ...absentStack(component.stack, readAt), exists: true, lock: { ownerAlive: 'unknown' } };
    return { ...absentStack(component.stack, readAt), unreadable: `cannot read ${component.stack}: ${describePulumiError(error, component.stack)}` };
  }
}

export type CliPathProvider = () => string;

/** `store`: the backend as this read sees it (by default a snapshot of these components' stacks). */
export async function readStackStates(
  setup: Setup,
  components: readonly Component[],
  cliPath: CliPathProvider,
  store?: StateStore,
): Promise<Map<string, StackState>> {
  const backend = store ?? (await backendSnapshot(setup.settings, components));
  const locks = await operationLocks(setup.settings, backend, 'read');
  const records = new Records(setup.settings, backend);
  const states = await Promise.all(
    components.map(async (c) => {
      const state = backend ? await readDiyStack(backend, c.project, c.stack) : await readThroughCli(setup, cliPath(), c);
      return [c.name, await withCancelRecord(records, await withOperationLock(locks, state))] as const;
    }),
  );
  if (backend instanceof StoreSnapshot) backend.saveDigests();
  return new Map(states);
}

/**
 * Only the locks of these components' stacks, judged with our claims as `readStackStates` judges
 * them: what a run waiting behind them polls (a DIY backend's lock files, not every checkpoint).
 */
export async function readStackLocks(setup: Setup, components: readonly Component[], cliPath: CliPathProvider): Promise<Map<string, LockState | undefined>> {
  const store = stateStore(setup.settings);
  const locks = await operationLocks(setup.settings, store, 'read');
  const read = async (c: Component): Promise<StackState> =>
    store ? { ...absentStack(c.stack, new Date().toISOString()), lock: await readDiyLock(store, c.project, c.stack) } : readThroughCli(setup, cliPath(), c);
  return new Map(await Promise.all(components.map(async (c) => [c.name, (await withOperationLock(locks, await read(c))).lock] as const)));
}
