/**
 * Health of `provider: local`: what each component's outputs point at exists
 * (the folders and files that stand for the cloud resources).
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Component } from '../../core/components';
import { clusterDirOf } from '../../core/localCluster';
import type { HealthResult } from '../../core/events';
import type { OutputsByComponent } from './types';

type Check = (outputs: Record<string, unknown>, all: OutputsByComponent) => Omit<HealthResult, 'component'>[];

function exists(check: string, path: string, what: string): Omit<HealthResult, 'component'> {
  return existsSync(path) ? { check, verdict: 'healthy', reason: `${what} exists` } : { check, verdict: 'unhealthy', reason: `${what} is gone (${path})` };
}

function clusterDir(all: OutputsByComponent): string | undefined {
  const kubeconfig = all.get('cluster')?.kubeconfig;
  try {
    return typeof kubeconfig === 'string' ? clusterDirOf(kubeconfig) : undefined;
  } catch {
    return undefined;
  }
}

function inNamespace(check: string, all: OutputsByComponent, namespace: unknown, file: string, what: string): Omit<HealthResult, 'component'> {
  const dir = clusterDir(all);
  if (!dir) return { check, verdict: 'unknown', reason: 'the cluster has no usable kubeconfig' };
  return exists(check, join(dir, 'namespaces', String(namespace), 'deployments', file), what);
}

const CHECKS: Record<Component['kind'], (envRoot: string) => Check> = {
  'resource-group': (root) => (o) => [exists('resource group', join(root, 'resource-groups', String(o.resource_group_name)), 'resource group')],
  registry: (root) => (o) => [exists('registry', join(root, 'registries', String(o.registry_name)), 'registry')],
  cluster: () => (o, all) => {
    const dir = clusterDir(all);
    if (!dir) return [{ check: 'api', verdict: 'unhealthy', reason: 'kubeconfig missing or not a local cluster' }];
    const poolsDir = join(dir, 'nodepools');
    const pools = existsSync(poolsDir) ? readdirSync(poolsDir).length : 0;
    return [
      exists('api', dir, `cluster ${String(o.cluster_name)}`),
      pools > 0 ? { check: 'nodes', verdict: 'healthy', reason: `${pools} node pool(s)` } : { check: 'nodes', verdict: 'unhealthy', reason: 'no node pools' },
    ];
  },
  storage: () => (o) => {
    const endpoint = typeof o.primary_endpoint === 'string' && o.primary_endpoint.startsWith('file://') ? fileURLToPath(o.primary_endpoint) : undefined;
    if (!endpoint) return [{ check: 'blob endpoint', verdict: 'unhealthy', reason: 'primary_endpoint is not a local endpoint' }];
    const containers = Array.isArray(o.containers) ? o.containers.map(String) : [];
    return [exists('blob endpoint', endpoint, 'blob endpoint'), ...containers.map((c) => exists(`container ${c}`, join(endpoint, c), `container ${c}`))];
  },
  workspace: () => (o, all) => [
    inNamespace('scheduler', all, o.namespace, 'dask-scheduler.json', 'scheduler deployment'),
    inNamespace('workers', all, o.namespace, 'dask-workers.json', 'worker deployment'),
  ],
  adaptive: () => (o, all) => [inNamespace('workers', all, o.namespace, 'adaptive-workers.json', 'adaptive workers')],
};

export function localHealth(components: readonly Component[], all: OutputsByComponent, envRoot: string): HealthResult[] {
  return components.flatMap((c) => {
    const outputs = all.get(c.name);
    if (!outputs) return [{ component: c.name, check: 'stack', verdict: 'unknown' as const, reason: 'not provisioned' }];
    return CHECKS[c.kind](envRoot)(outputs, all).map((r) => ({ component: c.name, ...r }));
  });
}
