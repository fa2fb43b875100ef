/** How the Environments view shows one environment. Pure. */
import type { EnvironmentsReport } from '../../core/protocol';
import type { Look } from './statusTable';

export type EnvironmentSummary = EnvironmentsReport['environments'][number];

/** `4/4 ready · current`, `1/4 ready, 3 not created`, `nothing created`. */
export function describeEnvironment(e: EnvironmentSummary): string {
  const state = e.deployed === 0 ? 'nothing created' : `${e.ready}/${e.total} ready${e.deployed < e.total ? `, ${e.total - e.deployed} not created` : ''}`;
  return e.current ? `${state} · current` : state;
}

export function environmentLook(e: EnvironmentSummary): Look {
  if (e.deployed === 0) return { icon: 'circle-outline' };
  return e.ready === e.total ? { icon: 'pass', color: 'testing.iconPassed' } : { icon: 'warning', color: 'list.warningForeground' };
}

/**
 * The environments as the view shows them: the current one with the figures the Components view
 * reads now (they change with every step of a run), the others as the backend was last read. A
 * read of every environment takes seconds; until it ends, the current row must not say "nothing
 * created" about an environment an Up just made.
 */
export function withCurrent(environments: readonly EnvironmentSummary[], env: string | undefined, live: Pick<EnvironmentSummary, 'ready' | 'total' | 'deployed'> | undefined): EnvironmentSummary[] {
  if (!env || !live) return [...environments];
  const current: EnvironmentSummary = { name: env, current: true, ...live };
  const shown = environments.map((e) => (e.name === env ? current : { ...e, current: false }));
  return shown.some((e) => e.name === env) ? shown : [...shown, current];
}

/** Whether the view's figures for the current environment are behind what the Components view reads now. */
export function currentIsStale(report: EnvironmentsReport | undefined, env: string | undefined, ready: number, deployed: number): boolean {
  const current = report?.environments.find((e) => e.current);
  return !current || current.name !== env || current.ready !== ready || current.deployed !== deployed;
}
