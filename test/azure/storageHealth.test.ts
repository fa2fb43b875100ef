/**
 * Storage and registry health against an HTTP DOUBLE of Azure Blob Storage and ACR
 * (no Azure here). The double checks the SharedKey signature with its own
 * implementation of the documented scheme and answers with the documented
 * response shapes (EnumerationResults XML, the error XML, ACR's /v2/ 401).
 */
import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { componentsFor } from '../../src/core/components';
import { azureHealth } from '../../src/health/azure';
import { listContainers, parseConnectionString } from '../../src/health/blob';
import { FLAT_EXAMPLE, SECTIONS, parse } from './mocks';

const ACCOUNT = 'modelopsdevali5b96';
const KEY = Buffer.from('a-test-account-key-of-some-length').toString('base64');

/** Independent of src/health/blob.ts: the string-to-sign as the REST docs list it, field by field. */
function expectedAuthorization(req: IncomingMessage, pathAndQuery: URL): string {
  const h = (name: string): string => String(req.headers[name] ?? '');
  const fields = [req.method, h('content-encoding'), h('content-language'), h('content-length') === '0' ? '' : h('content-length'), h('content-md5'), h('content-type'), h('date'), h('if-modified-since'), h('if-match'), h('if-none-match'), h('if-unmodified-since'), h('range')];
  const ms = Object.keys(req.headers).filter((k) => k.startsWith('x-ms-')).sort().map((k) => `${k}:${h(k)}\n`).join('');
  const query = [...pathAndQuery.searchParams.keys()].sort().map((k) => `\n${k}:${pathAndQuery.searchParams.get(k)}`).join('');
  const toSign = `${fields.join('\n')}\n${ms}/${ACCOUNT}${pathAndQuery.pathname}${query}`;
  return `SharedKey ${ACCOUNT}:${createHmac('sha256', Buffer.from(KEY, 'base64')).update(toSign).digest('base64')}`;
}

