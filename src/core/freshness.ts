/**
 * Ready means fresh: a dependent built from upstream outputs that have changed since is `stale`.
 * Each producer exports keyed digests of the outputs others read (`modelops_digests`, computed in
 * its program, where the values are plain); each consumer exports the producer digests it read
 * (`modelops_consumed`). Both are plain stack outputs, so every state reader sees them without
 * decrypting anything, and no value is ever hashed outside a program. The key is the producer's:
 * derived from the backend's passphrase (everyone sharing a backend has it) with the producer's
 * stack as salt, as slowly as Pulumi derives its own key from it, so a digest of a value anyone can
 * read makes guessing the passphrase no cheaper than Pulumi's own salt already does.
 */
import { createHmac, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import type { Component } from './components';
import { canonicalJson } from './spec';
import type { StackState } from './state';

export const DIGESTS_OUTPUT = 'modelops_digests';
export const CONSUMED_OUTPUT = 'modelops_consumed';

/** The freshness records among a stack's outputs: bookkeeping, not outputs a person or a dependent reads. */
export const isFreshnessRecord = (output: string): boolean => output === DIGESTS_OUTPUT || output === CONSUMED_OUTPUT;

/** PBKDF2-SHA256 rounds for the digest key: Pulumi's passphrase secrets manager uses as many. */
export const DIGEST_KEY_ROUNDS = 1_000_000;

/** The HMAC key for the digests of one producer's outputs, from the stack passphrase (versioned, salted with the stack). */
export function digestKey(passphrase: string, stack: string): Promise<Buffer> {
  return promisify(pbkdf2)(passphrase, `modelops-output-digest/1:${stack}`, DIGEST_KEY_ROUNDS, 32, 'sha256');
}

/** A keyed digest of one output value: never the value, and stable for equal values. */
export function outputDigest(key: Buffer, value: unknown): string {
  return createHmac('sha256', key).update(canonicalJson(value ?? null)).digest('hex').slice(0, 32);
}

/** The outputs of `producer` that some component reads. */
export function outputsReadByOthers(components: readonly Pick<Component, 'uses'>[], producer: string): string[] {
  return [...new Set(components.flatMap((c) => c.uses.filter((u) => u.from === producer).flatMap((u) => u.outputs)))];
}

/** `{from}.{output}`: how a consumer records what it read. */
export const consumedKey = (from: string, output: string): string => `${from}.${output}`;

export interface StaleUse {
  from: string;
  output: string;
}

const digestsIn = (state: StackState | undefined, name: string): Record<string, unknown> | undefined => {
  const value = state?.outputs[name]?.value;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
};

/**
 * The upstream outputs `component` read at its last up whose producer holds another value now.
 * A consumer deployed before digests were recorded, or a producer that records none, is not stale.
 */
export function staleUses(component: Pick<Component, 'uses'>, own: StackState, states: ReadonlyMap<string, StackState>): StaleUse[] {
  const consumed = digestsIn(own, CONSUMED_OUTPUT);
  if (!consumed) return [];
  const stale: StaleUse[] = [];
  for (const use of component.uses) {
    const now = digestsIn(states.get(use.from), DIGESTS_OUTPUT);
    for (const output of use.outputs) {
      const was = consumed[consumedKey(use.from, output)];
      if (typeof was === 'string' && typeof now?.[output] === 'string' && was !== now[output]) stale.push({ from: use.from, output });
    }
  }
  return stale;
}

/**
 * Whether `component` provably read, at its last up, what its producers hold now: a record of
 * every output it reads, each equal to its producer's digest now. Without records (deployed
 * before they were kept, or a producer that keeps none) nobody can tell: false.
 */
export function readsUnchanged(component: Pick<Component, 'uses'>, own: StackState, states: ReadonlyMap<string, StackState>): boolean {
  const consumed = digestsIn(own, CONSUMED_OUTPUT);
  if (!consumed) return false;
  return component.uses.every((use) => {
    const now = digestsIn(states.get(use.from), DIGESTS_OUTPUT);
    return use.outputs.every((output) => typeof now?.[output] === 'string' && consumed[consumedKey(use.from, output)] === now[output]);
  });
}

function byProducer(uses: readonly StaleUse[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const u of uses) grouped.set(u.from, [...(grouped.get(u.from) ?? []), u.output]);
  return grouped;
}

/** When the producer's newest update ended, `2026-12-07 10:42 UTC`, if its state says. */
function updatedAt(state: StackState | undefined): string | undefined {
  const at = state?.lastUpdate?.endTime ?? state?.lastUpdate?.startTime;
  return at && !Number.isNaN(Date.parse(at)) ? `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC` : undefined;
}

/** `reads kubeconfig from cluster, changed since its last up (cluster updated 2026-12-07 10:42 UTC)`. */
export function describeStale(uses: readonly StaleUse[], states?: ReadonlyMap<string, StackState>): string {
  const grouped = [...byProducer(uses)];
  const when = grouped.flatMap(([from]) => {
    const at = updatedAt(states?.get(from));
    return at ? [`${from} updated ${at}`] : [];
  });
  return `${grouped.map(([from, outputs]) => `reads ${outputs.join(', ')} from ${from}`).join('; ')}, changed since its last up${when.length ? ` (${when.join('; ')})` : ''}`;
}

/** `storage's connection_string, account_name changed`: why a dependent was re-applied. */
export function describeChanged(uses: readonly StaleUse[]): string {
  return [...byProducer(uses)].map(([from, outputs]) => `${from}'s ${outputs.join(', ')}`).join(' and ') + ' changed';
}

/** What an update of a producer will do to the outputs dependents read, as its preview computed them. */
export interface OutputChanges {
  /** Known now, with another digest than recorded. */
  changes: string[];
  /** Unknown until the update (Pulumi computes them then). */
  unknown: string[];
}

/**
 * Compares the digests a preview computed (`observed`; an output the preview could not know has
 * none) with the producer's recorded ones. An output never recorded is not judged: the first up
 * that records digests re-applies its readers anyway (they have no record either).
 */
export function outputChanges(producer: StackState | undefined, read: readonly string[], observed: ReadonlyMap<string, string>): OutputChanges {
  const recorded = digestsIn(producer, DIGESTS_OUTPUT) ?? {};
  const judged = read.filter((o) => typeof recorded[o] === 'string');
  return {
    changes: judged.filter((o) => observed.has(o) && observed.get(o) !== recorded[o]),
    unknown: judged.filter((o) => !observed.has(o)),
  };
}

/** A dependent a producer's update reaches: it reads `outputs`; `certain` when one of them is known to change. */
export interface Reach {
  component: string;
  outputs: string[];
  certain: boolean;
}

/**
 * The components that read what an update of `producer` changes or makes unknown, and (given the
 * states) those already stale on it: an up re-applies both.
 */
export function reachOf(components: readonly Pick<Component, 'name' | 'uses'>[], producer: string, changes: OutputChanges, states?: ReadonlyMap<string, StackState>): Reach[] {
  return components.flatMap((c) => {
    const own = states?.get(c.name);
    const stale = own ? staleUses(c, own, states!).filter((u) => u.from === producer).map((u) => u.output) : [];
    const reads = c.uses.filter((u) => u.from === producer).flatMap((u) => u.outputs);
    const changed = reads.filter((o) => changes.changes.includes(o) || stale.includes(o));
    const unknown = reads.filter((o) => changes.unknown.includes(o) && !changed.includes(o));
    return changed.length || unknown.length ? [{ component: c.name, outputs: [...changed, ...unknown], certain: changed.length > 0 }] : [];
  });
}

/** `workspace: will be re-applied — reads connection_string` (or `may be`, when known only after the update). */
export function describeReach(r: Reach): string {
  return `${r.component}: ${r.certain ? 'will' : 'may'} be re-applied — reads ${r.outputs.join(', ')}${r.certain ? '' : ' (known only after the update)'}`;
}
