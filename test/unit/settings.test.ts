import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBackendUrl, fileBackendDir, modelopsHome, resolveBackendUrl } from '../../src/core/paths';
import { ensurePassphraseFile, passphraseConflict, passphraseEnv, resolveSettings } from '../../src/engine/settings';

describe('engine settings', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mops-settings-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('backend: --backend, then pulumi.backend_url, then PULUMI_BACKEND_URL, then the original default', () => {
    const env = { PULUMI_BACKEND_URL: 'file:///from-env' };
    assert.equal(resolveBackendUrl({ backendOverride: 'file:///flag', configBackendUrl: 'azblob://c' }, env, dir), 'file:///flag');
    assert.equal(resolveBackendUrl({ configBackendUrl: 'azblob://c' }, env, dir), 'azblob://c');
    assert.equal(resolveBackendUrl({}, env, dir), 'file:///from-env');
    assert.equal(resolveBackendUrl({}, {}, dir), defaultBackendUrl(dir));
    assert.equal(fileBackendDir(defaultBackendUrl(dir)), join(dir, 'pulumi', 'backend'));
    assert.equal(fileBackendDir('azblob://container'), undefined);
  });

  it('creates the passphrase file once, mode 0600, and never overwrites it', () => {
    const path = join(dir, 'secrets', 'pulumi-passphrase');
    ensurePassphraseFile(path);
    const first = readFileSync(path, 'utf8');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.ok(first.length >= 32);
    ensurePassphraseFile(path);
    assert.equal(readFileSync(path, 'utf8'), first);
  });

  it('a passphrase variable that differs from the original\'s file is named with the file; the same one, or no file, is not', () => {
    const file = join(dir, 'secrets', 'pulumi-passphrase');
    assert.equal(passphraseConflict({ PULUMI_CONFIG_PASSPHRASE: 'a' }, dir), undefined, 'no file');
    ensurePassphraseFile(file);
    const kept = readFileSync(file, 'utf8');
    assert.equal(passphraseConflict({ PULUMI_CONFIG_PASSPHRASE: `${kept}\n` }, dir), undefined, 'the same passphrase');
    assert.equal(passphraseConflict({}, dir), undefined, 'no variable: the file is used');
    const conflict = passphraseConflict({ PULUMI_CONFIG_PASSPHRASE: 'another' }, dir) ?? '';
    assert.match(conflict, /PULUMI_CONFIG_PASSPHRASE .* differs from .*secrets\/pulumi-passphrase, the passphrase the original modelops always uses/);
    assert.ok(!conflict.includes('another') && !conflict.includes(kept), 'neither passphrase is in the message');
  });

  it('passphrase: the variable, then the file variable, then the original file', () => {
    assert.deepEqual(passphraseEnv({ PULUMI_CONFIG_PASSPHRASE: '', PULUMI_CONFIG_PASSPHRASE_FILE: '/x' }, dir), { PULUMI_CONFIG_PASSPHRASE: '' });
    assert.deepEqual(passphraseEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: '/x' }, dir), { PULUMI_CONFIG_PASSPHRASE_FILE: '/x' });
    assert.deepEqual(passphraseEnv({}, dir), { PULUMI_CONFIG_PASSPHRASE_FILE: join(dir, 'secrets', 'pulumi-passphrase') });
  });

  it('MODELOPS_HOME moves everything; an empty one counts as unset, in the engine and the extension alike', () => {
    const settings = resolveSettings({ env: { MODELOPS_HOME: dir } });
    assert.equal(settings.modelopsHome, dir);
    assert.equal(settings.pulumiEnv('read').PULUMI_BACKEND_URL, defaultBackendUrl(dir));
    assert.equal(settings.pulumiEnv('read').PULUMI_SKIP_UPDATE_CHECK, 'true');
    assert.equal(modelopsHome({ MODELOPS_HOME: '' }), modelopsHome({}));
  });

  it('a read never creates the passphrase file; a write creates it', () => {
    const settings = resolveSettings({ env: { MODELOPS_HOME: dir } });
    const file = join(dir, 'secrets', 'pulumi-passphrase');
    assert.deepEqual(settings.pulumiEnv('read').PULUMI_CONFIG_PASSPHRASE_FILE, file);
    assert.equal(existsSync(file), false, 'status, outputs and health must not create a passphrase');
    settings.pulumiEnv('write');
    assert.equal(existsSync(file), true);
  });
});
