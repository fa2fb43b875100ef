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

/** Whether the view's figures for the current environment are behind what the Components view reads now. */
export function currentIsStale(report: EnvironmentsReport | undefined, env: string | undefined, ready: number, deployed: number): boolean {
  const current = report?.environments.find((e) => e.current);
  return !current || current.name !== env || current.ready !== ready || current.deployed !== deployed;
}
