/** Preflight's judgements (src/core/preflight.ts): failed only when a fact proves it. */
import { strict as assert } from 'node:assert';
import type { NodePoolConfig } from '../../src/core/config/types';
import { judgeRoleAssignmentRights, permits, ROLE_ASSIGNMENT_WRITE, judgeKubernetesVersion, judgeName, judgeProviders, judgeQuota, judgeSubscription, known, preflightRefusal, requiredProviders, unknownFact, type QuotaUsage, type VmSize } from '../../src/core/preflight';

const pool = (name: string, vmSize: string, sizing: Partial<NodePoolConfig>): NodePoolConfig => ({ name, vmSize, mode: 'User', labels: {}, taints: [], ...sizing });
const POOLS = [pool('system', 'Standard_B2s', { mode: 'System', count: 1 }), pool('cpu', 'Standard_D4s_v3', { min: 1, max: 5 })];
const SIZES = known(new Map<string, VmSize>([['standard_b2s', { family: 'standardBSFamily', vcpus: 2 }], ['standard_d4s_v3', { family: 'standardDSv3Family', vcpus: 4 }]]));
const usage = (entries: Record<string, [number, number]>) => known(new Map<string, QuotaUsage>(Object.entries(entries).map(([k, [current, limit]]) => [k.toLowerCase(), { current, limit }])));

