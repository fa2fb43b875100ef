/**
 * What an update records for freshness (src/core/freshness.ts): the digest key, from the
 * backend's passphrase, and the producer digests this component reads now.
 */
import { createHash } from 'node:crypto';
import type { Component } from '../core/components';
import { consumedKey, digestKey, DIGESTS_OUTPUT } from '../core/freshness';
import { passphraseSource } from '../core/paths';
import type { StackState } from '../core/state';
import type { Engine } from './engine';
import { readStackStates } from './stateReader';
import { readSmallFile } from './userFiles';

export interface Freshness {
  key: Buffer;
  /** `{from}.{output}` → the producer's digest of it, as this component reads it. */
  consumed: Record<string, string>;
  /** Told each digest the program computes (a preview's way to see which outputs change). */
  observe?: (output: string, digest: string) => void;
}

const keys = new Map<string, Promise<Buffer>>();

/** The digest key of `component`'s stack, once per process; undefined when there is no passphrase to read (then nothing is recorded). */
export function digestKeyFor(engine: Engine, component: Component): Promise<Buffer> | undefined {
  const source = passphraseSource(process.env, engine.setup.settings.modelopsHome);
  const passphrase = source.kind === 'variable' ? source.value : readSmallFile(source.path, 'a Pulumi passphrase', 64 * 1024)?.trim();
  if (!passphrase) return undefined;
  const cacheKey = `${createHash('sha256').update(passphrase).digest('hex')}:${component.stack}`;
  if (!keys.has(cacheKey)) keys.set(cacheKey, digestKey(passphrase, component.stack));
  return keys.get(cacheKey);
}

/** The states of the components `component` reads from, as they are now. */
export async function producerStates(engine: Engine, component: Component): Promise<ReadonlyMap<string, StackState>> {
  const producers = component.uses.map((u) => engine.component(u.from));
  return producers.length ? readStackStates(engine.setup, producers, () => engine.cliPath()) : new Map();
}

export async function freshnessFor(engine: Engine, component: Component): Promise<Freshness | undefined> {
  const key = await digestKeyFor(engine, component);
  if (!key) return undefined;
  const states = await producerStates(engine, component);
  const consumed: Record<string, string> = {};
  for (const use of component.uses) {
    const digests = states.get(use.from)?.outputs[DIGESTS_OUTPUT]?.value as Record<string, unknown> | undefined;
    for (const output of use.outputs) {
      const digest = digests?.[output];
      if (typeof digest === 'string') consumed[consumedKey(use.from, output)] = digest;
    }
  }
  return { key, consumed };
}
