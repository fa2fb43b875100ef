/**
 * The local provider's one resource type: a file or folder on this machine that
 * stands for a cloud resource. It runs in Pulumi's dynamic-provider host, which
 * gets this object by closure serialization: every method must be self-contained
 * (only Node built-ins, required inside the method).
 */
import type * as pulumi from '@pulumi/pulumi';

export interface LocalResourceInputs {
  /** Absolute path of the file or folder that stands for the resource. */
  path: string;
  kind: 'dir' | 'file';
  /** File body (for `file`). */
  content?: string;
  /** Every create/update/delete sleeps this long (an injected slow step). */
  delayMs: number;
  /** When set, create and update fail with this message (an injected fault). */
  fail?: string;
  /** Generate a stable random token (a password or key) on create. */
  withToken?: boolean;
}

export interface LocalResourceOutputs extends LocalResourceInputs {
  token?: string;
}

const IGNORED_IN_DIFF = ['delayMs', 'fail', '__provider'];

export const localProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: LocalResourceInputs, news: LocalResourceInputs) {
    return { inputs: news };
  },

  async diff(_id: string, olds: LocalResourceOutputs, news: LocalResourceInputs) {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)].filter((k) => k !== 'token' && !IGNORED_IN_DIFF.includes(k)));
    const changed = [...keys].filter((k) => JSON.stringify((olds as unknown as Record<string, unknown>)[k]) !== JSON.stringify((news as unknown as Record<string, unknown>)[k]));
    // An injected fault turns every step into an attempt that fails, even one with nothing to change.
    return { changes: changed.length > 0 || !!news.fail, replaces: changed.filter((k) => k === 'path' || k === 'kind'), deleteBeforeReplace: true };
  },

  async create(inputs: LocalResourceInputs) {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    const crypto = require('node:crypto') as typeof import('node:crypto');
    await new Promise((r) => setTimeout(r, inputs.delayMs));
    if (inputs.fail) throw new Error(inputs.fail);
    if (inputs.kind === 'dir') fs.mkdirSync(inputs.path, { recursive: true });
    else (fs.mkdirSync(path.dirname(inputs.path), { recursive: true }), fs.writeFileSync(inputs.path, inputs.content ?? '', { mode: 0o600 }));
    const token = inputs.withToken ? crypto.randomBytes(24).toString('base64url') : undefined;
    // Kept beside the resource, as a cloud keeps a key with its account, so a read (an import) recovers it.
    if (token) fs.writeFileSync(inputs.kind === 'dir' ? path.join(inputs.path, '.token') : `${inputs.path}.token`, token, { mode: 0o600 });
    // The host turns outs into a protobuf Struct, which refuses undefined values.
    return { id: inputs.path, outs: JSON.parse(JSON.stringify({ ...inputs, token })) };
  },

  async update(_id: string, olds: LocalResourceOutputs, news: LocalResourceInputs) {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    await new Promise((r) => setTimeout(r, news.delayMs));
    if (news.fail) throw new Error(news.fail);
    if (news.kind === 'dir') fs.mkdirSync(news.path, { recursive: true });
    else (fs.mkdirSync(path.dirname(news.path), { recursive: true }), fs.writeFileSync(news.path, news.content ?? '', { mode: 0o600 }));
    return { outs: JSON.parse(JSON.stringify({ ...news, token: olds.token })) };
  },

  /**
   * What is really there: gone (an empty id tells the engine so), or the resource as found
   * on disk — a file's body as it is now, so an edit outside Pulumi reads as a change. Also
   * what an import of a pending create reads, so everything comes from the id (the path).
   */
  async read(id: string, props: LocalResourceOutputs) {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    if (!id || !fs.existsSync(id)) return { id: '', props: {} };
    const kind = fs.statSync(id).isDirectory() ? 'dir' : 'file';
    const tokenFile = kind === 'dir' ? path.join(id, '.token') : `${id}.token`;
    const token = props?.token ?? (fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, 'utf8') : undefined);
    const found = { ...props, delayMs: props?.delayMs ?? 0, path: id, kind, ...(kind === 'file' ? { content: fs.readFileSync(id, 'utf8') } : {}), token };
    return { id, props: JSON.parse(JSON.stringify(found)) };
  },

  async delete(id: string, props: LocalResourceOutputs) {
    const fs = require('node:fs') as typeof import('node:fs');
    await new Promise((r) => setTimeout(r, props.delayMs ?? 0));
    fs.rmSync(id, { recursive: true, force: true });
    fs.rmSync(`${id}.token`, { force: true });
  },
};
