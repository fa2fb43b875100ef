import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { canonicalComponentName, componentsFor, isSecretOutputName, PROJECT_PREFIX, projectName, stackName, stackReference } from '../../src/core/components';
import {
  adaptiveNamespace,
  clusterName,
  dnsLabel,
  registryName,
  resourceGroupName,
  sanitizeUsername,
  storageAccountName,
  workspaceNamespace,
} from '../../src/core/names';
import { azureConfig } from './helpers';
import type { Component } from '../../src/core/components';
import type { InfraConfig } from '../../src/core/config/types';
import type { StackState } from '../../src/core/state';
import { globalNameOf } from '../../src/engine/backends/diyState';
import { globalNaming } from '../../src/engine/keptNames';

const alnum = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 1, maxLength: 30 });

const SUB_A = '12345678-90ab-cdef-1234-567890abcdef';
const SUB_B = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('names (as the original derived them)', () => {
  describe('Pulumi projects, stacks and references (§1.0)', () => {
    it('project names: modelops-<component>, the cluster is modelops-infra', () => {
      assert.equal(PROJECT_PREFIX, 'modelops');
      assert.deepEqual(
        (['resource-group', 'registry', 'cluster', 'storage', 'workspace', 'adaptive'] as const).map(projectName),
        ['modelops-resource-group', 'modelops-registry', 'modelops-infra', 'modelops-storage', 'modelops-workspace', 'modelops-adaptive'],
      );
    });

    it('stack names: modelops-infra-dev for the cluster, modelops-adaptive-dev-default for a run', () => {
      assert.equal(stackName('cluster', 'dev'), 'modelops-infra-dev');
      assert.equal(stackName('resource-group', 'staging'), 'modelops-resource-group-staging');
      assert.equal(stackName('adaptive', 'dev', 'default'), 'modelops-adaptive-dev-default');
    });

    it('references use the file backend organization', () => {
      assert.equal(stackReference('cluster', 'dev'), 'organization/modelops-infra/modelops-infra-dev');
      assert.equal(stackReference('adaptive', 'prod', 'opt'), 'organization/modelops-adaptive/modelops-adaptive-prod-opt');
    });

    it('components carry those names and the original work dirs', () => {
      const list = componentsFor(azureConfig({}, ['opt']), 'dev');
      assert.deepEqual(
        list.map((c) => [c.name, c.project, c.stack, c.reference, c.workDirName]),
        [
          ['resource-group', 'modelops-resource-group', 'modelops-resource-group-dev', 'organization/modelops-resource-group/modelops-resource-group-dev', 'resource-group'],
          ['registry', 'modelops-registry', 'modelops-registry-dev', 'organization/modelops-registry/modelops-registry-dev', 'registry'],
          ['cluster', 'modelops-infra', 'modelops-infra-dev', 'organization/modelops-infra/modelops-infra-dev', 'infra'],
          ['storage', 'modelops-storage', 'modelops-storage-dev', 'organization/modelops-storage/modelops-storage-dev', 'storage'],
          ['workspace', 'modelops-workspace', 'modelops-workspace-dev', 'organization/modelops-workspace/modelops-workspace-dev', 'workspace'],
          ['adaptive-opt', 'modelops-adaptive', 'modelops-adaptive-dev-opt', 'organization/modelops-adaptive/modelops-adaptive-dev-opt', 'adaptive/opt'],
        ],
      );
    });

    it('what a user types maps to the component name', () => {
      assert.equal(canonicalComponentName('resource_group'), 'resource-group');
      assert.equal(canonicalComponentName(' Infra '), 'cluster');
      assert.equal(canonicalComponentName('adaptive_default'), 'adaptive-default');
    });

    it('secret output names', () => {
      for (const n of ['kubeconfig', 'connection_string', 'sas_connection_string', 'bundles_pull_password', 'api_token', 'storage_key', 'key']) assert.ok(isSecretOutputName(n), n);
      for (const n of ['cluster_name', 'login_server', 'namespace', 'monkey_business', 'keyboard']) assert.ok(!isSecretOutputName(n), n);
    });
  });

  describe('Azure resource names (§2.9)', () => {
    it('sanitizeUsername: lowercase alphanumerics, at most 20, else "user"', () => {
      assert.equal(sanitizeUsername('Alice.Smith'), 'alicesmith');
      assert.equal(sanitizeUsername('bob_smith-2'), 'bobsmith2');
      assert.equal(sanitizeUsername('a'.repeat(25)), 'a'.repeat(20));
      assert.equal(sanitizeUsername('...'), 'user');
      assert.equal(sanitizeUsername(''), 'user');
      fc.assert(fc.property(fc.string(), (s) => assert.match(sanitizeUsername(s), /^[a-z0-9]{1,20}$/)));
    });

    it('resource group: modelops-<env>-rg-<user>', () => {
      assert.equal(resourceGroupName('staging', 'bobsmith'), 'modelops-staging-rg-bobsmith');
      assert.equal(resourceGroupName('staging', 'Bob.Smith'), 'modelops-staging-rg-bobsmith');
      assert.equal(resourceGroupName('prod'), 'modelops-prod-rg');
    });

    it('cluster: a 4-hex suffix only for dev/staging with a user', () => {
      assert.equal(clusterName('dev'), 'modelops-dev-aks');
      assert.equal(clusterName('prod', 'alice'), 'modelops-prod-aks');
      assert.match(clusterName('dev', 'alice'), /^modelops-dev-aks-[0-9a-f]{4}$/);
      assert.match(clusterName('staging', 'alice'), /^modelops-staging-aks-[0-9a-f]{4}$/);
      assert.equal(clusterName('dev', 'Alice.Smith'), clusterName('dev', 'alicesmith'), 'the suffix is of the sanitized user');
      assert.notEqual(clusterName('dev', 'alice'), clusterName('staging', 'alice'));
      assert.equal(clusterName('dev', 'alice'), clusterName('dev', 'alice'));
    });

    it('registry: modelops<env>acr<user>, stable, alphanumeric', () => {
      assert.equal(registryName('dev', 'test'), 'modelopsdevacrtest');
      assert.equal(registryName('dev', 'Bob.Smith'), 'modelopsdevacrbobsmith');
      assert.match(registryName('prod', 'alice'), /^modelopsprodacr[0-9a-f]{4}$/);
      assert.match(registryName('my-env_1', undefined), /^modelopsmyenv1acr[0-9a-f]{4}$/, 'env cleaned to alphanumerics');
      assert.match(registryName('dev', 'alice', { perUserRegistry: false }), /^modelopsdevacr[0-9a-f]{4}$/);
      assert.equal(registryName('dev', 'alice', { registryName: 'My-Registry' }), 'myregistry');
      assert.equal(registryName('prod', 'alice'), registryName('prod', 'alice'), 'no random suffix');
      fc.assert(
        fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), fc.boolean(), (env, user, perUserRegistry) => {
          const name = registryName(env, user, { perUserRegistry });
          assert.match(name, /^[a-z0-9]{5,50}$/);
          assert.equal(registryName(env, user, { perUserRegistry }), name);
        }),
      );
    });

    it('registry: the name its stack has is kept (never renamed); only a given name wins over it', () => {
      assert.equal(registryName('prod', 'alice', { existing: 'modelopsprodacrk3x9' }), 'modelopsprodacrk3x9');
      assert.equal(registryName('dev', undefined, { existing: 'modelopsdevacrq7w2' }), 'modelopsdevacrq7w2', 'without a user the original was random in dev too');
      assert.equal(registryName('dev', 'alice', { existing: 'modelopsdevacrother', subscription: SUB_A }), 'modelopsdevacrother', 'per user too: a live registry is not renamed');
      assert.equal(registryName('prod', 'alice', { registryName: 'given', existing: 'modelopsprodacrk3x9' }), 'given');
    });

    it('a new registry or storage account has the subscription in its name: two organisations with `prod` and alice do not collide', () => {
      for (const [env, user] of [['prod', 'alice'], ['dev', 'alice'], ['staging', undefined], ['vsb-dev', 'Alexandra.Konstantinopoulou-Featherstonehaugh']] as const) {
        const [a, b] = [registryName(env, user, { subscription: SUB_A }), registryName(env, user, { subscription: SUB_B })];
        assert.notEqual(a, b, `${env}/${user}: registry`);
        assert.match(a, /^[a-z0-9]{5,50}$/);
        assert.equal(registryName(env, user, { subscription: SUB_A.toUpperCase() }), a, 'a GUID in capitals is the same subscription');
        const [sa, sb] = [storageAccountName(env, user, SUB_A), storageAccountName(env, user, SUB_B)];
        assert.notEqual(sa, sb, `${env}/${user}: storage`);
        assert.match(sa, /^modelops[a-z0-9]{1,16}$/);
        assert.ok(sa.length <= 24);
      }
      assert.match(registryName('dev', 'alice', { subscription: SUB_A }), /^modelopsdevacralice[0-9a-f]{6}$/, 'per user: the original name, then the subscription');
      assert.match(storageAccountName('prod', 'alice', SUB_A), /^modelopsprdsto[0-9a-f]{8}$/);
      assert.equal(registryName('dev', 'alice'), 'modelopsdevacralice', 'without a subscription: as the original derived it');
    });

    it('storage account: modelops + env3 + user3|sto + hash4, at most 24', () => {
      const dev = storageAccountName('dev', 'test');
      assert.match(dev, /^modelopsdevtes[0-9a-f]{4}$/);
      assert.match(storageAccountName('dev'), /^modelopsdevsto[0-9a-f]{4}$/);
      assert.ok(storageAccountName('dev').startsWith('modelopsdevst'));
      assert.match(storageAccountName('prod'), /^modelopsprdsto[0-9a-f]{4}$/);
      assert.match(storageAccountName('prod', 'alice'), /^modelopsprdsto[0-9a-f]{4}$/, 'prod is shared, not per user');
      assert.match(storageAccountName('staging', 'Bob.Smith'), /^modelopsstabob[0-9a-f]{4}$/);
      assert.equal(storageAccountName('dev', 'test'), dev);
      assert.notEqual(storageAccountName('dev', 'test'), storageAccountName('dev'));
    });

    it('property: storage account names are 3–24 lowercase alphanumerics', () => {
      fc.assert(
        fc.property(alnum, fc.option(alnum, { nil: undefined }), (env, user) => {
          assert.match(storageAccountName(env, user), /^[a-z0-9]{3,24}$/);
        }),
      );
      fc.assert(fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (env, user) => assert.match(storageAccountName(env, user), /^[a-z0-9]{3,24}$/)));
    });

    it('namespaces are DNS-1123 labels', () => {
      assert.equal(workspaceNamespace('dev'), 'modelops-dask-dev');
      assert.equal(workspaceNamespace('dev', 'custom'), 'custom');
      assert.equal(adaptiveNamespace('dev', 'My_Run'), 'modelops-adaptive-dev-my-run');
      assert.equal(dnsLabel('--'), 'default');
      fc.assert(fc.property(fc.string({ maxLength: 100 }), (s) => assert.match(dnsLabel(s), /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)));
    });
  });
});

