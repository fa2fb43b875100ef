/** Deterministic identifiers Azure wants as GUIDs. */
import { createHash } from 'node:crypto';

const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** RFC 4122 UUID v5 (what Python's `uuid.uuid5` gives), so names match the original's. */
export function uuid5(name: string, namespace = NAMESPACE_DNS): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The original's AcrPull assignment name, so an assignment it made is the one we manage. */
export function acrPullAssignmentName(registryId: string, principalId: string): string {
  return uuid5(`${registryId}-${principalId}-acrpull`);
}

export const ACR_PULL_ROLE = '7f951dda-4ed3-4680-a7ca-43fe172d538d';
