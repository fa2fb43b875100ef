/** The Azure programs of the resource group, registry, cluster and storage, under Pulumi's mocks. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clusterName, storageAccountName } from '../../src/core/names';
import { azureProgram } from '../../src/engine/programs/azure';
import { kubeletObjectId } from '../../src/engine/programs/azure/cluster';
import { resourceGroupNameFor } from '../../src/core/names';
import { acrPullAssignmentName, uuid5 } from '../../src/engine/programs/azure/ids';
import { ED25519_SSH_KEY } from '../fixtures';
import { FLAT_EXAMPLE, withoutAcr, KUBECONFIG, KUBELET_OBJECT_ID, SECTIONS, SSH_KEY, SUBSCRIPTION, contextFor, dependencyOutputs, parse, run, type Run } from './mocks';

const LONG_USER = 'Alexandra.Konstantinopoulou-Featherstonehaugh';
const withEnv = (text: string, env: string): string => `${text}environment: ${env}\n`;
const withUser = (text: string, user: string): string => text.replace('username: alice', `username: "${user}"`);

async function runComponent(text: string, component: string, env = 'dev', options?: Parameters<typeof run>[2]): Promise<Run> {
  return run(contextFor(parse(text), component, env), azureProgram, options);
}

/** The SDK adds its own defaults (podCidr, outboundType): compare what we set. */
const pick = (value: unknown, ...keys: string[]): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, (value as Record<string, unknown>)[k]]));

function assertNoAdoption(r: Run): void {
  for (const resource of r.resources) assert.ok(!resource.id, `${resource.type} ${resource.name} is read with .get(), so Pulumi would not manage it`);
}

