/**
 * Azure and Kubernetes naming rules. Each check returns undefined when the value
 * is fine, else a sentence saying what is wrong and what to write instead.
 */
import { printable } from './suggest';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// Python's \w (the original's pattern) matches Unicode letters and digits, and so does Azure.
const RESOURCE_GROUP = /^[-\p{L}\p{N}\p{M}_.()]+$/u;

export const KUBERNETES_VERSION = /^\d+\.\d+(\.\d+)?$/;
export const QUANTITY = /^\d+[KMGT]i$/;
export const BACKEND_SCHEMES = ['file://', 'azblob://', 's3://', 'gs://', 'https://'] as const;
export const MAX_ENVIRONMENT_LENGTH = 20;

export function isPlaceholderSubscriptionId(value: string): boolean {
  const compact = value.trim().toLowerCase().replace(/[-_\s<>{}]/g, '');
  return compact === 'yoursubscriptionid' || compact === 'subscriptionid' || value.trim() === ZERO_GUID;
}

export function checkSubscriptionId(value: string): string | undefined {
  if (GUID.test(value)) return undefined;
  return `"${value}" is not a subscription GUID (8-4-4-4-12 hex digits, e.g. 12345678-90ab-cdef-1234-567890abcdef). Run \`az account show --query id -o tsv\` to get yours.`;
}

export function checkResourceGroupName(value: string): string | undefined {
  if (value.length === 0 || value.length > 90) return `"${value}" has ${value.length} characters; a resource group name has 1–90.`;
  if (!RESOURCE_GROUP.test(value)) return `"${value}" has characters a resource group name cannot have; use letters, digits, '-', '_', '.', '(' and ')' only, e.g. "${value.replace(/[^-\p{L}\p{N}\p{M}_.()]/gu, '-')}".`;
  if (value.endsWith('.')) return `"${value}" ends with '.', which Azure does not allow; remove the trailing period.`;
  return undefined;
}

export function isDnsLabel(value: string, maxLength = 63): boolean {
  return value.length <= maxLength && DNS_LABEL.test(value);
}

/** A DNS-1123 label close to `value`, for "write X instead". */
export function toDnsLabel(value: string, maxLength = 63): string {
  // Accents go, the letters stay: "ünï" suggests "uni", not "n".
  const label = value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-+/, '').slice(0, maxLength).replace(/-+$/, '');
  return label || 'name';
}

export function checkDnsLabel(value: string, maxLength = 63): string | undefined {
  if (isDnsLabel(value, maxLength)) return undefined;
  return `"${value}" is not a DNS-1123 label (at most ${maxLength} lowercase letters, digits and '-', starting and ending with a letter or digit); use "${toDnsLabel(value, maxLength)}".`;
}

/** AKS Linux pools: the DNS label rule plus Azure's own (≤ 12 lowercase alphanumerics, starting with a letter). */
export function checkNodePoolName(value: string): string | undefined {
  if (/^[a-z][a-z0-9]{0,11}$/.test(value)) return undefined;
  const suggestion = value.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^[0-9]+/, '').slice(0, 12) || 'pool';
  return `"${value}" is not a valid AKS Linux node pool name: 1–12 lowercase letters and digits, starting with a letter (no '-' or '_'). Use "${suggestion}".`;
}

export function checkLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `the prefix "${prefix}" of label key "${key}" must be a lowercase DNS subdomain of at most 253 characters, like "modelops.io".`;
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return `label key "${key}" needs a name part of 1–63 characters from [A-Za-z0-9._-], starting and ending with a letter or digit (optionally after a prefix like "modelops.io/").`;
  }
  return undefined;
}

export function checkLabelValue(value: string): string | undefined {
  if (value === '' || (value.length <= 63 && LABEL_NAME.test(value))) return undefined;
  return `label value "${value}" must be empty or 1–63 characters from [A-Za-z0-9._-], starting and ending with a letter or digit.`;
}

export function checkAcrName(value: string): string | undefined {
  if (/^[a-z0-9]{5,50}$/.test(value)) return undefined;
  const suggestion = value.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 50);
  const hint = suggestion.length >= 5 ? ` Use "${suggestion}".` : '';
  return `"${value}" is not a valid container registry name: 5–50 lowercase letters and digits only, no '-'.${hint}`;
}

export function checkStorageAccountName(value: string): string | undefined {
  if (/^[a-z0-9]{3,24}$/.test(value)) return undefined;
  const suggestion = value.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 24);
  const hint = suggestion.length >= 3 ? ` Use "${suggestion}", or remove it to get a generated name.` : ' Remove it to get a generated name.';
  return `"${value}" is not a valid storage account name: 3–24 lowercase letters and digits only, globally unique.${hint}`;
}

