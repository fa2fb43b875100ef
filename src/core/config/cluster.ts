/** Rules for the cluster part of the flat provider file: `aks` (node pools, network), `acr`, `ssh`. */
import { isMap, isScalar } from 'yaml';
import { checkAcrName, checkDnsLabel, checkLabelKey, checkLabelValue, checkNodePoolName, checkSshPublicKey, formatIpv4, KUBERNETES_VERSION, parseCidr, parseIpv4 } from './naming';
import type { Field } from './reader';
import type { AcrConfig, AksConfig, NodePoolConfig, SshConfig, Taint, TaintEffect } from './types';

export const AKS_KEYS = ['name', 'kubernetes_version', 'node_pools', 'network'] as const;
export const NODE_POOL_KEYS = ['name', 'vm_size', 'mode', 'count', 'min', 'max', 'labels', 'taints'] as const;
export const NETWORK_KEYS = ['service_cidr', 'dns_service_ip'] as const;
export const ACR_KEYS = ['name', 'sku', 'per_user_registry'] as const;
export const SSH_KEYS = ['public_key', 'public_key_path'] as const;
export const TAINT_KEYS = ['key', 'value', 'effect'] as const;

export const REGISTRY_SKUS = ['Basic', 'Standard', 'Premium'] as const;
export const POOL_MODES = ['System', 'User'] as const;
export const TAINT_EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
export const DEFAULT_VM_SIZE = 'Standard_DS2_v2';
export const DEFAULT_SERVICE_CIDR = '172.16.0.0/16';
export const DEFAULT_DNS_SERVICE_IP = '172.16.0.10';

export function readAks(field: Field): AksConfig | undefined {
  const aks = field.map(AKS_KEYS, 'aks: { name: modelops-cluster, node_pools: [...] }');
  if (!aks) return undefined;
  const config: AksConfig = { nodePools: readNodePools(aks.get('node_pools')), network: readNetwork(aks.get('network')) };
  const name = aks.get('name');
  const nameValue = name.string('name: modelops-cluster');
  if (nameValue !== undefined) {
    const issue = checkDnsLabel(nameValue);
    if (issue) name.error('invalid-cluster-name', `\`aks.name\`: ${issue}`);
    config.name = nameValue;
  }
  const version = readKubernetesVersion(aks.get('kubernetes_version'));
  if (version !== undefined) config.kubernetesVersion = version;
  return config;
}

function readKubernetesVersion(field: Field): string | undefined {
  const value = field.string('kubernetes_version: "1.32"');
  if (value === undefined) return undefined;
  if (!KUBERNETES_VERSION.test(value)) {
    field.error('invalid-kubernetes-version', `\`aks.kubernetes_version\` is "${value}"; write MAJOR.MINOR or MAJOR.MINOR.PATCH in quotes, e.g. "1.32". \`az aks get-versions -l <location> -o table\` lists what AKS offers.`);
  }
  return value;
}

function readNodePools(field: Field): NodePoolConfig[] {
  const items = field.list('node_pools: [{ name: system, vm_size: Standard_B2s, mode: System, count: 1 }]');
  if (!items) return [];
  const pools: NodePoolConfig[] = [];
  const firstByName = new Map<string, Field>();
  for (const [index, item] of items.entries()) {
    const read = readNodePool(item, index);
    if (!read) continue;
    const { pool, nameField } = read;
    pools.push(pool);
    const first = firstByName.get(pool.name);
    if (first) {
      nameField.error('duplicate-pool-name', `Node pool name "${pool.name}" is used twice; each pool needs its own name. Rename this one.`, { related: [first.related('first pool with this name')] });
    } else if (nameField.isSet) firstByName.set(pool.name, nameField);
  }
  if (pools.length > 0 && pools.length === items.length && !pools.some((p) => p.mode === 'System')) {
    field.errorAtKey('no-system-pool', `No node pool has \`mode: System\`; AKS needs at least one System pool for its own pods. Set \`mode: System\` on pool "${pools[0].name}" (the first pool is System when \`mode\` is left out).`);
  }
  return pools;
}

function readNodePool(item: Field, index: number): { pool: NodePoolConfig; nameField: Field } | undefined {
  const pool = item.map(NODE_POOL_KEYS, '- { name: system, vm_size: Standard_B2s, count: 1 }');
  if (!pool) return undefined;
  const nameField = pool.get('name');
  const name = nameField.requiredString('every node pool needs a name', 'name: workers');
  if (name !== undefined) {
    const issue = checkNodePoolName(name);
    if (issue) nameField.error('invalid-pool-name', `\`${nameField.label}\`: ${issue}`);
  }
  const mode = pool.get('mode').enumOf(POOL_MODES) ?? (index === 0 ? 'System' : 'User');
  const config: NodePoolConfig = {
    name: name ?? `pool${index}`,
    vmSize: pool.get('vm_size').string('vm_size: Standard_D4s_v3') ?? DEFAULT_VM_SIZE,
    mode,
    labels: readLabels(pool.get('labels')),
    taints: readTaints(pool.get('taints')),
  };
  Object.assign(config, readPoolSize(pool.get('count'), pool.get('min'), pool.get('max')));
  return { pool: config, nameField };
}

