/**
 * A password generated once and kept in the (encrypted) stack state, like
 * random.RandomPassword, but without a provider plugin to download: a dynamic
 * resource whose methods are self-contained (they run in Pulumi's
 * dynamic-provider host after closure serialization).
 *
 * It is aliased to the original's RandomPassword and adopts its `result`: the
 * database was initialised with that password, and a new one would lock the
 * workers out.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { Pulumi } from './context';

export interface StablePasswordInputs {
  length: number;
}

/** What a state holds: ours (`password`) or, before the first up with ModelOps Infra, the original's RandomPassword (`result`). */
export interface StablePasswordState extends StablePasswordInputs {
  password?: string;
  result?: string;
}

/** The type token of the original's `pulumi_random.RandomPassword`. */
export const RANDOM_PASSWORD_TYPE = 'random:index/randomPassword:RandomPassword';

export const stablePasswordProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: StablePasswordInputs) {
    const crypto = require('node:crypto') as typeof import('node:crypto');
    // Letters and digits only: it goes into a DSN and a shell-free env var.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const password = Array.from({ length: inputs.length }, () => alphabet[crypto.randomInt(alphabet.length)]).join('');
    return { id: crypto.randomUUID(), outs: { length: inputs.length, password } };
  },
  async diff(_id: string, olds: StablePasswordState, news: StablePasswordInputs) {
    if (olds.password === undefined && typeof olds.result === 'string') return { changes: true, replaces: [] };
    const changed = olds.length !== news.length;
    return { changes: changed, replaces: changed ? ['length'] : [] };
  },
  // Only reached to adopt the original's password (a length change replaces).
  async update(_id: string, olds: StablePasswordState, news: StablePasswordInputs) {
    return { outs: { length: news.length, password: olds.password ?? olds.result } };
  },
};

export function stablePassword(p: Pulumi, name: string, length = 24, opts?: pulumi.CustomResourceOptions): pulumi.Output<string> {
  class StablePassword extends p.dynamic.Resource {
    declare readonly password: pulumi.Output<string>;
    constructor() {
      const aliases = [{ type: RANDOM_PASSWORD_TYPE }];
      super(stablePasswordProvider, name, { length, password: undefined }, { ...opts, aliases, additionalSecretOutputs: ['password'] }, 'modelops-azure', 'StablePassword');
    }
  }
  return p.secret(new StablePassword().password);
}