export function checkLocation(value: string): string | undefined {
  if (/^[a-z0-9]+$/.test(value)) return undefined;
  const suggestion = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `"${value}" does not look like an Azure region name; region names are lowercase letters and digits${suggestion ? `, e.g. "${suggestion}"` : ' like "eastus2"'}. \`az account list-locations -o table\` lists them.`;
}

export function checkEnvironmentName(value: string): string | undefined {
  if (value.length <= MAX_ENVIRONMENT_LENGTH && DNS_LABEL.test(value)) return undefined;
  return `"${printable(value)}" is not a valid environment name: 1–${MAX_ENVIRONMENT_LENGTH} lowercase letters, digits and '-', not starting or ending with '-' (it becomes part of stack and resource names). Use "${toDnsLabel(value, MAX_ENVIRONMENT_LENGTH)}".`;
}

/** The smallest RSA key Azure accepts for Linux nodes. */
export const MIN_RSA_BITS = 2048;
export const NEW_SSH_KEY = '`ssh-keygen -t rsa -b 4096 -f ~/.ssh/modelops_aks` and point `ssh.public_key_path` at ~/.ssh/modelops_aks.pub';

/**
 * AKS takes only RSA keys of at least 2048 bits: it answers "linuxProfile.ssh.publicKeys.keyData is
 * invalid" to ed25519 and ECDSA (Azure/AKS#4431), and only once the groups before the cluster exist.
 */
export function checkSshPublicKey(value: string): string | undefined {
  const [type, data] = value.trim().split(/\s+/);
  if (type === 'ssh-ed25519' || type?.startsWith('ecdsa-sha2-') || type?.startsWith('sk-')) return `it is a ${type} key, and AKS accepts only RSA keys (of at least ${MIN_RSA_BITS} bits). Create one with ${NEW_SSH_KEY}.`;
  if (type !== 'ssh-rsa' || !data || !/^[A-Za-z0-9+/]+={0,3}$/.test(data)) return `it is not an OpenSSH public key: it must start with \`ssh-rsa\` followed by the base64 key (the content of ~/.ssh/id_rsa.pub, not the private key). Or use \`public_key_path\`.`;
  const bits = rsaModulusBits(Buffer.from(data, 'base64'));
  if (bits === undefined) return 'its base64 part is not an RSA public key (it may be cut short). Copy the whole line of the .pub file.';
  if (bits < MIN_RSA_BITS) return `it is a ${bits}-bit RSA key, and AKS needs at least ${MIN_RSA_BITS} bits. Create one with ${NEW_SSH_KEY}.`;
  return undefined;
}

/** The size of the modulus of an OpenSSH `ssh-rsa` blob (RFC 4253 §6.6: string type, mpint e, mpint n). */
export function rsaModulusBits(blob: Buffer): number | undefined {
  const fields: Buffer[] = [];
  let at = 0;
  while (fields.length < 3) {
    if (at + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(at);
    if (at + 4 + length > blob.length) return undefined;
    fields.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  if (fields[0].toString('latin1') !== 'ssh-rsa') return undefined;
  const modulus = fields[2];
  let first = 0;
  while (first < modulus.length && modulus[first] === 0) first++;
  if (first === modulus.length) return undefined;
  return (modulus.length - first - 1) * 8 + (32 - Math.clz32(modulus[first]));
}

export function checkBackendUrl(value: string): string | undefined {
  if (BACKEND_SCHEMES.some((scheme) => value.startsWith(scheme) && value.length > scheme.length)) return undefined;
  return `"${value}" is not a Pulumi backend URL; it must start with ${BACKEND_SCHEMES.join(', ')} (e.g. "file://~/.modelops/pulumi/backend" or "azblob://container").`;
}

export function checkQuantity(value: string): string | undefined {
  if (QUANTITY.test(value)) return undefined;
  return `"${value}" is not a size like "10Gi": digits followed by Ki, Mi, Gi or Ti.`;
}

/** An IPv4 address as a 32-bit number. */
export function parseIpv4(value: string): number | undefined {
  const parts = value.split('.');
  if (parts.length !== 4) return undefined;
  let result = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    result = result * 256 + Number(part);
  }
  return result;
}

export interface Ipv4Cidr {
  network: number;
  prefix: number;
  size: number;
}

export function parseCidr(value: string): Ipv4Cidr | undefined {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(value);
  if (!match) return undefined;
  const address = parseIpv4(match[1]);
  const prefix = Number(match[2]);
  if (address === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { network: address - (address % size), prefix, size };
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}
