/**
 * AKS with the configured node pools, and AcrPull for its kubelet identity on the
 * registry when there is one. The cluster is created and managed here; it is
 * never adopted with `.get()` (which would leave it unmanaged).
 *
 * Only the first System pool is inline: AKS needs one to create the cluster, and
 * refuses to add or remove pools through the cluster itself ("Adding agent pools to
 * an existing cluster is not allowed through managed cluster operations"). Every
 * other pool is an `AgentPool` of its own, so adding, scaling or removing it later
 * is applied by the per-pool API, as Terraform's `default_node_pool` plus node pools.
 */
import { homedir } from 'node:os';
import type * as pulumi from '@pulumi/pulumi';
import type * as authorization from '@pulumi/azure-native/authorization';
import type * as containerservice from '@pulumi/azure-native/containerservice';
import type * as azureInputs from '@pulumi/azure-native/types/input';
import { clusterName } from '../../../core/names';
import { checkSshPublicKey, NEW_SSH_KEY } from '../../../core/config/naming';
import { grantsClusterPull } from '../../../core/preflight';
import { DEFAULT_DNS_SERVICE_IP, DEFAULT_SERVICE_CIDR } from '../../../core/config/cluster';
import type { NodePoolConfig, SshConfig } from '../../../core/config/types';
import { nodePoolsOf, taintString } from '../../../core/nodePools';
import { str, type AzureContext, type Outputs } from './context';
import { readSmallFile } from '../../userFiles';
import { ACR_PULL_ROLE, acrPullAssignmentName } from './ids';

type AgentPoolProfile = azureInputs.containerservice.ManagedClusterAgentPoolProfileArgs;
type AgentPoolSettings = Omit<AgentPoolProfile, 'name'>;


/** Pod addresses under Azure CNI Overlay: private to the cluster, never taken from the VNet. */
export const POD_CIDR = '10.244.0.0/16';
/** The pool AKS is created with (inline), and the pools that are `AgentPool`s of their own. */
export function splitNodePools(pools: readonly NodePoolConfig[]): { inline: NodePoolConfig; separate: NodePoolConfig[] } {
  const inline = pools.find((p) => p.mode === 'System') ?? pools[0];
  return { inline, separate: pools.filter((p) => p !== inline) };
}

export function agentPoolProfile(pool: NodePoolConfig): AgentPoolProfile {
  return { name: pool.name, ...agentPoolSettings(pool) };
}

function agentPoolSettings(pool: NodePoolConfig): AgentPoolSettings {
  const autoscaling = pool.min !== undefined && pool.max !== undefined;
  return {
    mode: pool.mode,
    vmSize: pool.vmSize,
    osType: 'Linux',
    type: 'VirtualMachineScaleSets',
    count: pool.count ?? pool.min ?? 1,
    enableAutoScaling: autoscaling,
    ...(autoscaling ? { minCount: pool.min, maxCount: pool.max } : {}),
    ...(Object.keys(pool.labels).length ? { nodeLabels: pool.labels } : {}),
    ...(pool.taints.length ? { nodeTaints: pool.taints.map(taintString) } : {}),
  };
}

/**
 * `ssh.public_key`, else the file at `ssh.public_key_path`, checked as AKS checks it (RSA, at least
 * 2048 bits). Generating one would need @pulumi/tls, so a key is required.
 */
export function sshPublicKey(ssh: SshConfig | undefined): string {
  if (ssh?.publicKey) return ssh.publicKey.trim();
  if (!ssh?.publicKeyPath) throw new Error(`AKS needs an SSH public key for its nodes: set ssh.public_key (the key text, "ssh-rsa AAAA… you@host") or ssh.public_key_path (e.g. ~/.ssh/id_rsa.pub) in azure.yaml. Create one with ${NEW_SSH_KEY}.`);
  const path = ssh.publicKeyPath.replace(/^~(?=$|\/)/, homedir());
  let key: string | undefined;
  try {
    key = readSmallFile(path, 'an SSH public key', 64 * 1024);
  } catch (error) {
    throw new Error(`ssh.public_key_path: ${(error as Error).message}. Point it at an existing public key, or set ssh.public_key to the key text.`);
  }
  if (key === undefined) throw new Error(`ssh.public_key_path: ${path} does not exist. Point it at an existing public key, or set ssh.public_key to the key text.`);
  const issue = checkSshPublicKey(key);
  if (issue) throw new Error(`ssh.public_key_path: ${path}: ${issue}`);
  return key.trim();
}

/** The kubelet identity's object id; Azure has returned it as `objectId` and as `object_id` (original issue #7). */
export function kubeletObjectId(identityProfile: unknown): string | undefined {
  if (!identityProfile || typeof identityProfile !== 'object') return undefined;
  const profile = identityProfile as Record<string, Record<string, unknown> | undefined>;
  const kubelet = profile.kubeletidentity ?? profile.kubeletIdentity;
  const id = kubelet?.objectId ?? kubelet?.object_id;
  return typeof id === 'string' && id ? id : undefined;
}

