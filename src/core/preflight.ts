/**
 * Preflight for `provider: azure`: what a first real `up` needs from the subscription, judged from
 * facts the engine reads through the Azure SDK. Pure: every judgement is a function of those facts,
 * so "failed" is only said when a fact proves it, and a fact that could not be read is "unknown".
 */
import { NEW_SSH_KEY } from './config/naming';
import type { InfraConfig, NodePoolConfig } from './config/types';

export type PreflightVerdict = 'passed' | 'failed' | 'unknown';

export interface PreflightCheck {
  /** `subscription`, `providers`, `quota <family>`, `vm size <size>`, `kubernetes version`, `role assignment rights`, `registry name`, `storage account name`, `ssh key`. */
  check: string;
  verdict: PreflightVerdict;
  reason: string;
  /** What to do about a failure, as a command or an edit. */
  fix?: string;
  /** The azure.yaml key the check is about (a config path), so the problem sits on its line. */
  configPath?: string[];
  /** Unknown only because what it reads is made by this run: `up` checks again before this component. */
  recheckBefore?: string;
}

/** What a check reports, in its event and the `validate`/`up` document. */
export type PreflightReport = Pick<PreflightCheck, 'check' | 'verdict' | 'reason' | 'fix'>;

/** A fact read from Azure, or why it could not be. */
export type Fact<T> = { value: T } | { unknown: string };

export const known = <T>(value: T): Fact<T> => ({ value });
export const unknownFact = <T>(reason: string): Fact<T> => ({ unknown: reason });

/** Resource providers every environment with these sections needs registered in the subscription. */
export function requiredProviders(config: Pick<InfraConfig, 'registry' | 'acr' | 'storage'>): string[] {
  const namespaces = ['Microsoft.ContainerService', 'Microsoft.Compute', 'Microsoft.Network', 'Microsoft.ManagedIdentity'];
  if (config.registry || config.acr) namespaces.push('Microsoft.ContainerRegistry');
  if (config.storage) namespaces.push('Microsoft.Storage');
  return namespaces;
}

/**
 * The subscription every Azure resource goes into, and where it was given: `subscription_id`,
 * else AZURE_SUBSCRIPTION_ID (as the original). The programs, the preflight and the recorded
 * spec all take it from here.
 */
export function effectiveSubscription(config: { subscriptionId?: string }, env: NodeJS.ProcessEnv): { id?: string; source?: 'subscription_id' | 'AZURE_SUBSCRIPTION_ID' } {
  if (config.subscriptionId) return { id: config.subscriptionId, source: 'subscription_id' };
  const fromEnv = env.AZURE_SUBSCRIPTION_ID?.trim();
  return fromEnv ? { id: fromEnv, source: 'AZURE_SUBSCRIPTION_ID' } : {};
}

export function judgeSubscription(subscriptionId: string | undefined, source: 'subscription_id' | 'AZURE_SUBSCRIPTION_ID' | undefined): PreflightCheck {
  if (!subscriptionId) {
    return {
      check: 'subscription',
      verdict: 'failed',
      reason: 'no subscription: azure.yaml has no `subscription_id` and AZURE_SUBSCRIPTION_ID is not set',
      fix: 'add `subscription_id: <GUID>` (az account show --query id -o tsv) or export AZURE_SUBSCRIPTION_ID',
      configPath: ['provider'],
    };
  }
  return { check: 'subscription', verdict: 'passed', reason: `pinned to ${subscriptionId} (from ${source})` };
}

/** `registrationState` per namespace, as ARM reports it (`Registered`, `NotRegistered`, `Registering`, …). */
export function judgeProviders(states: ReadonlyMap<string, Fact<string>>): PreflightCheck {
  // `Registering` is under way: not proven to fail, so it is said, not failed.
  const missing = [...states].filter(([, s]) => 'value' in s && s.value !== 'Registered' && s.value !== 'Registering').map(([ns, s]) => `${ns} (${(s as { value: string }).value})`);
  const registering = [...states].filter(([, s]) => 'value' in s && s.value === 'Registering').map(([ns]) => ns);
  const unread = [...states.values()].filter((s) => 'unknown' in s).map((s) => (s as { unknown: string }).unknown);
  if (missing.length) {
    const namespaces = missing.map((m) => m.split(' ')[0]);
    return {
      check: 'providers',
      verdict: 'failed',
      reason: `not registered: ${missing.join(', ')}`,
      fix: namespaces.map((ns) => `az provider register --namespace ${ns}`).join(' && '),
    };
  }
  if (registering.length) return { check: 'providers', verdict: 'unknown', reason: `still registering: ${registering.join(', ')} (az provider show --namespace ${registering[0]} says when it is done)` };
  if (unread.length) return { check: 'providers', verdict: 'unknown', reason: unread[0] };
  return { check: 'providers', verdict: 'passed', reason: `registered: ${[...states.keys()].join(', ')}` };
}

/** What a VM size is, from the region's resource SKUs. */
export interface VmSize {
  family: string;
  vcpus: number;
}

