/**
 * What an update records for freshness (src/core/freshness.ts): the digest key, from the
 * backend's passphrase, and the producer digests this component reads now.
 */
import type { Component } from '../core/components';
import { consumedKey, digestKey, DIGESTS_OUTPUT } from '../core/freshness';
import { passphraseSource } from '../core/paths';
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

/** The passphrase's key; undefined when there is no passphrase to read (then nothing is recorded). */
export function digestKeyFor(engine: Engine): Buffer | undefined {
  const source = passphraseSource(process.env, engine.setup.settings.modelopsHome);
  const passphrase = source.kind === 'variable' ? source.value : readSmallFile(source.path, 'a Pulumi passphrase', 64 * 1024)?.trim();
  return passphrase ? digestKey(passphrase) : undefined;
}

export async function freshnessFor(engine: Engine, component: Component): Promise<Freshness | undefined> {
  const key = digestKeyFor(engine);
  if (!key) return undefined;
  const producers = component.uses.map((u) => engine.component(u.from));
  const states = producers.length ? await readStackStates(engine.setup, producers, () => engine.cliPath()) : new Map();
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
