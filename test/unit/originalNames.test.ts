/**
 * Names as the original modelops derives them, from its own code (test/original/names.tsv, made by
 * running it at 06153e8): stack names, the workspace namespace, and the Azure names for a user name.
 *
 * Not compared here: the registry's name in prod (the original's is random on every run: it
 * must be read from the existing stack). Where the user name comes from (settings.username,
 * ~/.modelops/config.yaml, the system user) is tested with the engine's setup (userName.test.ts).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectName, stackName } from '../../src/core/components';
import { clusterName, registryName, resourceGroupName, storageAccountName, workspaceNamespace } from '../../src/core/names';

interface Row {
  env: string;
  case: string;
  columns: Record<string, string>;
}

function table(): Row[] {
  const [head, ...lines] = readFileSync(join(__dirname, '..', '..', '..', 'test', 'original', 'names.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  return lines.map((cells) => ({ env: cells[0], case: cells[1], columns: Object.fromEntries(head.map((h, i) => [h, cells[i]])) }));
}

/** The user name each case of the table resolves to, as the original resolves it. */
const USERS: Record<string, string> = { 'jane-doe': 'jane-doe', bob: 'Bob.Smith', alice: 'alice', cfguser: 'Carol.W' };

describe('names as the original derives them (its code at 06153e8)', () => {
  const rows = table().filter((r) => r.case in USERS);

  it('the table holds every user case in dev, staging and prod', () => {
    assert.deepEqual(rows.map((r) => `${r.env}:${r.case}`), ['dev', 'staging', 'prod'].flatMap((env) => Object.keys(USERS).map((c) => `${env}:${c}`)));
  });

  it('stack names and projects, and the workspace namespace', () => {
    for (const { env, columns } of rows) {
      const stack = (kind: Parameters<typeof stackName>[0], run?: string) => `${projectName(kind)}/${stackName(kind, env, run)}`;
      assert.equal(stack('resource-group'), columns['stack: resource group']);
      assert.equal(stack('cluster'), columns['stack: cluster/infra']);
      assert.equal(stack('storage'), columns['stack: storage']);
      assert.equal(stack('registry'), columns['stack: registry']);
      assert.equal(stack('workspace'), columns['stack: workspace']);
      assert.equal(stack('adaptive', 'default'), columns['stack: adaptive (mops adaptive up, --name default)']);
      assert.equal(workspaceNamespace(env), columns['k8s namespace (workspace)']);
    }
  });

  it('the resource group, the storage account and the registry (dev, staging) for each user name', () => {
    for (const { env, case: c, columns } of rows) {
      const user = USERS[c];
      const at = `${env} ${user}`;
      assert.equal(resourceGroupName(env, user), columns['resource group (resource-group stack)'], at);
      assert.equal(storageAccountName(env, user), columns['storage account name'], at);
      if (env !== 'prod') assert.equal(registryName(env, user), columns['registry name'], at);
    }
  });

  it('the AKS cluster for each user name, hashed with its hyphens as the original hashes it', () => {
    for (const { env, case: c, columns } of rows) {
      assert.equal(clusterName(env, USERS[c]), columns['AKS cluster name'], `${env} ${USERS[c]}`);
    }
    // One user, two hashes: the cluster keeps the hyphen, the storage account drops it.
    assert.equal(clusterName('dev', 'jane-doe'), 'modelops-dev-aks-11c8');
    assert.equal(storageAccountName('dev', 'jane-doe'), 'modelopsdevjan000d');
  });
});