export interface QuotaUsage {
  current: number;
  limit: number;
}

/** Nodes a pool is created with (AKS checks quota for these), and the most its autoscaler may add. */
const startNodes = (pool: NodePoolConfig): number => pool.count ?? pool.min ?? 1;
const maxNodes = (pool: NodePoolConfig): number => Math.max(pool.max ?? 0, startNodes(pool));

/**
 * vCPUs a new cluster's pools take, per VM family and in the region, against what is free there.
 * AKS checks quota for the nodes a pool starts with: that decides; what the autoscalers could grow
 * to is said beside it (they stop at the quota, they do not fail).
 */
export function judgeQuota(pools: readonly NodePoolConfig[], sizes: Fact<ReadonlyMap<string, VmSize>>, usage: Fact<ReadonlyMap<string, QuotaUsage>>): PreflightCheck[] {
  if ('unknown' in sizes) return [{ check: 'quota', verdict: 'unknown', reason: sizes.unknown }];
  if ('unknown' in usage) return [{ check: 'quota', verdict: 'unknown', reason: usage.unknown }];
  const demand = new Map<string, { start: number; max: number }>();
  const add = (family: string, start: number, max: number) => {
    const d = demand.get(family) ?? { start: 0, max: 0 };
    demand.set(family, { start: d.start + start, max: d.max + max });
  };
  const checks: PreflightCheck[] = [];
  for (const pool of pools) {
    const size = sizes.value.get(pool.vmSize.toLowerCase());
    if (!size) {
      checks.push({ check: `vm size ${pool.vmSize}`, verdict: 'failed', reason: `node pool ${pool.name}: ${pool.vmSize} is not offered in this region (or not to this subscription)`, fix: 'pick a size from `az vm list-skus -l <location> --resource-type virtualMachines -o table`', configPath: ['aks', 'node_pools'] });
      continue;
    }
    add(size.family, size.vcpus * startNodes(pool), size.vcpus * maxNodes(pool));
    add('cores', size.vcpus * startNodes(pool), size.vcpus * maxNodes(pool));
  }
  for (const [family, need] of demand) {
    const quota = usage.value.get(family.toLowerCase());
    const label = family === 'cores' ? 'regional vCPUs' : family;
    if (!quota) {
      checks.push({ check: `quota ${label}`, verdict: 'unknown', reason: `no usage reported for ${label}` });
      continue;
    }
    const free = quota.limit - quota.current;
    const verdict = need.start <= free ? 'passed' : 'failed';
    const growth = need.max > need.start ? `, up to ${need.max} as the autoscalers grow${need.max > free ? ' (they will stop at the quota)' : ''}` : '';
    checks.push({
      check: `quota ${label}`,
      verdict,
      reason: `${label}: the pools start with ${need.start}${growth}; ${free} of ${quota.limit} are free`,
      ...(verdict === 'failed' ? { fix: `request more ${label} quota for the region (Azure portal › Quotas), or start the pools smaller`, configPath: ['aks', 'node_pools'] } : {}),
    });
  }
  return checks;
}

export interface NameStatus {
  available: boolean;
  reason?: string;
  message?: string;
}

/** A global name for something about to be created must be free; `derived`: made from the environment, user and subscription. */
export function judgeName(kind: 'registry' | 'storage account', name: string, status: Fact<NameStatus>, configPath: string[], derived = false): PreflightCheck {
  const check = `${kind} name`;
  if ('unknown' in status) return { check, verdict: 'unknown', reason: status.unknown };
  if (status.value.available) return { check, verdict: 'passed', reason: `${name} is free` };
  const why = status.value.message ?? status.value.reason ?? 'taken';
  const pin = kind === 'registry' ? '`registry: { registry_name: <another> }`' : '`storage: { account_name: <another> }`';
  const part = derived ? `it is derived from the environment, the user name and the subscription, so change \`environment\` or \`username\`, or ` : '';
  return { check, verdict: 'failed', reason: `${name} is not available: ${why}`, fix: `${part}choose another name with ${pin} (or, if it is yours from an earlier tool, pulumi import it)`, configPath };
}

export interface KubernetesVersion {
  version: string;
  isPreview: boolean;
  patches: string[];
  /** `capabilities.supportPlan`: `KubernetesOfficial`, `AKSLongTermSupport`; empty when Azure does not say. */
  supportPlans: string[];
}

/** Our clusters are created on the Free tier with the default plan, so a version offered only with long-term support is refused. */
const offeredOnOurPlan = (v: KubernetesVersion): boolean => !v.isPreview && (v.supportPlans.length === 0 || v.supportPlans.includes('KubernetesOfficial'));