describe('the global name a stack keeps (src/engine/keptNames.ts)', () => {
  const config = { provider: 'azure', subscriptionId: SUB_A, username: 'alice', adaptive: {}, pulumi: {}, dependsOn: {}, local: { faults: {} } } as unknown as InfraConfig;
  const storage = { name: 'storage', kind: 'storage' } as Component;
  const state = (extra: Partial<StackState>): StackState => ({ stack: 'modelops-storage-dev', exists: true, pendingOperations: [], outputs: {}, resourceCount: 3, readAt: '', ...extra });

  it('a new stack gets the subscription; an existing one its own name, from its output or, after a failed first update, its resource', () => {
    assert.deepEqual(globalNaming(config, storage, undefined), { subscription: SUB_A });
    assert.deepEqual(globalNaming(config, storage, state({ exists: false, resourceCount: 0 })), { subscription: SUB_A });
    assert.deepEqual(globalNaming(config, storage, state({ resourceCount: 0 })), { subscription: SUB_A }, 'a stack that made nothing yet');
    assert.deepEqual(globalNaming(config, storage, state({ outputs: { account_name: { secret: false, empty: false, value: 'modelopsdevali5b96' } } })), { existing: 'modelopsdevali5b96' });
    assert.deepEqual(globalNaming(config, storage, state({ globalName: 'modelopsdevali0a1b2c3d' })), { existing: 'modelopsdevali0a1b2c3d' }, 'no outputs, but the account is in the state: never renamed');
    assert.deepEqual(globalNaming(config, storage, state({})), {}, 'an older stack with neither: the name as it was derived before');
  });

  it("reads the name from the state's registry or storage account resource", () => {
    assert.deepEqual(globalNameOf([{ type: 'pulumi:pulumi:Stack' }, { type: 'azure-native:storage:StorageAccount', inputs: { accountName: 'acct1' } }]), { globalName: 'acct1' });
    assert.deepEqual(globalNameOf([{ type: 'azure-native:containerregistry:Registry', inputs: { registryName: 'reg1' } }]), { globalName: 'reg1' });
    assert.deepEqual(globalNameOf([{ type: 'azure-native:storage:BlobContainer', inputs: { accountName: 'acct1' } }]), {});
  });
});
