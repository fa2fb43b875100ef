/**
 * Preflight through the real Azure SDK clients (@azure/arm-*) against a double of Resource Manager
 * (armDouble.ts: no Azure is reachable here), signed in with a static token (a credential double).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/core-auth';
import { registryName, storageAccountName } from '../../src/core/names';
import type { PreflightCheck } from '../../src/core/preflight';
import { azurePreflight, roleAssignmentRights } from '../../src/probes/arm/preflight';
import { recheckBefore } from '../../src/engine/operations/preflight';
import { CONTRIBUTOR_PERMISSIONS, readySubscription, routeKey, startArmDouble, type ArmDouble } from './armDouble';
import { FLAT_EXAMPLE, SECTIONS, SUBSCRIPTION, parse } from './mocks';
import { ED25519_SSH_KEY, RSA_SSH_KEY } from '../fixtures';

const TOKEN = 'double-token-0123';
/** A credential double: a fixed bearer token. */
const staticToken: TokenCredential = { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };
/** A first up: every Azure component is created. */
const FIRST_UP: ReadonlySet<string> = new Set(['resource-group', 'registry', 'cluster', 'storage']);
const FULL = FLAT_EXAMPLE + SECTIONS.storage;
const sub = `/subscriptions/${SUBSCRIPTION}`;

const verdicts = (checks: readonly PreflightCheck[]) => Object.fromEntries(checks.map((c) => [c.check, c.verdict]));

