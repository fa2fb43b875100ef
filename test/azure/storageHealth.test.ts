/**
 * Storage health against the real Azure Storage API (Azurite: containers present, one deleted,
 * a wrong key, paging through many, no credential). The registry here is a name that never
 * resolves: its check cannot conclude.
 */
import { strict as assert } from 'node:assert';
import { createServer, type AddressInfo } from 'node:net';
import { componentsFor } from '../../src/core/components';
import { STANDARD_CONTAINERS } from '../../src/core/names';
import { endpointHealth } from '../../src/probes/health/endpoints';
import { accountOf, listContainers } from '../../src/probes/clients/blob';
import { Azurite, DEV_ACCOUNT } from '../azurite';
import { withProcessEnv } from '../processEnv';
import { FLAT_EXAMPLE, SECTIONS, parse } from './mocks';

const COMPONENTS = componentsFor(parse(FLAT_EXAMPLE + SECTIONS.storage), 'dev').filter((c) => c.kind === 'storage' || c.kind === 'registry' || c.kind === 'resource-group');

describe('azure health: storage on the real Storage API (Azurite), registry through an ACR double', function () {
  this.timeout(120_000);
  let azurite: Azurite;
  before(async () => {
    azurite = await Azurite.start();
    for (const c of STANDARD_CONTAINERS) await azurite.createContainer(c);
  });
  after(async () => azurite?.stop());

  const storage = COMPONENTS.filter((c) => c.kind === 'storage');
  const outputs = (connection = azurite.connectionString) =>
    new Map<string, Record<string, unknown>>([
      ['resource-group', { resource_group_name: 'modelops-rg' }],
      ['registry', { login_server: 'registry.invalid', bundles_pull_username: 'acr-admin', bundles_pull_password: 'acr-secret' }],
      ['storage', { primary_endpoint: `${azurite.serviceUrl}/`, connection_string: connection }],
    ]);
  const service = () => require('@azure/storage-blob').BlobServiceClient.fromConnectionString(azurite.connectionString) as import('@azure/storage-blob').BlobServiceClient;

  it('healthy: the endpoint answers and the four containers exist', async () => {
    const results = await endpointHealth(storage, outputs(), { timeoutMs: 10_000 });
    assert.equal(results[0].check, 'blob endpoint');
    assert.equal(results[0].verdict, 'healthy');
    assert.match(results[0].reason, /answers \(HTTP \d+\)/);
    assert.deepEqual(results[1], { component: 'storage', check: 'containers', verdict: 'healthy', reason: 'bundle-blobs, workspace, results, jobs exist' });
  });

  it('a deleted container is unhealthy; a wrong key is unhealthy with the service code, and the key is never in the reason', async () => {
    await service().getContainerClient('results').delete();
    try {
      const missing = await endpointHealth(storage, outputs(), { timeoutMs: 10_000 });
      assert.deepEqual([missing[1].verdict, missing[1].reason], ['unhealthy', 'missing container(s): results']);
    } finally {
      await azurite.createContainer('results');
    }
    const wrongKey = Buffer.from('not-the-account-key-but-long-enough').toString('base64');
    const rejected = await endpointHealth(storage, outputs(azurite.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${wrongKey}`)), { timeoutMs: 10_000 });
    assert.equal(rejected[1].verdict, 'unhealthy');
    assert.match(rejected[1].reason, new RegExp(`^list containers of ${DEV_ACCOUNT}: HTTP 403 \\((AuthorizationFailure|AuthenticationFailed)\\)$`));
    assert.ok(!rejected[1].reason.includes(wrongKey));
  });

  it('lists every page of an account with many containers', async () => {
    const extra = Array.from({ length: 60 }, (_, i) => `extra-${String(i).padStart(2, '0')}`);
    for (const name of extra) await azurite.createContainer(name);
    try {
      // Azurite pages at 5000 by default; ask the service for small pages to see the SDK follow them.
      const names: string[] = [];
      for await (const page of service().listContainers().byPage({ maxPageSize: 7 })) names.push(...(page.containerItems ?? []).map((c) => c.name));
      const ours = await listContainers({ connectionString: azurite.connectionString }, 10_000);
      assert.deepEqual([...ours].sort(), [...names].sort());
      assert.ok(ours.length >= 64);
    } finally {
      for (const name of extra) await service().getContainerClient(name).delete();
    }
  });

  it('an unreachable endpoint is unknown, not unhealthy', async () => {
    const port = await new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as AddressInfo;
        server.close(() => done(p));
      });
    });
    const endpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
    const closed = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=eHh4;BlobEndpoint=${endpoint};`;
    const results = await endpointHealth(storage, new Map([['storage', { primary_endpoint: `${endpoint}/`, connection_string: closed }]]), { timeoutMs: 5_000 });
    assert.deepEqual(results.map((r) => r.verdict), ['unknown', 'unknown'], JSON.stringify(results));
    assert.match(results[0].reason, /ECONNREFUSED/);
  });

  it('without a connection string it signs in with Entra ID, and with no credential here says it cannot tell', async () => {
    const bare = { AZURE_CLIENT_ID: undefined, AZURE_TENANT_ID: undefined, AZURE_CLIENT_SECRET: undefined, IDENTITY_ENDPOINT: undefined, MSI_ENDPOINT: undefined };
    await withProcessEnv(bare, async () => {
      // Entra ID signs in over TLS only; the sign-in fails before any connection is made.
      const results = await endpointHealth(storage, new Map([['storage', { primary_endpoint: `https://127.0.0.1:9/${DEV_ACCOUNT}/` }]]), { timeoutMs: 10_000 });
      assert.equal(results[1].verdict, 'unknown', results[1].reason);
      assert.match(results[1].reason, /no Azure credential here/);
    });
  });

  it('the resource group is healthy when something in it answered, else unknown', async () => {
    const results = await endpointHealth(COMPONENTS, outputs(), { timeoutMs: 10_000 });
    assert.deepEqual(results.find((r) => r.component === 'resource-group'), { component: 'resource-group', check: 'resources', verdict: 'healthy', reason: 'resources in it answer (storage)' });
    // registry.invalid never resolves: the registry check cannot conclude.
    assert.equal(results.find((r) => r.component === 'registry')?.verdict, 'unknown');
  });

  it('names the account of a connection string, never its key', () => {
    assert.equal(accountOf(azurite.connectionString), DEV_ACCOUNT);
    assert.equal(accountOf('BlobEndpoint=https://x.blob.core.windows.net/;SharedAccessSignature=sv=1'), undefined);
  });
});
