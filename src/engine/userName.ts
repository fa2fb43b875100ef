/**
 * Whose names these are. Resource group, cluster, registry and storage account names carry a
 * user name (src/core/names.ts); azure.yaml's `username` gives it, else it is found as the
 * original modelops finds it (`core/config.py` `get_username`): `settings.username` of
 * ~/.modelops/modelops.yaml when that file exists, else `defaults.username` of
 * ~/.modelops/config.yaml, else the system user as Python's `getpass.getuser()` finds it.
 * The same user then gets the same names, and our `up` never renames (replaces) what the
 * original made.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { START_OF_FILE } from '../core/config/types';
import { ConfigError } from '../core/errors';
import { readSmallFile } from './userFiles';

export interface UserName {
  name: string;
  /** Where it came from, as a user would look it up: `settings.username in ~/.modelops/modelops.yaml`. */
  from: string;
}

/** `getpass.getuser()`: the first of LOGNAME, USER, LNAME and USERNAME that is set, else the account's name. */
export function systemUser(env: NodeJS.ProcessEnv): UserName {
  for (const name of ['LOGNAME', 'USER', 'LNAME', 'USERNAME']) {
    const value = env[name];
    if (value) return { name: value, from: `the system user ($${name})` };
  }
  try {
    return { name: userInfo().username, from: 'the system user' };
  } catch {
    // No account entry for this uid (a container run as an arbitrary user): the original's derive_username of nothing.
    return { name: 'user', from: 'no system user name (set `username`)' };
  }
}

/** The file's YAML as plain data; undefined when it does not exist. A file that exists but does not parse is an error naming it. */
function readYaml(file: string): unknown {
  let text: string | undefined;
  try {
    text = readSmallFile(file, 'a settings file', 1024 * 1024);
  } catch (error) {
    throw unreadable(file, (error as Error).message);
  }
  if (text === undefined) return undefined;
  const doc = parseDocument(text);
  if (doc.errors.length) throw unreadable(file, doc.errors[0].message.split('\n')[0]);
  return doc.toJS() ?? {};
}

function unreadable(file: string, why: string): ConfigError {
  const message = `cannot read the user name from ${file}: ${why}. Fix that file, or set \`username\` in azure.yaml.`;
  return new ConfigError(file, [{ file, range: START_OF_FILE, severity: 'error', code: 'config-unreadable', message }]);
}

function field(data: unknown, section: string, key: string): unknown {
  const s = (data as Record<string, unknown> | undefined)?.[section];
  return s && typeof s === 'object' ? (s as Record<string, unknown>)[key] : undefined;
}

/**
 * The user name for names. `explicit` is the config's own (`explicitFrom` says where). An empty `settings.username`
 * is the original's "user" (its `derive_username` of nothing).
 */
export function resolveUserName(explicit: string | undefined, modelopsHome: string, env: NodeJS.ProcessEnv, explicitFrom = '`username` in azure.yaml'): UserName {
  if (explicit !== undefined) return { name: explicit, from: explicitFrom };
  const unifiedFile = join(modelopsHome, 'modelops.yaml');
  const unified = readYaml(unifiedFile);
  if (unified !== undefined) {
    const name = field(unified, 'settings', 'username');
    if (typeof name === 'string') return { name: name.trim() || 'user', from: `settings.username in ${unifiedFile}` };
  }
  const legacyFile = join(modelopsHome, 'config.yaml');
  const legacy = field(readYaml(legacyFile), 'defaults', 'username');
  if (typeof legacy === 'string' && legacy) return { name: legacy, from: `defaults.username in ${legacyFile}` };
  return systemUser(env);
}