/** The configured version (MAJOR.MINOR or a patch) must be offered, not only as a preview nor only with long-term support. */
export function judgeKubernetesVersion(wanted: string | undefined, offered: Fact<readonly KubernetesVersion[]>): PreflightCheck {
  const check = 'kubernetes version';
  if (wanted === undefined) return { check, verdict: 'passed', reason: "none pinned: AKS picks the region's default" };
  if ('unknown' in offered) return { check, verdict: 'unknown', reason: offered.unknown };
  const supported = offered.value.filter(offeredOnOurPlan);
  const minor = wanted.split('.').slice(0, 2).join('.');
  const match = supported.find((v) => v.version === minor && (wanted === minor || v.patches.includes(wanted)));
  if (match) return { check, verdict: 'passed', reason: `${wanted} is offered in the region` };
  const list = supported.map((v) => v.version).join(', ');
  const other = offered.value.find((v) => v.version === minor);
  const why = !other ? 'not offered' : other.isPreview ? 'only a preview' : !offeredOnOurPlan(other) ? 'offered only with long-term support (AKSLongTermSupport, which needs the Premium tier)' : 'not offered';
  return {
    check,
    verdict: 'failed',
    reason: `${wanted} is ${why} in the region; supported: ${list || 'none listed'}`,
    fix: `set \`aks.kubernetes_version\` to one of ${list || 'the versions `az aks get-versions -l <location>` lists'}`,
    configPath: ['aks', 'kubernetes_version'],
  };
}

/** One role's permissions as Resource Manager lists them for the caller (`…/providers/Microsoft.Authorization/permissions`). */
export interface RbacPermission {
  actions: string[];
  notActions: string[];
}

export const ROLE_ASSIGNMENT_WRITE = 'Microsoft.Authorization/roleAssignments/write';

// An Azure RBAC action pattern (`*`, `Microsoft.Authorization/*/Write`): case-insensitive, `*` matches anything.
function matchesAction(pattern: string, action: string): boolean {
  const literal = (part: string): string => part.replace(/[.+?^$()|[\]{}\\/]/g, (c) => '\\' + c);
  return new RegExp('^' + pattern.split('*').map(literal).join('.*') + '$', 'i').test(action);
}

/** Whether any of the caller's roles allows `action`: its actions include it and its notActions do not take it away. */
export function permits(permissions: readonly RbacPermission[], action: string): boolean {
  return permissions.some((p) => p.actions.some((a) => matchesAction(a, action)) && !p.notActions.some((n) => matchesAction(n, action)));
}

/** Whether the cluster's up grants its kubelet AcrPull on the registry (a role assignment). */
export function grantsClusterPull(config: Pick<InfraConfig, 'registry' | 'acr'>): boolean {
  return !!(config.registry || config.acr) && (config.registry?.grantClusterPull ?? true);
}

/**
 * Granting AcrPull is a role assignment, which Contributor may not make: without the right the cluster's
 * up fails with AuthorizationFailed after its 5–10 minute create. `null`: the group does not exist yet.
 */
export function judgeRoleAssignmentRights(group: string, permissions: Fact<readonly RbacPermission[] | null>, configPath: string[] = ['registry']): PreflightCheck {
  const check = 'role assignment rights';
  if ('unknown' in permissions) return { check, verdict: 'unknown', reason: permissions.unknown };
  if (permissions.value === null) return { check, verdict: 'unknown', reason: `resource group ${group} does not exist yet: checked once it does, before the cluster is created`, recheckBefore: 'cluster' };
  if (permits(permissions.value, ROLE_ASSIGNMENT_WRITE)) return { check, verdict: 'passed', reason: `may create role assignments in ${group} (AcrPull for the cluster on the registry)` };
  return {
    check,
    verdict: 'failed',
    reason: `the identity running up may not create role assignments in ${group} (${ROLE_ASSIGNMENT_WRITE}, which Contributor does not include), so granting the cluster AcrPull on the registry would fail after the cluster's 5–10 minute create`,
    fix: 'set `registry: { grant_cluster_pull: false }` and have someone who may grant it (`az aks update --attach-acr`), or ask for Owner, User Access Administrator or Role Based Access Control Administrator on the group',
    configPath,
  };
}

/** The nodes' SSH key, as read from the config or its file: `problem` is why AKS would refuse it. */
export function judgeSshKey(problem: string | undefined): PreflightCheck {
  if (!problem) return { check: 'ssh key', verdict: 'passed', reason: 'an RSA key of at least 2048 bits, as AKS requires' };
  return { check: 'ssh key', verdict: 'failed', reason: problem.replace(/\.$/, ''), ...(problem.includes(NEW_SSH_KEY) ? {} : { fix: `create one with ${NEW_SSH_KEY}` }), configPath: ['ssh'] };
}

/** `up` goes ahead unless a check proves it would fail; unknown checks are said, not blocking. */
export function preflightRefusal(checks: readonly PreflightCheck[]): string | undefined {
  const failed = checks.filter((c) => c.verdict === 'failed');
  if (!failed.length) return undefined;
  return `preflight failed: ${failed.map((c) => `${c.check}: ${c.reason}${c.fix ? ` — fix: ${c.fix}` : ''}`).join('; ')}`;
}