describe('azure preflight: through the Azure SDK, against a double of Resource Manager', function () {
  this.timeout(60_000);
  let arm: ArmDouble;

  beforeEach(async () => {
    arm = await startArmDouble(readySubscription(SUBSCRIPTION));
  });
  afterEach(async () => arm.close());

  const run = (text = FULL, creating = FIRST_UP, credential: TokenCredential = staticToken, timeoutMs = 10_000) =>
    azurePreflight(parse(text), 'dev', creating, {}, { credential, endpoint: arm.endpoint, ca: arm.ca, timeoutMs });

  it('a subscription ready for a first up passes every check, signed with the token', async () => {
    const checks = await run();
    assert.deepEqual(verdicts(checks), {
      subscription: 'passed',
      providers: 'passed',
      'quota standardBSFamily': 'passed',
      'quota regional vCPUs': 'passed',
      'quota standardDSv3Family': 'passed',
      'kubernetes version': 'passed',
      'role assignment rights': 'passed',
      'registry name': 'passed',
      'storage account name': 'passed',
    });
    assert.equal(checks.find((c) => c.check === 'quota regional vCPUs')!.reason, 'regional vCPUs: the pools start with 6, up to 22 as the autoscalers grow; 96 of 100 are free');
    assert.ok(arm.requests.length >= 10);
    assert.ok(arm.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
    const asked = arm.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body) as { name: string; type: string });
    // New stacks: the names have the subscription in them (the original's alone collide across organisations).
    assert.deepEqual(asked.map((n) => `${n.type} ${n.name}`).sort(), [`Microsoft.ContainerRegistry/registries ${registryName('dev', 'alice', { subscription: SUBSCRIPTION })}`, `Microsoft.Storage/storageAccounts ${storageAccountName('dev', 'alice', SUBSCRIPTION)}`]);
    assert.notEqual(registryName('dev', 'alice', { subscription: SUBSCRIPTION }), 'modelopsdevacralice');
  });

  it('an unregistered provider fails with the command that registers it', async () => {
    arm.routes.set(routeKey('GET', `${sub}/providers/microsoft.containerservice`), { status: 200, body: { namespace: 'Microsoft.ContainerService', registrationState: 'NotRegistered' } });
    const providers = (await run()).find((c) => c.check === 'providers')!;
    assert.equal(providers.verdict, 'failed');
    assert.equal(providers.reason, 'not registered: Microsoft.ContainerService (NotRegistered)');
    assert.equal(providers.fix, 'az provider register --namespace Microsoft.ContainerService');
  });

  it('quota short of what the pools start with fails, naming the family and the numbers', async () => {
    arm.routes.set(routeKey('GET', `${sub}/providers/microsoft.compute/locations/eastus2/usages`), {
      status: 200,
      body: { value: [{ unit: 'Count', currentValue: 8, limit: 10, name: { value: 'cores' } }, { unit: 'Count', currentValue: 0, limit: 10, name: { value: 'standardBSFamily' } }, { unit: 'Count', currentValue: 7, limit: 10, name: { value: 'standardDSv3Family' } }] },
    });
    const checks = await run();
    assert.deepEqual([verdicts(checks)['quota regional vCPUs'], verdicts(checks)['quota standardDSv3Family']], ['failed', 'failed']);
    assert.equal(checks.find((c) => c.check === 'quota standardDSv3Family')!.reason, 'standardDSv3Family: the pools start with 4, up to 20 as the autoscalers grow (they will stop at the quota); 3 of 10 are free');
  });

  it('a storage name someone else holds fails; an up that creates no storage does not ask', async () => {
    arm.routes.set(routeKey('POST', `${sub}/providers/microsoft.storage/checknameavailability`), { status: 200, body: { nameAvailable: false, reason: 'AlreadyExists', message: 'The storage account named modelopsdevali0000 is already taken.' } });
    const taken = (await run()).find((c) => c.check === 'storage account name')!;
    assert.deepEqual([taken.verdict, taken.configPath], ['failed', ['storage']]);
    assert.match(taken.reason, /is not available: The storage account named .* is already taken\./);
    assert.match(taken.fix!, /^it is derived from the environment, the user name and the subscription, so change `environment` or `username`, or choose another name with `storage: \{ account_name: <another> \}`/);
    const asked = arm.requests.length;
    const later = await run(FULL, new Set(['workspace']));
    assert.deepEqual(later.map((c) => c.check), ['subscription', 'providers'], 'quota, version and names are checked only for what is created');
    assert.equal(arm.requests.slice(asked).filter((r) => r.method === 'POST' || /usages|skus|kubernetesversions/i.test(r.path)).length, 0);
  });

  it('a Kubernetes version offered only as a preview fails, listing the supported ones', async () => {
    const version = (await run(FULL.replace('kubernetes_version: "1.32"', 'kubernetes_version: "1.34"'))).find((c) => c.check === 'kubernetes version')!;
    assert.deepEqual([version.verdict, version.reason], ['failed', '1.34 is only a preview in the region; supported: 1.31, 1.32']);
  });

  it('a Kubernetes version offered only with long-term support fails (it needs the Premium tier), read from capabilities.supportPlan', async () => {
    const version = (await run(FULL.replace('kubernetes_version: "1.32"', 'kubernetes_version: "1.27"'))).find((c) => c.check === 'kubernetes version')!;
    assert.deepEqual([version.verdict, version.reason], ['failed', '1.27 is offered only with long-term support (AKSLongTermSupport, which needs the Premium tier) in the region; supported: 1.31, 1.32']);
  });

  it('a Contributor, who may not create role assignments, fails before the cluster is created, with the fix', async () => {
    const permissions = `${sub}/resourcegroups/modelops-dev-rg-alice/providers/microsoft.authorization/permissions`;
    arm.routes.set(routeKey('GET', permissions), { status: 200, body: { value: [CONTRIBUTOR_PERMISSIONS] } });
    const rights = (await run()).find((c) => c.check === 'role assignment rights')!;
    assert.equal(rights.verdict, 'failed');
    assert.match(rights.reason, /may not create role assignments in modelops-dev-rg-alice \(Microsoft\.Authorization\/roleAssignments\/write/);
    assert.match(rights.fix!, /grant_cluster_pull: false/);
    assert.deepEqual(rights.configPath, ['acr'], 'on the section that makes the registry');
    assert.equal(arm.requests.find((r) => r.path.toLowerCase() === permissions)!.query.get('api-version'), '2022-04-01');
    const without = await run(`${FULL}registry:\n  grant_cluster_pull: false\n`);
    assert.equal(without.find((c) => c.check === 'role assignment rights'), undefined, 'not asked when no AcrPull is granted');
  });

  it('a group that does not exist yet: unknown, checked again before the cluster; then the check itself reads it', async () => {
    const permissions = routeKey('GET', `${sub}/resourcegroups/modelops-dev-rg-alice/providers/microsoft.authorization/permissions`);
    const owner = arm.routes.get(permissions)!;
    arm.routes.set(permissions, { status: 404, body: { error: { code: 'ResourceGroupNotFound', message: "Resource group 'modelops-dev-rg-alice' could not be found." } } });
    const first = (await run()).find((c) => c.check === 'role assignment rights')!;
    assert.deepEqual([first.verdict, first.recheckBefore], ['unknown', 'cluster']);
    assert.match(first.reason, /does not exist yet: checked once it does, before the cluster is created/);
    const access = { credential: staticToken, endpoint: arm.endpoint, ca: arm.ca, timeoutMs: 10_000 };
    arm.routes.set(permissions, { status: 200, body: { value: [CONTRIBUTOR_PERMISSIONS] } });
    assert.equal((await roleAssignmentRights(parse(FULL), 'dev', {}, access)).verdict, 'failed', 'once the group exists, the Contributor is refused');
    arm.routes.set(permissions, owner);
    assert.equal((await roleAssignmentRights(parse(FULL), 'dev', {}, access)).verdict, 'passed');
  });

  it("up's second look, just before the cluster: only when the first could not be made; a Contributor keeps the cluster from starting", async () => {
    const permissions = routeKey('GET', `${sub}/resourcegroups/modelops-dev-rg-alice/providers/microsoft.authorization/permissions`);
    const events: Array<{ type: string; check?: string; verdict?: string }> = [];
    // The part of the engine recheckBefore uses: the setup it reads and the event sink.
    const engine = { setup: { config: parse(FULL), env: 'dev' }, emit: (e: { type: string }) => events.push(e) } as unknown as Parameters<typeof recheckBefore>[0];
    const access = { credential: staticToken, endpoint: arm.endpoint, ca: arm.ca, timeoutMs: 10_000 };
    const deferred = [{ check: 'role assignment rights', verdict: 'unknown' as const, reason: 'resource group modelops-dev-rg-alice does not exist yet', recheckBefore: 'cluster' }];
    assert.equal(await recheckBefore(engine, 'cluster', [{ ...deferred[0], recheckBefore: undefined }], access), undefined);
    assert.equal(await recheckBefore(engine, 'storage', deferred, access), undefined, 'only before the cluster');
    assert.equal(arm.requests.length, 0, 'nothing is asked again when nothing was deferred');
    arm.routes.set(permissions, { status: 200, body: { value: [CONTRIBUTOR_PERMISSIONS] } });
    assert.match((await recheckBefore(engine, 'cluster', deferred, access)) ?? '', /^preflight failed: role assignment rights: the identity running up may not create role assignments in modelops-dev-rg-alice .* — fix: set `registry: \{ grant_cluster_pull: false \}`/);
    assert.deepEqual(events.map((e) => [e.type, e.check, e.verdict]), [['preflight', 'role assignment rights', 'failed']], 'the second look is reported like the first');
    arm.routes.set(permissions, { status: 200, body: { value: [{ actions: ['*'], notActions: [] }] } });
    assert.equal(await recheckBefore(engine, 'cluster', deferred, access), undefined);
  });

  it('a read it is not allowed makes only its checks unknown, with the ARM error code', async () => {
    arm.routes.set(routeKey('GET', `${sub}/providers/microsoft.compute/locations/eastus2/usages`), { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action Microsoft.Compute/locations/usages/read.' } } });
    const checks = await run();
    assert.deepEqual(checks.find((c) => c.check === 'quota'), { check: 'quota', verdict: 'unknown', reason: 'compute usage: not allowed to read it (HTTP 403 AuthorizationFailed)' });
    assert.equal(verdicts(checks).providers, 'passed');
  });

  it('without credentials every Azure check is unknown and says how to sign in; nothing fails', async () => {
    const { EnvironmentCredential } = require('@azure/identity') as typeof import('@azure/identity');
    const checks = await run(FULL, FIRST_UP, new EnvironmentCredential());
    assert.ok(checks.every((c) => c.verdict !== 'failed'), JSON.stringify(checks));
    for (const c of checks.filter((x) => x.check !== 'subscription')) assert.match(c.reason, /no Azure credentials \(az login, or ARM_CLIENT_ID, ARM_CLIENT_SECRET and ARM_TENANT_ID\)/, c.check);
    assert.equal(arm.requests.length, 0);
  });

  it('an endpoint that never answers gives unknown after the time limit, no hang', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const started = Date.now();
      const checks = await azurePreflight(parse(FULL), 'dev', FIRST_UP, {}, { credential: staticToken, endpoint: `https://127.0.0.1:${(silent.address() as AddressInfo).port}`, ca: arm.ca, timeoutMs: 700 });
      assert.ok(Date.now() - started < 15_000);
      assert.equal(verdicts(checks).providers, 'unknown');
      assert.match(checks.find((c) => c.check === 'providers')!.reason, /no answer within 0\.7 s/);
    } finally {
      silent.close();
    }
  });

  it('without a subscription only that is said (nothing is read)', async () => {
    const checks = await azurePreflight(parse(FULL.replace(/^subscription_id:.*\n/m, '')), 'dev', FIRST_UP, {}, { credential: staticToken, endpoint: arm.endpoint, ca: arm.ca });
    assert.deepEqual(checks.map((c) => [c.check, c.verdict]), [['subscription', 'failed']]);
    assert.equal(arm.requests.length, 0);
  });
});