/** `count` (fixed size) or both `min` and `max` (autoscaling, starting at `min`). */
function readPoolSize(countField: Field, minField: Field, maxField: Field): Pick<NodePoolConfig, 'count' | 'min' | 'max'> {
  const count = countField.int({ min: 1 }, 'count: 1');
  const min = minField.int({ min: 0 }, 'min: 1');
  const max = maxField.int({ min: 1 }, 'max: 5');
  if (countField.isSet && (minField.isSet || maxField.isSet)) {
    countField.error('pool-sizing', 'Set either `count` (a fixed-size pool) or `min` and `max` (an autoscaling pool), not both. Remove `count`, or remove `min` and `max`.');
    return count === undefined ? {} : { count };
  }
  if (minField.isSet !== maxField.isSet) {
    const present = minField.isSet ? minField : maxField;
    present.error('pool-sizing', `An autoscaling pool needs both \`min\` and \`max\`; only \`${present.keyName}\` is set. Add \`${present === minField ? 'max' : 'min'}\`, or use \`count\` for a fixed size.`);
    return {};
  }
  if (min !== undefined && max !== undefined) {
    if (min > max) {
      minField.error('pool-sizing', `\`min\` (${min}) is greater than \`max\` (${max}). Swap them or lower \`min\`.`);
      return {};
    }
    return { count: min, min, max };
  }
  if (minField.isSet) return {};
  return { count: count ?? 1 };
}

function readLabels(field: Field): Record<string, string> {
  const labels: Record<string, string> = {};
  const map = field.map(undefined, 'labels: { modelops.io/role: cpu }');
  if (!map) return labels;
  for (const entry of map.fields()) {
    const keyIssue = checkLabelKey(entry.keyName);
    if (keyIssue) entry.errorAtKey('invalid-label-key', `Node label: ${keyIssue}`);
    const value = entry.text();
    if (value === undefined) continue;
    const valueIssue = checkLabelValue(value);
    if (valueIssue) entry.error('invalid-label-value', `Node label \`${entry.keyName}\`: ${valueIssue}`);
    if (!keyIssue && !valueIssue) labels[entry.keyName] = value;
  }
  return labels;
}

function readTaints(field: Field): Taint[] {
  const items = field.list('taints: ["modelops.io/role=cpu:NoSchedule"]');
  if (!items) return [];
  const taints: Taint[] = [];
  for (const item of items) {
    const taint = isMap(item.node) ? readTaintMapping(item) : readTaintString(item);
    if (taint) taints.push(taint);
  }
  return taints;
}

const TAINT_EXAMPLE = '"modelops.io/role=cpu:NoSchedule", "dedicated:NoExecute" or {key: modelops.io/role, value: cpu, effect: NoSchedule}';

function readTaintString(item: Field): Taint | undefined {
  if (!isScalar(item.node) || typeof item.node.value !== 'string') {
    item.wrongType('a taint, as text or a mapping', '- "modelops.io/role=cpu:NoSchedule"');
    return undefined;
  }
  const text = item.node.value;
  const match = /^([^=:]+)(?:=([^:]*))?:([^:=]+)$/.exec(text.trim());
  if (!match) {
    item.error('invalid-taint', `Taint "${text}" is not \`key=value:Effect\` or \`key:Effect\`; write it like ${TAINT_EXAMPLE}.`);
    return undefined;
  }
  return checkedTaint(item, match[1], match[2] || undefined, match[3]);
}

function readTaintMapping(item: Field): Taint | undefined {
  const map = item.map(TAINT_KEYS);
  if (!map) return undefined;
  const key = map.get('key').requiredString('the taint key', 'key: modelops.io/role');
  const value = map.get('value').text();
  const effectField = map.get('effect');
  const effect = effectField.requiredString('NoSchedule, PreferNoSchedule or NoExecute', 'effect: NoSchedule');
  if (key === undefined || effect === undefined) return undefined;
  return checkedTaint(item, key, value || undefined, effect);
}

