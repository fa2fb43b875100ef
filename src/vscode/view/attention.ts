/**
 * Ready components that the last checks found a problem in: drifted (changed or deleted outside
 * Pulumi) or unhealthy. Their outputs are all there, so they stay `ready`, but the badge, the
 * status bar and the row's icon must not look as if all were well. Pure.
 */
import type { ComponentReadiness } from '../../core/readiness';
import { describeHealthProblem, type CheckResult } from './health';

export interface Attention {
  notReady: string[];
  /** Not ready because built from upstream outputs that changed since (among `notReady`). */
  stale: string[];
  drifted: string[];
  unhealthy: string[];
}

export function attention(components: readonly Pick<ComponentReadiness, 'name' | 'status' | 'drift'>[], healthOf: (name: string) => readonly CheckResult[]): Attention {
  const ready = components.filter((c) => c.status === 'ready');
  return {
    notReady: components.filter((c) => c.status !== 'ready').map((c) => c.name),
    stale: components.filter((c) => c.status === 'stale').map((c) => c.name),
    drifted: ready.filter((c) => c.drift?.state === 'drifted').map((c) => c.name),
    unhealthy: ready.filter((c) => describeHealthProblem(healthOf(c.name)) !== undefined).map((c) => c.name),
  };
}

/** How many rows need a look: not ready, or ready with a problem found (counted once). */
export function attentionCount(a: Attention): number {
  return a.notReady.length + new Set([...a.drifted, ...a.unhealthy]).size;
}

/** The badge's tooltip: `2 components not ready, 1 stale, 1 drifted`. */
export function attentionTooltip(a: Attention): string {
  const n = a.notReady.length - a.stale.length;
  return [
    ...(n ? [`${n} component${n === 1 ? '' : 's'} not ready`] : []),
    ...(a.stale.length ? [`${a.stale.length} stale`] : []),
    ...(a.drifted.length ? [`${a.drifted.length} drifted`] : []),
    ...(a.unhealthy.length ? [`${a.unhealthy.length} unhealthy`] : []),
  ].join(', ');
}