describe('azure preflight in the CLI (the subscription check needs no Azure)', function () {
  this.timeout(60_000);
  const bin = resolve(__dirname, '..', '..', '..', 'bin', 'mops-infra.js');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mops-preflight-'));
    writeFileSync(join(dir, 'azure.yaml'), FULL.replace(/^subscription_id:.*\n/m, ''));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, MODELOPS_HOME: join(dir, 'home'), PULUMI_CONFIG_PASSPHRASE: 'preflight', NO_COLOR: '1' };
    for (const name of ['AZURE_SUBSCRIPTION_ID', 'PULUMI_BACKEND_URL', 'ARM_CLIENT_ID', 'AZURE_CLIENT_ID']) delete env[name];
    return spawnSync(process.execPath, [bin, ...args, '--config', join(dir, 'azure.yaml')], { encoding: 'utf8', env, cwd: dir });
  };

  it('validate says what Azure would refuse, as an error on the provider line', () => {
    const r = cli('validate', '--json');
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.preflight.map((c: PreflightCheck) => [c.check, c.verdict]), [['subscription', 'failed'], ['ssh key', 'passed']]);
    const problem = doc.problems.find((p: { code: string }) => p.code === 'preflight-failed');
    assert.equal(problem.range.start.line, 2, 'provider: azure is line 2 of the example');
    assert.match(problem.message, /^Preflight subscription: no subscription: .* Fix: add `subscription_id: <GUID>`/);
  });

  it('an ed25519 key in ssh.public_key_path fails before anything is created (AKS takes RSA only), on the ssh line', () => {
    writeFileSync(join(dir, 'id_ed25519.pub'), `${ED25519_SSH_KEY}\n`);
    const text = FULL.replace(/^subscription_id:.*\n/m, '').replace(/ssh:\n.*\n/, `ssh:\n  public_key_path: ${join(dir, 'id_ed25519.pub')}\n`);
    writeFileSync(join(dir, 'azure.yaml'), text);
    const r = cli('validate', '--json');
    const doc = JSON.parse(r.stdout);
    const ssh = doc.preflight.find((c: PreflightCheck) => c.check === 'ssh key');
    assert.equal(ssh.verdict, 'failed');
    assert.match(ssh.reason, /id_ed25519\.pub: it is a ssh-ed25519 key, and AKS accepts only RSA keys \(of at least 2048 bits\)\. Create one with `ssh-keygen -t rsa -b 4096/);
    const problem = doc.problems.find((p: { message: string }) => p.message.startsWith('Preflight ssh key'));
    assert.equal(problem.range.start.line, text.split('\n').findIndex((l) => l.startsWith('ssh:')) + 1);
    writeFileSync(join(dir, 'id_ed25519.pub'), `${RSA_SSH_KEY}\n`);
    assert.equal(JSON.parse(cli('validate', '--json').stdout).preflight.find((c: PreflightCheck) => c.check === 'ssh key').verdict, 'passed');
  });

  it('up refuses before anything runs (exit 3), and says how to go ahead anyway', () => {
    const r = cli('up', '--json');
    assert.equal(r.status, 3, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual([doc.result, doc.refusal], ['refused', 'preflight-failed']);
    assert.match(doc.summary, /preflight failed: subscription: .*Nothing was changed; --skip-preflight goes ahead anyway\./);
    assert.deepEqual(doc.steps, []);
    const stacks = join(dir, 'home', 'pulumi', 'backend', '.pulumi', 'stacks');
    assert.ok(!existsSync(stacks) || readdirSync(stacks).length === 0, 'no stack was created');
  });

  it('--skip-preflight leaves it out of validate', () => {
    const r = cli('validate', '--json', '--skip-preflight');
    assert.deepEqual(JSON.parse(r.stdout).preflight, []);
  });
});