const errorXml = (code: string, message: string): string => `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
const listXml = (names: string[]): string =>
  `\uFEFF<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://${ACCOUNT}.blob.core.windows.net/"><Containers>${names
    .map((n) => `<Container><Name>${n}</Name><Properties><Last-Modified>Mon, 01 Jan 2024 00:00:00 GMT</Last-Modified><Etag>"0x8DC"</Etag><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><HasImmutabilityPolicy>false</HasImmutabilityPolicy><HasLegalHold>false</HasLegalHold></Properties></Container>`)
    .join('')}</Containers><NextMarker /></EnumerationResults>`;

interface Double {
  url: string;
  containers: string[];
  requests: string[];
  close(): Promise<void>;
}

async function startDouble(): Promise<Double> {
  const state = { containers: ['bundle-blobs', 'workspace', 'results', 'jobs'], requests: [] as string[] };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://double');
    state.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, body: string, type = 'application/xml') => (res.writeHead(status, { 'content-type': type }), res.end(body));
    if (url.pathname === '/v2/') {
      const ok = req.headers.authorization === `Basic ${Buffer.from('acr-admin:acr-secret').toString('base64')}`;
      return ok ? send(200, '{}', 'application/json') : send(401, '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', 'application/json');
    }
    if (url.pathname !== '/' || url.searchParams.get('comp') !== 'list') return send(400, errorXml('InvalidQueryParameterValue', 'Value for one of the query parameters specified in the request URI is invalid.'));
    if (!req.headers.authorization) return send(401, errorXml('NoAuthenticationInformation', 'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.'));
    if (req.headers.authorization !== expectedAuthorization(req, url)) return send(403, errorXml('AuthenticationFailed', 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.'));
    return send(200, listXml(state.containers));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  });
}

const COMPONENTS = componentsFor(parse(FLAT_EXAMPLE + SECTIONS.storage), 'dev').filter((c) => c.kind === 'storage' || c.kind === 'registry' || c.kind === 'resource-group');

describe('azure health: storage and registry (HTTP double of Blob Storage and ACR)', () => {
  let double: Double;
  beforeEach(async () => (double = await startDouble()));
  afterEach(async () => double.close());

  const outputs = (connection = `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};BlobEndpoint=${double.url}`) =>
    new Map<string, Record<string, unknown>>([
      ['resource-group', { resource_group_name: 'modelops-rg' }],
      ['registry', { login_server: 'registry.invalid', bundles_pull_username: 'acr-admin', bundles_pull_password: 'acr-secret' }],
      ['storage', { primary_endpoint: double.url, connection_string: connection }],
    ]);

  it('healthy: the endpoint answers and the four containers exist (SharedKey accepted)', async () => {
    const results = await azureHealth(COMPONENTS.filter((c) => c.kind === 'storage'), outputs(), { timeoutMs: 3000 });
    assert.deepEqual(results, [
      { component: 'storage', check: 'blob endpoint', verdict: 'healthy', reason: `${double.url} answers (HTTP 401)` },
      { component: 'storage', check: 'containers', verdict: 'healthy', reason: 'bundle-blobs, workspace, results, jobs exist' },
    ]);
    assert.deepEqual(double.requests, ['GET /?comp=list', 'GET /?comp=list']);
  });

  it('a missing container is unhealthy; a wrong key is unhealthy with the service code', async () => {
    double.containers.splice(double.containers.indexOf('results'), 1);
    const missing = await azureHealth(COMPONENTS.filter((c) => c.kind === 'storage'), outputs(), { timeoutMs: 3000 });
    assert.equal(missing[1].reason, 'missing container(s): results');
    assert.equal(missing[1].verdict, 'unhealthy');
    const wrongKey = `AccountName=${ACCOUNT};AccountKey=${Buffer.from('wrong').toString('base64')};BlobEndpoint=${double.url}`;
    const rejected = await azureHealth(COMPONENTS.filter((c) => c.kind === 'storage'), outputs(wrongKey), { timeoutMs: 3000 });
    assert.deepEqual(rejected[1], { component: 'storage', check: 'containers', verdict: 'unhealthy', reason: `list containers of ${ACCOUNT}: HTTP 403 (AuthenticationFailed)` });
  });

  it('an unreachable endpoint is unknown, not unhealthy', async () => {
    await double.close();
    const results = await azureHealth(COMPONENTS.filter((c) => c.kind === 'storage'), outputs(), { timeoutMs: 3000 });
    assert.deepEqual(results.map((r) => r.verdict), ['unknown', 'unknown']);
    assert.match(results[0].reason, /ECONNREFUSED/);
  });

  it('the resource group is healthy when something in it answered, else unknown', async () => {
    const results = await azureHealth(COMPONENTS, outputs(), { timeoutMs: 3000 });
    assert.deepEqual(results.find((r) => r.component === 'resource-group'), { component: 'resource-group', check: 'resources', verdict: 'healthy', reason: 'resources in it answer (storage)' });
    // registry.invalid never resolves: the registry check cannot conclude.
    assert.equal(results.find((r) => r.component === 'registry')?.verdict, 'unknown');
  });

  it('parses the connection strings the storage program exports', () => {
    assert.deepEqual(parseConnectionString(`DefaultEndpointsProtocol=https;AccountName=${ACCOUNT};AccountKey=${KEY};EndpointSuffix=core.windows.net`), { account: ACCOUNT, key: KEY, blobEndpoint: `https://${ACCOUNT}.blob.core.windows.net/` });
    assert.equal(parseConnectionString('BlobEndpoint=https://x.blob.core.windows.net/;SharedAccessSignature=sv=1'), undefined);
  });

  it('lists through the SharedKey scheme the double verifies', async () => {
    assert.deepEqual(await listContainers(parseConnectionString(`AccountName=${ACCOUNT};AccountKey=${KEY};BlobEndpoint=${double.url}`)!, 3000), ['bundle-blobs', 'workspace', 'results', 'jobs']);
  });
});
