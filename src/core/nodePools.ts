/** Node pools as AKS gets them when azure.yaml names none, and taints as AKS writes them. */
import type { NodePoolConfig, Taint } from './config/types';

const CPU_ROLE = { key: 'modelops.io/role', value: 'cpu', effect: 'NoSchedule' } as const satisfies Taint;

/** The original's pools when none are configured. */
export const DEFAULT_NODE_POOLS: readonly NodePoolConfig[] = [
  { name: 'system', vmSize: 'Standard_DS2_v2', mode: 'System', count: 1, labels: {}, taints: [] },
  { name: 'cpuworkers', vmSize: 'Standard_DS3_v2', mode: 'User', count: 2, min: 2, max: 5, labels: { [CPU_ROLE.key]: CPU_ROLE.value }, taints: [CPU_ROLE] },
];

/** The pools the cluster gets: the configured ones, else the defaults. */
export const nodePoolsOf = (aks: { nodePools: readonly NodePoolConfig[] } | undefined): readonly NodePoolConfig[] => (aks?.nodePools.length ? aks.nodePools : DEFAULT_NODE_POOLS);

export const taintString = (t: Taint): string => (t.value === undefined ? `${t.key}:${t.effect}` : `${t.key}=${t.value}:${t.effect}`);