describe('preflight judgements', () => {
  it('needs the subscription pinned, and says where it came from', () => {
    assert.equal(judgeSubscription(undefined, undefined).verdict, 'failed');
    assert.match(judgeSubscription(undefined, undefined).fix!, /AZURE_SUBSCRIPTION_ID/);
    assert.deepEqual(judgeSubscription('abc', 'AZURE_SUBSCRIPTION_ID'), { check: 'subscription', verdict: 'passed', reason: 'pinned to abc (from AZURE_SUBSCRIPTION_ID)' });
  });

  it('asks only for the providers the sections use', () => {
    assert.deepEqual(requiredProviders({}), ['Microsoft.ContainerService', 'Microsoft.Compute', 'Microsoft.Network', 'Microsoft.ManagedIdentity']);
    assert.deepEqual(requiredProviders({ acr: { sku: 'Basic', perUserRegistry: true }, storage: { sku: 'Standard_LRS' } }).slice(4), ['Microsoft.ContainerRegistry', 'Microsoft.Storage']);
  });

  it('names every provider that is not registered, with the command; unread ones make it unknown, never failed', () => {
    const failed = judgeProviders(new Map([['Microsoft.Compute', known('Registered')], ['Microsoft.ContainerService', known('NotRegistered')], ['Microsoft.Storage', known('Unregistered')]]));
    assert.equal(failed.verdict, 'failed');
    assert.equal(failed.reason, 'not registered: Microsoft.ContainerService (NotRegistered), Microsoft.Storage (Unregistered)');
    assert.equal(failed.fix, 'az provider register --namespace Microsoft.ContainerService && az provider register --namespace Microsoft.Storage');
    const registering = judgeProviders(new Map([['Microsoft.Compute', known('Registering')]]));
    assert.deepEqual([registering.verdict, registering.reason], ['unknown', 'still registering: Microsoft.Compute (az provider show --namespace Microsoft.Compute says when it is done)']);
    const unread = judgeProviders(new Map([['Microsoft.Compute', known('Registered')], ['Microsoft.Network', unknownFact<string>('provider Microsoft.Network: no answer within 20 s')]]));
    assert.deepEqual([unread.verdict, unread.reason], ['unknown', 'provider Microsoft.Network: no answer within 20 s']);
  });

  it('the vCPUs pools start with decide, per family and in total; what they can grow to is said', () => {
    const checks = judgeQuota(POOLS, SIZES, usage({ cores: [4, 30], standardBSFamily: [0, 10], standardDSv3Family: [4, 10] }));
    assert.deepEqual(checks.map((c) => [c.check, c.verdict, c.reason]), [
      ['quota standardBSFamily', 'passed', 'standardBSFamily: the pools start with 2; 10 of 10 are free'],
      ['quota regional vCPUs', 'passed', 'regional vCPUs: the pools start with 6, up to 22 as the autoscalers grow; 26 of 30 are free'],
      ['quota standardDSv3Family', 'passed', 'standardDSv3Family: the pools start with 4, up to 20 as the autoscalers grow (they will stop at the quota); 6 of 10 are free'],
    ]);
  });

  it('fails when the starting nodes do not fit what is free', () => {
    const short = judgeQuota(POOLS, SIZES, usage({ cores: [28, 30], standardBSFamily: [0, 10], standardDSv3Family: [0, 10] }));
    assert.deepEqual(short.map((c) => c.verdict), ['passed', 'failed', 'passed']);
    assert.deepEqual(short[1].configPath, ['aks', 'node_pools']);
    assert.match(short[1].fix!, /request more regional vCPUs quota/);
  });

  it('a size the region does not offer fails on the pools; unread sizes or usage are unknown', () => {
    const checks = judgeQuota([pool('gpu', 'Standard_NC6', { count: 1 })], SIZES, usage({ cores: [0, 10] }));
    assert.equal(checks[0].verdict, 'failed');
    assert.match(checks[0].reason, /node pool gpu: Standard_NC6 is not offered/);
    assert.deepEqual(judgeQuota(POOLS, unknownFact('VM sizes: no Azure credentials'), usage({})), [{ check: 'quota', verdict: 'unknown', reason: 'VM sizes: no Azure credentials' }]);
  });

  it('a taken global name fails, saying how to pick another', () => {
    const taken = known({ available: false, reason: 'AlreadyExists', message: 'The storage account named x is already taken.' });
    assert.equal(judgeName('storage account', 'x', taken, ['storage']).verdict, 'failed');
    assert.match(judgeName('storage account', 'x', taken, ['storage']).fix!, /account_name/);
    assert.equal(judgeName('registry', 'r', known({ available: true }), ['acr']).verdict, 'passed');
    assert.equal(judgeName('registry', 'r', unknownFact('registry name: not allowed to read it (HTTP 403)'), ['acr']).verdict, 'unknown');
  });

  it('a Kubernetes version must be offered and not only as a preview', () => {
    const offered = known([
      { version: '1.31', isPreview: false, patches: ['1.31.8'], supportPlans: ['KubernetesOfficial'] },
      { version: '1.32', isPreview: false, patches: ['1.32.4', '1.32.5'], supportPlans: [] },
      { version: '1.34', isPreview: true, patches: ['1.34.0'], supportPlans: ['KubernetesOfficial'] },
    ]);
    assert.equal(judgeKubernetesVersion('1.32', offered).verdict, 'passed');
    assert.equal(judgeKubernetesVersion('1.32.5', offered).verdict, 'passed');
    assert.equal(judgeKubernetesVersion('1.32.9', offered).verdict, 'failed');
    const preview = judgeKubernetesVersion('1.34', offered);
    assert.deepEqual([preview.verdict, preview.reason], ['failed', '1.34 is only a preview in the region; supported: 1.31, 1.32']);
    assert.match(judgeKubernetesVersion('1.29', offered).reason, /not offered/);
    assert.equal(judgeKubernetesVersion(undefined, offered).verdict, 'passed');
  });

  it('a Kubernetes version offered only with long-term support fails: our clusters are on the Free tier', () => {
    const offered = known([
      { version: '1.27', isPreview: false, patches: ['1.27.102'], supportPlans: ['AKSLongTermSupport'] },
      { version: '1.30', isPreview: false, patches: ['1.30.9'], supportPlans: ['KubernetesOfficial', 'AKSLongTermSupport'] },
    ]);
    const lts = judgeKubernetesVersion('1.27', offered);
    assert.deepEqual([lts.verdict, lts.reason], ['failed', '1.27 is offered only with long-term support (AKSLongTermSupport, which needs the Premium tier) in the region; supported: 1.30']);
    assert.equal(judgeKubernetesVersion('1.30', offered).verdict, 'passed', 'also offered on the official plan');
  });

  // Built-in roles as Azure defines them (learn.microsoft.com, "Azure built-in roles"), abridged to what decides here.
  const CONTRIBUTOR = { actions: ['*'], notActions: ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write', 'Microsoft.Authorization/elevateAccess/Action', 'Microsoft.Blueprint/blueprintAssignments/write'] };
  const OWNER = { actions: ['*'], notActions: [] };
  const USER_ACCESS_ADMINISTRATOR = { actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'], notActions: [] };
  const RBAC_ADMINISTRATOR = { actions: ['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/delete', '*/read', 'Microsoft.Support/*'], notActions: [] };

  it('role assignments: Contributor may not make them; Owner, User Access Administrator and RBAC Administrator may', () => {
    assert.equal(permits([CONTRIBUTOR], ROLE_ASSIGNMENT_WRITE), false);
    assert.equal(permits([{ actions: ['*/read'], notActions: [] }], ROLE_ASSIGNMENT_WRITE), false);
    for (const role of [OWNER, USER_ACCESS_ADMINISTRATOR, RBAC_ADMINISTRATOR]) assert.equal(permits([role], ROLE_ASSIGNMENT_WRITE), true, JSON.stringify(role));
    assert.equal(permits([CONTRIBUTOR, RBAC_ADMINISTRATOR], ROLE_ASSIGNMENT_WRITE), true, 'roles add up: one that allows it is enough');
    assert.equal(permits([{ actions: ['microsoft.authorization/ROLEASSIGNMENTS/*'], notActions: [] }], ROLE_ASSIGNMENT_WRITE), true, 'actions are case-insensitive');
  });

  it('a group without the right fails with the fix; one that does not exist yet is checked again before the cluster', () => {
    const failed = judgeRoleAssignmentRights('modelops-dev-rg-alice', known([CONTRIBUTOR]));
    assert.equal(failed.verdict, 'failed');
    assert.match(failed.reason, /may not create role assignments in modelops-dev-rg-alice .* after the cluster's 5–10 minute create/);
    assert.match(failed.fix!, /grant_cluster_pull: false/);
    assert.deepEqual(failed.configPath, ['registry']);
    assert.equal(judgeRoleAssignmentRights('g', known([OWNER])).verdict, 'passed');
    const later = judgeRoleAssignmentRights('g', known(null));
    assert.deepEqual([later.verdict, later.recheckBefore], ['unknown', 'cluster']);
    assert.equal(judgeRoleAssignmentRights('g', unknownFact('role assignment rights: no answer within 20 s')).recheckBefore, undefined);
  });

  it('up is refused only by failed checks, and the refusal names each with its fix', () => {
    assert.equal(preflightRefusal([{ check: 'providers', verdict: 'unknown', reason: 'no credentials' }]), undefined);
    const refusal = preflightRefusal([{ check: 'quota cores', verdict: 'failed', reason: 'short', fix: 'ask for more' }, { check: 'providers', verdict: 'passed', reason: 'ok' }]);
    assert.equal(refusal, 'preflight failed: quota cores: short — fix: ask for more');
  });
});
