/**
 * Probing an interrupted create of an azure-native resource through the real Azure SDK (the generic
 * GET by id of @azure/arm-resources) against the double of Resource Manager (armDouble.ts). The
 * double answers as the REST reference documents the GETs: 200 with the resource
 * (https://learn.microsoft.com/rest/api/storagerp/storage-accounts/get-properties), 404
 * `ResourceNotFound` for one that does not exist (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-not-found).
 */
import { strict as assert } from 'node:assert';
import type { TokenCredential } from '@azure/core-auth';
import { armResourceExists } from '../../src/probes/arm/preflight';
import { probeArm } from '../../src/engine/probes';
import { routeKey, startArmDouble, type ArmDouble } from './armDouble';
import { SUBSCRIPTION } from './mocks';

const staticToken: TokenCredential = { getToken: async () => ({ token: 'double-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const ACCOUNT = `/subscriptions/${SUBSCRIPTION}/resourceGroups/modelops-dev-rg-alice/providers/Microsoft.Storage/storageAccounts/modelopsdevalice1234`;
const pending = { urn: 'urn:pulumi:modelops-storage-dev::modelops-storage::azure-native:storage:StorageAccount::storage', type: 'azure-native:storage:StorageAccount', inputs: { resourceGroupName: 'modelops-dev-rg-alice', accountName: 'modelopsdevalice1234' } };

describe('probing an interrupted Azure create through Resource Manager (double)', function () {
  this.timeout(60_000);
  let arm: ArmDouble;
  beforeEach(async () => (arm = await startArmDouble(new Map())));
  afterEach(async () => arm.close());

  const probe = (credential: TokenCredential = staticToken) =>
    probeArm(pending, SUBSCRIPTION, (id, apiVersion) => armResourceExists(SUBSCRIPTION, id, apiVersion, {}, { credential, endpoint: arm.endpoint, ca: arm.ca, timeoutMs: 5_000 }));

  it('exists → its id, read with the type\'s API version; gone → cleared; a 5xx or no credentials → unknown, naming the id to check', async () => {
    arm.routes.set(routeKey('GET', ACCOUNT), { status: 200, body: { id: ACCOUNT, name: 'modelopsdevalice1234', type: 'Microsoft.Storage/storageAccounts', location: 'eastus2' } });
    assert.deepEqual(await probe(), { exists: true, id: ACCOUNT });
    assert.equal(arm.requests.at(-1)!.query.get('api-version'), '2023-01-01');

    arm.routes.set(routeKey('GET', ACCOUNT), { status: 404, body: { error: { code: 'ResourceNotFound', message: `The Resource 'Microsoft.Storage/storageAccounts/modelopsdevalice1234' under resource group 'modelops-dev-rg-alice' was not found.` } } });
    assert.deepEqual(await probe(), { exists: false });

    arm.routes.set(routeKey('GET', ACCOUNT), { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'try later' } } });
    const down = await probe();
    assert.ok('unknown' in down && /HTTP 503/.test(down.unknown) && down.unknown.endsWith(`check whether ${ACCOUNT} exists`), JSON.stringify(down));

    const noCredentials: TokenCredential = { getToken: async () => { throw Object.assign(new Error('no az login'), { name: 'CredentialUnavailableError' }); } };
    const unsigned = await probe(noCredentials);
    assert.ok('unknown' in unsigned && /no Azure credentials/.test(unsigned.unknown), JSON.stringify(unsigned));
  });
});
