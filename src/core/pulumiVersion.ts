/**
 * The Pulumi CLI each provider needs beyond what the Automation API itself asks for. On Azure, the
 * original's stacks use azure-native's default provider and ours an explicit one; only from
 * Pulumi 3.151 does the engine move a resource between them without replacing it (pulumi/pulumi#18509).
 */
import type { ProviderKind } from './config/types';

export const MIN_PULUMI: Partial<Record<ProviderKind, string>> = { azure: '3.151.0' };

/** [major, minor, patch] of `v3.151.0`, `3.151.0-alpha.x`; undefined when it is not a version. */
function parts(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function older(a: [number, number, number], b: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/** Why `found` cannot run `provider`'s programs, or undefined when it can (or cannot be told). */
export function pulumiTooOld(provider: ProviderKind, found: string): string | undefined {
  const needed = MIN_PULUMI[provider];
  const have = parts(found);
  if (!needed || !have || !older(have, parts(needed)!)) return undefined;
  return `the Pulumi CLI is ${found.replace(/^v/, '')}, and provider: ${provider} needs ${needed} or newer: older engines replace every resource the original made when it moves to our explicit azure-native provider (pulumi/pulumi#18509). Install Pulumi ${needed} or newer, or point --pulumi (MOPS_PULUMI; in the editor, the modelopsInfra.pulumiPath setting) at one`;
}
