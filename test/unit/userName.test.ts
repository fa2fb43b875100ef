/**
 * The user name in resource names, found as the original modelops finds it (its
 * `core/config.py` `get_username` at 06153e8), and the names a run then derives, compared with
 * the table made by running the original's code (test/original/names.tsv).
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterName, registryNameFor, resourceGroupNameFor, storageAccountName } from '../../src/core/names';
import { ConfigError } from '../../src/core/errors';
import { loadSetup } from '../../src/engine/setup';
import { resolveUserName, systemUser } from '../../src/engine/userName';

const ORIGINAL = join(__dirname, '..', '..', '..', 'test', 'original');
/** The smallest Azure config: only Azure names carry the user name. */
const AZURE = 'provider: azure\nsubscription_id: 12345678-90ab-cdef-1234-567890abcdef\naks:\n  kubernetes_version: "1.30"\n  node_pools:\n    - { name: system, mode: System, vm_size: Standard_B2s, count: 1 }\n';

describe('the user name in resource names, as the original finds it', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'mops-user-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('the system user as getpass.getuser() finds it: LOGNAME, USER, LNAME, USERNAME, then the account', () => {
    assert.deepEqual(systemUser({ USER: 'bob', LOGNAME: 'alice' }), { name: 'alice', from: 'the system user ($LOGNAME)' });
    assert.deepEqual(systemUser({ USERNAME: 'carol', LNAME: 'dan' }), { name: 'dan', from: 'the system user ($LNAME)' });
    assert.deepEqual(systemUser({ LOGNAME: '', USERNAME: 'carol' }), { name: 'carol', from: 'the system user ($USERNAME)' });
    assert.equal(systemUser({}).name, userInfo().username);
  });

  it("azure.yaml's username, else modelops.yaml's settings.username, else config.yaml's defaults.username, else the system user", () => {
    const env = { LOGNAME: 'alice' };
    assert.deepEqual(resolveUserName(undefined, home, env), { name: 'alice', from: 'the system user ($LOGNAME)' });
    writeFileSync(join(home, 'config.yaml'), 'defaults:\n  environment: dev\n  username: null\n');
    assert.equal(resolveUserName(undefined, home, env).name, 'alice', 'a null default is no user name');
    writeFileSync(join(home, 'config.yaml'), 'defaults:\n  username: Carol.W\n');
    assert.deepEqual(resolveUserName(undefined, home, env), { name: 'Carol.W', from: `defaults.username in ${join(home, 'config.yaml')}` });
    copyFileSync(join(ORIGINAL, 'modelops.yaml'), join(home, 'modelops.yaml'));
    assert.deepEqual(resolveUserName(undefined, home, env), { name: 'jane-doe', from: `settings.username in ${join(home, 'modelops.yaml')}` });
    assert.deepEqual(resolveUserName('bob', home, env), { name: 'bob', from: '`username` in azure.yaml' });
    assert.equal(resolveUserName('', home, env).name, '', '`username: ""` keeps names without a user part');
    const setup = (yaml: string) => {
      writeFileSync(join(home, 'azure.yaml'), yaml);
      return loadSetup({ configFile: join(home, 'azure.yaml'), processEnv: { MODELOPS_HOME: home, LOGNAME: 'alice' } });
    };
    assert.equal(setup(`${AZURE}username: ""\n`).config.username, undefined, 'no user part: the spec is what it was without username');
    assert.equal(setup('provider: local\n').config.username, undefined, 'only Azure names carry the user name');
    writeFileSync(join(home, 'modelops.yaml'), 'schema_version: 2\nsettings:\n  username: ""\n');
    assert.equal(resolveUserName(undefined, home, env).name, 'user', 'an empty settings.username is what the original derives from nothing');
  });

  it('a modelops.yaml that does not parse is an error naming it, not a guess', () => {
    writeFileSync(join(home, 'modelops.yaml'), 'settings: [unclosed\n');
    assert.throws(() => resolveUserName(undefined, home, {}), (error: unknown) => error instanceof ConfigError && /cannot read the user name from .*modelops\.yaml/.test(error.problems[0].message));
  });

  it("with mops init's modelops.yaml as the config itself: jane-doe's names in dev, as names.tsv has them", () => {
    const file = join(home, 'modelops.yaml');
    writeFileSync(file, readFileSync(join(ORIGINAL, 'modelops.yaml'), 'utf8').replace('00000000-0000-0000-0000-000000000000', '12345678-90ab-cdef-1234-567890abcdef'));
    const { config, env, userName } = loadSetup({ configFile: file, processEnv: { MODELOPS_HOME: home, LOGNAME: 'alice' } });
    assert.deepEqual(userName, { name: 'jane-doe', from: `settings.username in ${file}` });
    assert.deepEqual([resourceGroupNameFor(config, env), clusterName(env, config.username), storageAccountName(env, config.username), registryNameFor(config, env)], ['modelops-dev-rg-janedoe', 'modelops-dev-aks-11c8', 'modelopsdevjan000d', 'modelopsdevacrjanedoe']);
  });

  describe('a run without `username` derives the names the original derives (names.tsv)', () => {
    const [head, ...lines] = readFileSync(join(ORIGINAL, 'names.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const rows = lines.map((cells) => Object.fromEntries(head.map((h, i) => [h, cells[i]])));
    // How each case's ~/.modelops looks (NOTES.md §3); the system user is alice.
    const homes: Record<string, (dir: string) => void> = {
      'jane-doe': (dir) => copyFileSync(join(ORIGINAL, 'modelops.yaml'), join(dir, 'modelops.yaml')),
      bob: (dir) => writeFileSync(join(dir, 'modelops.yaml'), readFileSync(join(ORIGINAL, 'modelops.yaml'), 'utf8').replace('username: jane-doe', 'username: Bob.Smith')),
      alice: (dir) => writeFileSync(join(dir, 'config.yaml'), 'defaults:\n  username: null\n'),
      cfguser: (dir) => writeFileSync(join(dir, 'config.yaml'), 'defaults:\n  username: Carol.W\n'),
    };
    for (const row of rows.filter((r) => r.case in homes)) {
      it(`${row.env}, ${row['user input']}`, () => {
        const dir = mkdtempSync(join(tmpdir(), 'mops-names-'));
        try {
          mkdirSync(join(dir, 'work'));
          homes[row.case](dir);
          const configFile = join(dir, 'work', 'azure.yaml');
          writeFileSync(configFile, AZURE);
          const setup = loadSetup({ configFile, env: row.env, processEnv: { MODELOPS_HOME: dir, LOGNAME: 'alice' } });
          const { config, env } = setup;
          assert.equal(resourceGroupNameFor(config, env), row['resource group (resource-group stack)']);
          assert.equal(clusterName(env, config.username), row['AKS cluster name']);
          assert.equal(storageAccountName(env, config.username), row['storage account name']);
          if (env !== 'prod') assert.equal(registryNameFor(config, env), row['registry name']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
});