function checkedTaint(item: Field, key: string, value: string | undefined, effect: string): Taint | undefined {
  const issue = checkLabelKey(key) ?? (value === undefined ? undefined : checkLabelValue(value));
  if (issue) {
    item.error('invalid-taint', `Taint: ${issue.replace(/label/g, 'taint')}`);
    return undefined;
  }
  if (!(TAINT_EFFECTS as readonly string[]).includes(effect)) {
    item.error('invalid-taint', `Taint effect "${effect}" must be one of NoSchedule, PreferNoSchedule, NoExecute (case matters), e.g. ${TAINT_EXAMPLE}.`);
    return undefined;
  }
  return value === undefined ? { key, effect: effect as TaintEffect } : { key, value, effect: effect as TaintEffect };
}

function readNetwork(field: Field): AksConfig['network'] {
  const network = { serviceCidr: DEFAULT_SERVICE_CIDR, dnsServiceIp: DEFAULT_DNS_SERVICE_IP };
  const map = field.map(NETWORK_KEYS, `network: { service_cidr: ${DEFAULT_SERVICE_CIDR}, dns_service_ip: ${DEFAULT_DNS_SERVICE_IP} }`);
  if (!map) return network;
  const cidrField = map.get('service_cidr');
  const ipField = map.get('dns_service_ip');
  network.serviceCidr = cidrField.string(`service_cidr: ${DEFAULT_SERVICE_CIDR}`) ?? network.serviceCidr;
  network.dnsServiceIp = ipField.string(`dns_service_ip: ${DEFAULT_DNS_SERVICE_IP}`) ?? network.dnsServiceIp;
  const cidr = parseCidr(network.serviceCidr);
  if (!cidr) {
    cidrField.error('invalid-cidr', `\`service_cidr\` "${network.serviceCidr}" is not an IPv4 CIDR like ${DEFAULT_SERVICE_CIDR}.`);
  } else if (formatIpv4(cidr.network) !== network.serviceCidr.split('/')[0]) {
    cidrField.error('invalid-cidr', `\`service_cidr\` "${network.serviceCidr}" has host bits set; write the network address: ${formatIpv4(cidr.network)}/${cidr.prefix}.`);
  }
  const ip = parseIpv4(network.dnsServiceIp);
  if (ip === undefined) {
    ipField.error('invalid-ip-address', `\`dns_service_ip\` "${network.dnsServiceIp}" is not an IPv4 address like ${DEFAULT_DNS_SERVICE_IP}.`);
  } else if (cidr && (ip < cidr.network || ip >= cidr.network + cidr.size || ip === cidr.network)) {
    const example = formatIpv4(cidr.network + Math.min(10, Math.max(1, cidr.size - 2)));
    const target = ipField.isSet ? ipField : cidrField;
    target.error('dns-ip-outside-cidr', `\`dns_service_ip\` ${network.dnsServiceIp} must be inside \`service_cidr\` ${network.serviceCidr} and not its first address; use e.g. ${example}.`);
  }
  return network;
}

export function readAcr(field: Field): AcrConfig | undefined {
  const acr = field.map(ACR_KEYS, 'acr: { name: modelopsacr, sku: Standard }');
  if (!acr) return undefined;
  const config: AcrConfig = {
    sku: acr.get('sku').enumOf(REGISTRY_SKUS) ?? 'Standard',
    perUserRegistry: acr.get('per_user_registry').bool() ?? true,
  };
  const nameField = acr.get('name');
  const name = nameField.string('name: modelopsacr');
  if (name !== undefined) {
    const issue = checkAcrName(name);
    if (issue) nameField.error('invalid-acr-name', `\`acr.name\`: ${issue}`);
    config.name = name;
  }
  return config;
}

export function readSsh(field: Field): SshConfig | undefined {
  const ssh = field.map(SSH_KEYS, 'ssh: { public_key_path: ~/.ssh/id_rsa.pub }');
  if (!ssh) return undefined;
  const config: SshConfig = {};
  const keyField = ssh.get('public_key');
  const publicKey = keyField.string('public_key: "ssh-rsa AAAA... you@host"');
  if (publicKey !== undefined) {
    const issue = checkSshPublicKey(publicKey);
    if (issue) keyField.error('invalid-ssh-public-key', `\`ssh.public_key\`: ${issue}`);
    config.publicKey = publicKey;
  }
  const pathField = ssh.get('public_key_path');
  const publicKeyPath = pathField.string('public_key_path: ~/.ssh/id_rsa.pub');
  if (publicKeyPath !== undefined) {
    config.publicKeyPath = publicKeyPath;
    if (publicKey !== undefined) pathField.warnAtKey('unused-key', '`ssh.public_key_path` is ignored because `ssh.public_key` is set. Remove one of them.');
  }
  return config;
}
