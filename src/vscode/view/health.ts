/** What the last health run found, rolled up for a component's row and the status bar. Pure. */
import type { HealthVerdict } from '../../core/events';

export interface CheckResult {
  check: string;
  verdict: HealthVerdict;
  reason: string;
}

/** `unhealthy: container results`, `unhealthy: 2 checks`; undefined when no check found a problem. */
export function describeHealthProblem(checks: readonly CheckResult[]): string | undefined {
  const bad = checks.filter((c) => c.verdict === 'unhealthy');
  if (!bad.length) return undefined;
  return `unhealthy: ${bad.length === 1 ? bad[0].check : `${bad.length} checks`}`;
}

/**
 * The checks that still describe the stack: one made before its last deployment ended checked
 * what that deployment replaced, so it says nothing now (as a drift check does not outlive one).
 */
export function currentChecks<T extends { checkedAt: string }>(checks: readonly T[], lastUpdate?: { startTime?: string; endTime?: string }): readonly T[] {
  const deployed = Date.parse(lastUpdate?.endTime ?? lastUpdate?.startTime ?? '');
  return Number.isFinite(deployed) ? checks.filter((c) => Date.parse(c.checkedAt) >= deployed) : checks;
}

/** The tooltip's lines for the checks that found a problem. */
export function healthProblemLines(checks: readonly CheckResult[]): string[] {
  return checks.filter((c) => c.verdict === 'unhealthy').map((c) => `${c.check}: ${c.reason}`);
}
