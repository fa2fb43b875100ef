/**
 * A password generated once and kept in the (encrypted) stack state, like
 * random.RandomPassword, but without a provider plugin to download: a dynamic
 * resource whose methods are self-contained (they run in Pulumi's
 * dynamic-provider host after closure serialization).
 */
import type * as pulumi from '@pulumi/pulumi';
import type { Pulumi } from './context';

export interface StablePasswordInputs {
  length: number;
}

export const stablePasswordProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: StablePasswordInputs) {
    const crypto = require('node:crypto') as typeof import('node:crypto');
    // Letters and digits only: it goes into a DSN and a shell-free env var.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const password = Array.from({ length: inputs.length }, () => alphabet[crypto.randomInt(alphabet.length)]).join('');
    return { id: crypto.randomUUID(), outs: { length: inputs.length, password } };
  },
  async diff(_id: string, olds: StablePasswordInputs, news: StablePasswordInputs) {
    const changed = olds.length !== news.length;
    return { changes: changed, replaces: changed ? ['length'] : [] };
  },
};

export function stablePassword(p: Pulumi, name: string, length = 24, opts?: pulumi.CustomResourceOptions): pulumi.Output<string> {
  class StablePassword extends p.dynamic.Resource {
    declare readonly password: pulumi.Output<string>;
    constructor() {
      super(stablePasswordProvider, name, { length, password: undefined }, { ...opts, additionalSecretOutputs: ['password'] }, 'modelops-azure', 'StablePassword');
    }
  }
  return p.secret(new StablePassword().password);
}