function kubeconfigOf(result: containerservice.ListManagedClusterUserCredentialsResult): string {
  const value = result.kubeconfigs?.[0]?.value;
  // Empty during preview; an empty output then fails readiness instead of crashing the program.
  return value ? Buffer.from(value, 'base64').toString('utf8') : '';
}

export function cluster(ctx: AzureContext): Outputs {
  const cs = require('@pulumi/azure-native/containerservice') as typeof containerservice;
  const name = clusterName(ctx.env, ctx.user);
  const resourceGroupName = str(ctx.from('resource-group', 'resource_group_name'));
  const location = str(ctx.from('resource-group', 'location'));
  const aks = ctx.config.aks;
  const network = aks?.network ?? { serviceCidr: DEFAULT_SERVICE_CIDR, dnsServiceIp: DEFAULT_DNS_SERVICE_IP };
  const { inline, separate } = splitNodePools(nodePoolsOf(aks));

  const managed = new cs.ManagedCluster(
    'aks-cluster',
    {
      resourceName: name,
      resourceGroupName,
      location,
      dnsPrefix: `${name}-dns`.slice(0, 54).replace(/-+$/, ''),
      ...(aks?.kubernetesVersion ? { kubernetesVersion: aks.kubernetesVersion } : {}),
      identity: { type: 'SystemAssigned' },
      agentPoolProfiles: [agentPoolProfile(inline)],
      linuxProfile: { adminUsername: 'azureuser', ssh: { publicKeys: [{ keyData: sshPublicKey(ctx.config.ssh) }] } },
      // azure-native always sends a podCidr (10.244.0.0/16); only Azure CNI Overlay uses one, so say so.
      networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', podCidr: POD_CIDR, serviceCidr: network.serviceCidr, dnsServiceIP: network.dnsServiceIp },
      tags: ctx.tags('cluster'),
    },
    ctx.azureOptions({ deleteBeforeReplace: true }),
  );

  // AKS runs one agent pool operation per cluster at a time and answers 409 OperationNotAllowed to
  // a second (Azure/AKS#1913), so each pool waits for the one before it.
  separate.reduce<containerservice.AgentPool | undefined>((previous, pool) => agentPool(ctx, managed, resourceGroupName, pool, previous), undefined);
  const credentials = cs.listManagedClusterUserCredentialsOutput({ resourceGroupName, resourceName: managed.name }, { provider: ctx.azure() });
  const grantPull = ctx.has('registry') && grantsClusterPull(ctx.config);
  if (grantPull) acrPull(ctx, managed);

  return {
    kubeconfig: ctx.p.secret(credentials.apply(kubeconfigOf)),
    cluster_name: managed.name,
    resource_group: resourceGroupName,
    location: managed.location,
    provider: 'azure',
    acr_pull_configured: grantPull,
  };
}

function agentPool(ctx: AzureContext, managed: containerservice.ManagedCluster, resourceGroupName: pulumi.Output<string>, pool: NodePoolConfig, after?: containerservice.AgentPool): containerservice.AgentPool {
  const cs = require('@pulumi/azure-native/containerservice') as typeof containerservice;
  return new cs.AgentPool(
    `aks-pool-${pool.name}`,
    { agentPoolName: pool.name, resourceName: managed.name, resourceGroupName, ...agentPoolSettings(pool), tags: ctx.tags('cluster') },
    ctx.azureOptions(after ? { dependsOn: [after] } : {}),
  );
}

function acrPull(ctx: AzureContext, managed: containerservice.ManagedCluster): authorization.RoleAssignment {
  const { RoleAssignment } = require('@pulumi/azure-native/authorization') as typeof authorization;
  const registryId = str(ctx.from('registry', 'registry_id'));
  const principalId: pulumi.Output<string> = managed.identityProfile.apply((profile) => {
    const id = kubeletObjectId(profile);
    if (!id) throw new Error(`AKS cluster ${clusterName(ctx.env, ctx.user)} reports no kubelet identity, so AcrPull cannot be granted`);
    return id;
  });
  // The subscription of the role definition is the registry's own.
  const roleDefinitionId = registryId.apply((id) => `${id.split('/').slice(0, 3).join('/')}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL_ROLE}`);
  return new RoleAssignment(
    'aks-acr-pull',
    {
      roleAssignmentName: ctx.p.all([registryId, principalId]).apply(([id, principal]) => acrPullAssignmentName(id, principal)),
      scope: registryId,
      principalId,
      principalType: 'ServicePrincipal',
      roleDefinitionId,
    },
    ctx.azureOptions({ deleteBeforeReplace: true }),
  );
}