describe('azure programs: loading', () => {
  it('loads no Azure or Kubernetes SDK module until a program runs', () => {
    const script = `require(${JSON.stringify(resolve(__dirname, '../../src/engine/programs/azure/index.js'))});
      const heavy = Object.keys(require.cache).filter((k) => /@pulumi[\\\\/](azure-native|kubernetes)|@kubernetes/.test(k));
      process.stdout.write(String(heavy.length));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '0');
  });
});

describe('azure programs: resource group', () => {
  it("creates the environment's group in the configured location, pinned to the subscription", async () => {
    const r = await runComponent(FLAT_EXAMPLE, 'resource-group');
    const rg = r.resource('azure-native:resources:ResourceGroup', 'resource-group-rg');
    assert.equal(rg.inputs.resourceGroupName, 'modelops-dev-rg-alice');
    assert.equal(rg.inputs.location, 'eastus2');
    assert.deepEqual(rg.inputs.tags, { 'managed-by': 'modelops', project: 'modelops', component: 'resource-group', environment: 'dev', user: 'alice' });
    assert.equal(r.resource('pulumi:providers:azure-native').inputs.subscriptionId, SUBSCRIPTION);
    assertNoAdoption(r);
    assert.deepEqual(r.outputs, { resource_group_name: 'modelops-dev-rg-alice', resource_group_id: `/subscriptions/${SUBSCRIPTION}/mock/resource-group-rg`, location: 'eastus2', environment: 'dev' });
    assert.deepEqual([...r.secrets], []);
  });

  it('names the group modelops-{env}-rg-{user} for a hyphenated env and a long user', async () => {
    const r = await runComponent(withEnv(withUser(FLAT_EXAMPLE, LONG_USER), 'vsb-dev'), 'resource-group', 'vsb-dev');
    assert.equal(r.outputs.resource_group_name, 'modelops-vsb-dev-rg-alexandrakonstantino');
    assert.equal(r.resource('azure-native:resources:ResourceGroup').inputs.tags.environment, 'vsb-dev');
    assert.equal(resourceGroupNameFor({ username: LONG_USER }, 'vsb-dev'), 'modelops-vsb-dev-rg-alexandrakonstantino');
  });
});

describe('azure programs: registry', () => {
  it('creates the ACR with the admin user and exports pull credentials, the password secret', async () => {
    const r = await runComponent(withoutAcr(FLAT_EXAMPLE) + SECTIONS.registry, 'registry');
    const acr = r.resource('azure-native:containerregistry:Registry', 'modelops-registry-acr');
    assert.equal(acr.inputs.registryName, 'modelopsdevacralice');
    assert.deepEqual(acr.inputs.sku, { name: 'Basic' });
    assert.equal(acr.inputs.adminUserEnabled, true);
    assert.equal(acr.inputs.resourceGroupName, 'modelops-rg');
    const invoke = r.calls.find((c) => c.token === 'azure-native:containerregistry:listRegistryCredentials');
    assert.deepEqual(invoke?.inputs, { registryName: 'modelopsdevacralice', resourceGroupName: 'modelops-rg' });
    assert.equal(r.outputs.login_server, 'modelopsdevacralice.azurecr.io');
    assert.equal(r.outputs.bundles_pull_username, 'acr-admin');
    assert.equal(r.outputs.bundles_pull_password, 'acr-secret');
    assert.equal(r.outputs.registry_id, `/subscriptions/${SUBSCRIPTION}/mock/modelops-registry-acr`);
    assert.deepEqual([...r.secrets], ['bundles_pull_password']);
    assertNoAdoption(r);
  });

  it("names the flat file's registry per environment and user, not by acr.name", async () => {
    const r = await runComponent(FLAT_EXAMPLE, 'registry');
    assert.equal(r.outputs.registry_name, 'modelopsdevacralice');
  });

  it('keeps names within ACR rules and stable for hyphenated envs and long users', async () => {
    const text = withEnv(withUser(withoutAcr(FLAT_EXAMPLE), LONG_USER) + SECTIONS.registry, 'vsb-dev');
    const first = await runComponent(text, 'registry', 'vsb-dev');
    const second = await runComponent(text, 'registry', 'vsb-dev');
    const name = String(first.outputs.registry_name);
    assert.match(name, /^[a-z0-9]{5,50}$/);
    assert.equal(name, second.outputs.registry_name, 'no random suffix per run');
    assert.equal(name, 'modelopsvsbdevacr8981', 'outside dev and staging: the env and a stable hash, no user');
    const staging = await runComponent(withEnv(withUser(withoutAcr(FLAT_EXAMPLE), LONG_USER) + SECTIONS.registry, 'staging'), 'registry', 'staging');
    assert.equal(staging.outputs.registry_name, 'modelopsstagingacralexandrakonstantino');
  });

  it('takes the name the engine kept from the stack (never renamed), over the derived one', async () => {
    const ctx = { ...contextFor(parse(withoutAcr(FLAT_EXAMPLE) + SECTIONS.registry), 'registry', 'dev'), kept: { registryName: 'modelopsdevacralice9f3c1a' } };
    const r = await run(ctx, azureProgram);
    assert.equal(r.resource('azure-native:containerregistry:Registry').inputs.registryName, 'modelopsdevacralice9f3c1a');
  });
});

describe('azure programs: cluster', () => {
  it('creates AKS from the example: pools, labels, taints, autoscaling, version, network, SSH key', async () => {
    const r = await runComponent(FLAT_EXAMPLE, 'cluster');
    const aks = r.resource('azure-native:containerservice:ManagedCluster', 'aks-cluster');
    assert.equal(aks.inputs.resourceName, clusterName('dev', 'alice'));
    assert.match(String(aks.inputs.resourceName), /^modelops-dev-aks-[0-9a-f]{4}$/);
    assert.equal(aks.inputs.resourceGroupName, 'modelops-rg');
    assert.equal(aks.inputs.location, 'eastus2');
    assert.equal(aks.inputs.kubernetesVersion, '1.32');
    assert.deepEqual(aks.inputs.identity, { type: 'SystemAssigned' });
    assert.deepEqual(pick(aks.inputs.networkProfile, 'networkPlugin', 'serviceCidr', 'dnsServiceIP'), { networkPlugin: 'azure', serviceCidr: '172.16.0.0/16', dnsServiceIP: '172.16.0.10' });
    assert.deepEqual(aks.inputs.linuxProfile, { adminUsername: 'azureuser', ssh: { publicKeys: [{ keyData: SSH_KEY }] } });
    assert.deepEqual(aks.inputs.agentPoolProfiles, [
      { name: 'system', mode: 'System', vmSize: 'Standard_B2s', osType: 'Linux', type: 'VirtualMachineScaleSets', count: 1, enableAutoScaling: false },
    ]);
    const cpu = r.resource('azure-native:containerservice:AgentPool', 'aks-pool-cpu');
    assert.deepEqual(cpu.inputs, {
      agentPoolName: 'cpu', resourceName: clusterName('dev', 'alice'), resourceGroupName: 'modelops-rg',
      mode: 'User', vmSize: 'Standard_D4s_v3', osType: 'Linux', type: 'VirtualMachineScaleSets', count: 1, enableAutoScaling: true, minCount: 1, maxCount: 5,
      nodeLabels: { 'modelops.io/role': 'cpu' },
      nodeTaints: ['modelops.io/role=cpu:NoSchedule'],
      tags: aks.inputs.tags,
    });
    assertNoAdoption(r);
  });

  it('keeps only the first System pool inline, so pools added, scaled or removed later are applied (AKS refuses pool changes through the cluster)', async () => {
    const pools = '  node_pools:\n    - { name: cpu, vm_size: Standard_D4s_v3, mode: User, count: 2 }\n    - { name: sys, vm_size: Standard_B2s, mode: System }\n    - { name: sys2, vm_size: Standard_B2s, mode: System }\n';
    const r = await runComponent(FLAT_EXAMPLE.replace(/ {2}node_pools:\n(?: {4}.*\n)+/, pools), 'cluster');
    const inline = r.resource('azure-native:containerservice:ManagedCluster').inputs.agentPoolProfiles as Record<string, unknown>[];
    assert.deepEqual(inline.map((p) => p.name), ['sys']);
    const separate = r.ofType('azure-native:containerservice:AgentPool');
    assert.deepEqual(separate.map((p) => [p.name, p.inputs.agentPoolName, p.inputs.mode, p.inputs.count]), [
      ['aks-pool-cpu', 'cpu', 'User', 2],
      ['aks-pool-sys2', 'sys2', 'System', 1],
    ]);
    const scaled = await runComponent(FLAT_EXAMPLE.replace(/ {2}node_pools:\n(?: {4}.*\n)+/, pools.replace('count: 2', 'count: 4')), 'cluster');
    assert.deepEqual(scaled.resource('azure-native:containerservice:ManagedCluster').inputs.agentPoolProfiles, inline, 'the cluster itself is unchanged');
    assert.equal(scaled.resource('azure-native:containerservice:AgentPool', 'aks-pool-cpu').inputs.count, 4);
  });

  it('creates the pools one after another: AKS refuses a second pool operation while one runs (409, Azure/AKS#1913)', async () => {
    const pools = '  node_pools:\n    - { name: sys, vm_size: Standard_B2s, mode: System }\n    - { name: cpu, vm_size: Standard_D4s_v3 }\n    - { name: mem, vm_size: Standard_E4s_v3 }\n    - { name: gpu, vm_size: Standard_NC6s_v3 }\n';
    const r = await runComponent(FLAT_EXAMPLE.replace(/ {2}node_pools:\n(?: {4}.*\n)+/, pools), 'cluster');
    const chain = r.ofType('azure-native:containerservice:AgentPool').map((p) => [p.name, p.options.dependsOn.filter((d) => d.startsWith('aks-pool-'))]);
    assert.deepEqual(chain, [
      ['aks-pool-cpu', []],
      ['aks-pool-mem', ['aks-pool-cpu']],
      ['aks-pool-gpu', ['aks-pool-mem']],
    ]);
  });

  it('exports the decoded kubeconfig as a secret, and the names dependents read', async () => {
    const r = await runComponent(FLAT_EXAMPLE, 'cluster');
    assert.equal(r.outputs.kubeconfig, KUBECONFIG);
    assert.equal(r.outputs.cluster_name, clusterName('dev', 'alice'));
    assert.equal(r.outputs.resource_group, 'modelops-rg');
    assert.equal(r.outputs.location, 'eastus2');
    assert.equal(r.outputs.provider, 'azure');
    assert.deepEqual([...r.secrets], ['kubeconfig']);
  });

  it('grants AcrPull to the kubelet identity on the registry, with the original deterministic name', async () => {
    const r = await runComponent(FLAT_EXAMPLE, 'cluster');
    const registryId = String(dependencyOutputs().registry.outputs.registry_id);
    const grant = r.resource('azure-native:authorization:RoleAssignment', 'aks-acr-pull');
    assert.equal(grant.inputs.scope, registryId);
    assert.equal(grant.inputs.principalId, KUBELET_OBJECT_ID);
    assert.equal(grant.inputs.principalType, 'ServicePrincipal');
    assert.equal(grant.inputs.roleDefinitionId, `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`);
    assert.equal(grant.inputs.roleAssignmentName, acrPullAssignmentName(registryId, KUBELET_OBJECT_ID));
    assert.equal(r.outputs.acr_pull_configured, true);
  });

  it('creates no AcrPull when there is no registry, or when registry.grant_cluster_pull is false', async () => {
    const none = await runComponent(withoutAcr(FLAT_EXAMPLE), 'cluster');
    assert.deepEqual(none.ofType('azure-native:authorization:RoleAssignment'), []);
    assert.equal(none.outputs.acr_pull_configured, false);
    const off = await runComponent(withoutAcr(FLAT_EXAMPLE) + 'registry: { grant_cluster_pull: false }\n', 'cluster');
    assert.deepEqual(off.ofType('azure-native:authorization:RoleAssignment'), []);
  });

  it('uses the original two default pools when none are configured', async () => {
    const text = FLAT_EXAMPLE.replace(/ {2}node_pools:\n(?: {4}.*\n)+/, '');
    const r = await runComponent(text, 'cluster');
    const inline = r.resource('azure-native:containerservice:ManagedCluster').inputs.agentPoolProfiles as Record<string, unknown>[];
    const pools = [...inline, ...r.ofType('azure-native:containerservice:AgentPool').map((p) => ({ name: p.inputs.agentPoolName, ...p.inputs }))];
    assert.deepEqual(pools.map((p) => [p.name, p.mode, p.vmSize, p.count, p.enableAutoScaling, p.minCount, p.maxCount]), [
      ['system', 'System', 'Standard_DS2_v2', 1, false, undefined, undefined],
      ['cpuworkers', 'User', 'Standard_DS3_v2', 2, true, 2, 5],
    ]);
    assert.deepEqual(pools[1].nodeTaints, ['modelops.io/role=cpu:NoSchedule']);
  });

  it('takes service CIDR and DNS IP from aks.network', async () => {
    const text = FLAT_EXAMPLE.replace('  kubernetes_version: "1.32"\n', '  kubernetes_version: "1.32"\n  network: { service_cidr: 10.100.0.0/16, dns_service_ip: 10.100.0.10 }\n');
    const r = await runComponent(text, 'cluster');
    const network = r.resource('azure-native:containerservice:ManagedCluster').inputs.networkProfile;
    assert.deepEqual(pick(network, 'serviceCidr', 'dnsServiceIP'), { serviceCidr: '10.100.0.0/16', dnsServiceIP: '10.100.0.10' });
  });

  it('reads ssh.public_key_path, and fails clearly without a key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mops-ssh-'));
    try {
      writeFileSync(join(dir, 'id.pub'), `${SSH_KEY}\n`);
      const fromFile = await runComponent(FLAT_EXAMPLE.replace(/ssh:\n.*\n/, `ssh:\n  public_key_path: ${join(dir, 'id.pub')}\n`), 'cluster');
      assert.equal((fromFile.resource('azure-native:containerservice:ManagedCluster').inputs.linuxProfile as { ssh: { publicKeys: { keyData: string }[] } }).ssh.publicKeys[0].keyData, SSH_KEY);
      await assert.rejects(runComponent(FLAT_EXAMPLE.replace(/ssh:\n.*\n/, `ssh:\n  public_key_path: ${join(dir, 'missing.pub')}\n`), 'cluster'), /ssh\.public_key_path: .*missing\.pub does not exist\. Point it at an existing public key/);
      await assert.rejects(runComponent(FLAT_EXAMPLE.replace(/ssh:\n.*\n/, ''), 'cluster'), /set ssh\.public_key/);
      // The file is checked as AKS checks it, before the cluster is registered.
      writeFileSync(join(dir, 'id_ed25519.pub'), `${ED25519_SSH_KEY}\n`);
      await assert.rejects(runComponent(FLAT_EXAMPLE.replace(/ssh:\n.*\n/, `ssh:\n  public_key_path: ${join(dir, 'id_ed25519.pub')}\n`), 'cluster'), /ssh\.public_key_path: .*id_ed25519\.pub: it is a ssh-ed25519 key, and AKS accepts only RSA keys/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the cluster within AKS rules for hyphenated envs and long users', async () => {
    const r = await runComponent(withEnv(withUser(FLAT_EXAMPLE, LONG_USER), 'vsb-dev'), 'cluster', 'vsb-dev');
    const aks = r.resource('azure-native:containerservice:ManagedCluster');
    assert.equal(aks.inputs.resourceName, 'modelops-vsb-dev-aks');
    assert.equal(aks.inputs.dnsPrefix, 'modelops-vsb-dev-aks-dns');
    const staging = await runComponent(withEnv(withUser(FLAT_EXAMPLE, LONG_USER), 'staging'), 'cluster', 'staging');
    assert.match(String(staging.resource('azure-native:containerservice:ManagedCluster').inputs.resourceName), /^modelops-staging-aks-[0-9a-f]{4}$/);
  });

  it('reads the kubelet object id under every casing Azure has used', () => {
    assert.equal(kubeletObjectId({ kubeletidentity: { objectId: 'a' } }), 'a');
    assert.equal(kubeletObjectId({ kubeletidentity: { object_id: 'b' } }), 'b');
    assert.equal(kubeletObjectId({ kubeletIdentity: { objectId: 'c' } }), 'c');
    assert.equal(kubeletObjectId({}), undefined);
    assert.equal(kubeletObjectId(undefined), undefined);
  });

  it('computes UUID v5 as Python does', () => {
    assert.equal(uuid5('/x/reg-abc-acrpull'), 'dd53dbbf-7d38-508d-aabf-d3d6b41a6cfc');
  });
});

/** The SAS window, written out: the same token on every run, valid until 2030. */
const SAS_START = '2025-01-01T00:00:00Z';
const SAS_EXPIRY = '2030-01-01T00:00:00Z';

describe('azure programs: storage', () => {
  it('takes the account name the engine kept from the stack (never renamed), over the derived one', async () => {
    const ctx = { ...contextFor(parse(FLAT_EXAMPLE + SECTIONS.storage), 'storage', 'dev'), kept: { storageAccountName: 'modelopsdevali0a1b2c3d' } };
    const r = await run(ctx, azureProgram);
    assert.equal(r.resource('azure-native:storage:StorageAccount').inputs.accountName, 'modelopsdevali0a1b2c3d');
  });

  it('creates the account from config, the four containers and the workspace/ lifecycle rule', async () => {
    const r = await runComponent(FLAT_EXAMPLE + SECTIONS.storage, 'storage');
    const account = r.resource('azure-native:storage:StorageAccount', 'storage-account');
    assert.equal(account.inputs.accountName, storageAccountName('dev', 'alice'));
    assert.deepEqual(account.inputs.sku, { name: 'Standard_GRS' });
    assert.equal(account.inputs.location, 'westeurope');
    assert.equal(account.inputs.kind, 'StorageV2');
    assert.equal(account.inputs.allowBlobPublicAccess, false);
    assert.equal(account.inputs.enableHttpsTrafficOnly, true);
    assert.equal(account.inputs.minimumTlsVersion, 'TLS1_2');
    assert.deepEqual(r.ofType('azure-native:storage:BlobContainer').map((c) => [c.inputs.containerName, c.inputs.publicAccess]), [
      ['bundle-blobs', 'None'],
      ['workspace', 'None'],
      ['results', 'None'],
      ['jobs', 'None'],
    ]);
    const rule = (r.resource('azure-native:storage:ManagementPolicy').inputs.policy as { rules: { definition: unknown }[] }).rules[0];
    assert.deepEqual(rule.definition, { filters: { blobTypes: ['blockBlob'], prefixMatch: ['workspace/'] }, actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 7 } } } });
    assertNoAdoption(r);
  });

  it('exports both connection strings as secrets, the SAS one from a fixed window', async () => {
    const r = await runComponent(FLAT_EXAMPLE + SECTIONS.storage, 'storage');
    const name = storageAccountName('dev', 'alice');
    assert.equal(r.outputs.connection_string, `DefaultEndpointsProtocol=https;AccountName=${name};AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net`);
    assert.equal(r.outputs.sas_connection_string, `BlobEndpoint=https://${name}.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&st=${SAS_START}&se=${SAS_EXPIRY}&sp=rl&sig=abc`);
    assert.equal(r.outputs.primary_endpoint, `https://${name}.blob.core.windows.net/`);
    assert.deepEqual(r.outputs.containers, ['bundle-blobs', 'workspace', 'results', 'jobs']);
    assert.deepEqual([...r.secrets].sort(), ['connection_string', 'sas_connection_string']);
    const sas = r.calls.find((c) => c.token === 'azure-native:storage:listStorageAccountServiceSAS')!;
    assert.deepEqual({ ...sas.inputs }, {
      accountName: name, resourceGroupName: 'modelops-rg', canonicalizedResource: `/blob/${name}/bundle-blobs`, resource: 'c', permissions: 'rl', protocols: 'https',
      sharedAccessStartTime: SAS_START, sharedAccessExpiryTime: SAS_EXPIRY,
    });
  });

  it('defaults to Standard_LRS in the resource group location; names fit 24 lowercase alphanumerics', async () => {
    const text = withEnv(withUser(FLAT_EXAMPLE, LONG_USER), 'vsb-dev') + 'storage: {}\n';
    const r = await runComponent(text, 'storage', 'vsb-dev');
    const account = r.resource('azure-native:storage:StorageAccount');
    assert.deepEqual(account.inputs.sku, { name: 'Standard_LRS' });
    assert.equal(account.inputs.location, 'eastus2');
    assert.match(String(account.inputs.accountName), /^[a-z0-9]{3,24}$/);
  });
});
