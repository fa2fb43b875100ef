/**
 * `history COMPONENT`: the stack's updates, newest first, with the spec each one recorded and
 * how it differed from the one before (paths only). Also what rollback reads.
 */
import type { Component } from '../../core/components';
import type { HistoryDocument, HistoryUpdate } from '../../core/protocol';
import { SPEC_CONFIG_KEY, SPEC_HASH_CONFIG_KEY, specDifferences, type Spec } from '../../core/spec';
import { resolveComponents } from '../setup';
import type { Engine } from '../engine';
import { readFailure, selectForReading } from '../outputReader';

export interface RecordedUpdate extends HistoryUpdate {
  /** The spec the update recorded (decrypted: never printed). */
  spec?: Spec;
}

function parseSpec(value: unknown): Spec | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const spec = JSON.parse(value) as unknown;
    return spec && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Spec) : undefined;
  } catch {
    return undefined;
  }
}

/** Every update of the component's stack, newest first, with its recorded spec (through the Pulumi CLI: specs are secrets). */
export async function readUpdates(engine: Engine, component: Component): Promise<RecordedUpdate[]> {
  const stack = await selectForReading(engine, component);
  const entries = await stack.history(undefined, undefined, true).catch(readFailure(component));
  const updates: RecordedUpdate[] = entries.map((h, i) => {
    const hash = h.config?.[SPEC_HASH_CONFIG_KEY]?.value;
    return {
      // A file or blob backend numbers nothing: count from the oldest, as Pulumi Cloud does.
      version: h.version || entries.length - i,
      kind: h.kind,
      result: h.result,
      startTime: h.startTime ? new Date(h.startTime).toISOString() : undefined,
      endTime: h.endTime ? new Date(h.endTime).toISOString() : undefined,
      resourceChanges: h.resourceChanges as Record<string, number> | undefined,
      specHash: typeof hash === 'string' ? hash : undefined,
      spec: parseSpec(h.config?.[SPEC_CONFIG_KEY]?.value),
    };
  });
  // How each recorded spec differs from the one recorded before it.
  for (let i = 0; i < updates.length; i++) {
    const spec = updates[i].spec;
    const older = updates.slice(i + 1).find((u) => u.spec)?.spec;
    if (spec && older) updates[i].specChanges = specDifferences(older, spec);
  }
  return updates;
}

export async function history(engine: Engine, name: string): Promise<HistoryDocument> {
  const [component] = resolveComponents(engine.setup, [name]);
  const updates = await readUpdates(engine, component);
  return { component: component.name, stack: component.stack, updates: updates.map(({ spec: _spec, ...u }) => u) };
}
