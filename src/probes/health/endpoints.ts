/**
 * Health of `provider: azure` and `provider: kubernetes`: the endpoints each component's outputs
 * point at answer and work. The cluster, workspace and adaptive runs are read through the
 * Kubernetes API with the cluster's kubeconfig (in memory); storage and the registry through
 * their HTTPS endpoints. Every call is time-limited: no answer is `unknown`.
 */
import type { Component } from '../../core/components';
import { STANDARD_CONTAINERS } from '../../core/names';
import { listContainers, probeEndpoint, type StorageAccess } from '../clients/blob';
import { CallFailure, KubeReader, timed, type FailureKind, type NodeSummary } from '../clients/kubernetes';
import type { HealthResult } from '../../core/events';
import type { OutputsByComponent } from './types';

export interface EndpointHealthOptions {
  /** Limit of each call (default 10 s). */
  timeoutMs?: number;
}

type Check = Omit<HealthResult, 'component'>;
type Outputs = Record<string, unknown>;

const DEFAULT_TIMEOUT_MS = 10_000;
/** Failures that say nothing about the thing checked, only that we could not see it. */
const INCONCLUSIVE: ReadonlySet<FailureKind> = new Set(['timeout', 'unreachable', 'no-credentials']);

const verdictOf = (failure: CallFailure): Check['verdict'] => (INCONCLUSIVE.has(failure.kind) ? 'unknown' : 'unhealthy');
const failed = (check: string, error: unknown, prefix = ''): Check => {
  const failure = error instanceof CallFailure ? error : new CallFailure('error', String((error as Error)?.message ?? error));
  return { check, verdict: verdictOf(failure), reason: `${prefix}${failure.message}` };
};
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** One API session per health run: the first failure (e.g. a dead API) answers every later Kubernetes check at once. */
class Cluster {
  private probe?: Promise<{ reader: KubeReader; version: string } | CallFailure>;

  constructor(private readonly kubeconfig: string | undefined, private readonly timeoutMs: number) {}

  connect(): Promise<{ reader: KubeReader; version: string } | CallFailure> {
    this.probe ??= (async () => {
      if (!this.kubeconfig) return new CallFailure('error', 'the cluster stack exports no kubeconfig');
      try {
        const reader = new KubeReader(this.kubeconfig, this.timeoutMs);
        const version = await reader.version();
        await reader.authenticate();
        return { reader, version };
      } catch (error) {
        return error instanceof CallFailure ? error : new CallFailure('error', String(error));
      }
    })();
    return this.probe;
  }

  /** Runs `check` with a connected reader; when the API failed, says so (`unknown`: the object itself was not seen). */
  async with(check: string, run: (reader: KubeReader) => Promise<Check[]>): Promise<Check[]> {
    const session = await this.connect();
    if (session instanceof CallFailure) return [{ check, verdict: 'unknown', reason: `the cluster API gave no usable answer (${session.message})` }];
    try {
      return await run(session.reader);
    } catch (error) {
      return [failed(check, error)];
    }
  }
}

async function clusterChecks(cluster: Cluster): Promise<Check[]> {
  const session = await cluster.connect();
  if (session instanceof CallFailure) {
    const reason = session.kind === 'unauthenticated' ? `the API rejected the kubeconfig's credentials (${session.message})` : session.message;
    return [{ check: 'api', verdict: verdictOf(session), reason }, { check: 'nodes', verdict: 'unknown', reason: 'the API could not be read' }];
  }
  const api: Check = { check: 'api', verdict: 'healthy', reason: `${session.reader.server} answers and accepts the kubeconfig (Kubernetes ${session.version})` };
  return [api, ...(await cluster.with('nodes', async (reader) => nodeChecks(await reader.nodes())))];
}

/** One check per node pool (`nodes <pool>`); nodes no label puts in a pool share one check, `nodes`. */
export function nodeChecks(nodes: readonly NodeSummary[]): Check[] {
  if (nodes.length === 0) return [{ check: 'nodes', verdict: 'unhealthy', reason: 'the cluster has no nodes' }];
  const groups = new Map<string, NodeSummary[]>();
  for (const node of nodes) {
    const check = node.pool === undefined ? 'nodes' : `nodes ${node.pool}`;
    groups.set(check, [...(groups.get(check) ?? []), node]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([check, members]) => {
    const notReady = members.filter((n) => !n.ready);
    const ready = members.length - notReady.length;
    const detail = notReady.map((n) => `${n.name}: ${n.reason ?? 'not Ready'}`).join('; ');
    const reason = `${ready} of ${members.length} node(s) Ready${detail ? ` (${detail})` : ''}`;
    return { check, verdict: ready > 0 ? 'healthy' : 'unhealthy', reason };
  });
}

async function deploymentCheck(reader: KubeReader, check: string, namespace: string, name: string, needAvailable: boolean): Promise<Check> {
  try {
    const d = await reader.deployment(namespace, name);
    const counts = `${d.ready} of ${d.desired} replica(s) ready`;
    if (d.desired === 0) return { check, verdict: 'unhealthy', reason: `${name} is scaled to 0` };
    if (needAvailable && d.unavailableReason !== undefined) return { check, verdict: 'unhealthy', reason: `${name} is not available: ${d.unavailableReason} (${counts})` };
    return d.ready > 0 ? { check, verdict: 'healthy', reason: `${name}: ${counts}` } : { check, verdict: 'unhealthy', reason: `${name}: no replica ready (${counts})` };
  } catch (error) {
    if (error instanceof CallFailure && error.kind === 'not-found') return { check, verdict: 'unhealthy', reason: `deployment ${namespace}/${name} does not exist` };
    return failed(check, error);
  }
}

async function workspaceChecks(cluster: Cluster, outputs: Outputs): Promise<Check[]> {
  const namespace = text(outputs.namespace);
  if (!namespace) return [{ check: 'scheduler', verdict: 'unhealthy', reason: 'the workspace stack exports no namespace' }];
  return cluster.with('scheduler', (reader) =>
    Promise.all([deploymentCheck(reader, 'scheduler', namespace, 'dask-scheduler', true), deploymentCheck(reader, 'workers', namespace, 'dask-workers', false)]),
  );
}

async function adaptiveChecks(cluster: Cluster, outputs: Outputs): Promise<Check[]> {
  const namespace = text(outputs.namespace);
  if (!namespace) return [{ check: 'workers', verdict: 'unhealthy', reason: 'the run stack exports no namespace' }];
  return cluster.with('workers', async (reader) => [await deploymentCheck(reader, 'workers', namespace, text(outputs.workers_name) ?? 'adaptive-workers', false)]);
}

async function storageChecks(outputs: Outputs, timeoutMs: number): Promise<Check[]> {
  const endpoint = text(outputs.primary_endpoint);
  const endpointCheck: Promise<Check> = endpoint
    ? probeEndpoint(endpoint, timeoutMs).then(
        (status) => ({ check: 'blob endpoint', verdict: 'healthy', reason: `${endpoint} answers (HTTP ${status})` }),
        (error) => failed('blob endpoint', error),
      )
    : Promise.resolve({ check: 'blob endpoint', verdict: 'unhealthy', reason: 'the storage stack exports no primary_endpoint' });
  // The connection string the storage program exports (account key), else Entra ID on the endpoint.
  const connectionString = text(outputs.connection_string);
  const access: StorageAccess | undefined = connectionString ? { connectionString } : endpoint ? { endpoint } : undefined;
  const containersCheck: Promise<Check> = access
    ? listContainers(access, timeoutMs).then(
        (names) => {
          const missing = STANDARD_CONTAINERS.filter((c) => !names.includes(c));
          return missing.length
            ? { check: 'containers', verdict: 'unhealthy', reason: `missing container(s): ${missing.join(', ')}` }
            : { check: 'containers', verdict: 'healthy', reason: `${STANDARD_CONTAINERS.join(', ')} exist` };
        },
        (error) => failed('containers', error),
      )
    : Promise.resolve({ check: 'containers', verdict: 'unknown', reason: 'the storage stack exports neither a connection string nor an endpoint' });
  return Promise.all([endpointCheck, containersCheck]);
}

/** The login server answers, and accepts the pull credentials when the stack exports them. */
async function registryChecks(outputs: Outputs, timeoutMs: number): Promise<Check[]> {
  const server = text(outputs.login_server);
  if (!server) return [{ check: 'login server', verdict: 'unhealthy', reason: 'the registry stack exports no login_server' }];
  const user = text(outputs.bundles_pull_username);
  const password = text(outputs.bundles_pull_password);
  const headers: Record<string, string> = user && password ? { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } : {};
  try {
    const status = await timed(`GET https://${server}/v2/`, timeoutMs, async (signal) => {
      const response = await fetch(`https://${server}/v2/`, { headers, signal });
      await response.body?.cancel();
      return response.status;
    });
    if (status === 200) return [{ check: 'login server', verdict: 'healthy', reason: `${server} answers and accepts the pull credentials` }];
    if (status === 401 && !user) return [{ check: 'login server', verdict: 'healthy', reason: `${server} answers (no pull credentials exported to try)` }];
    return [{ check: 'login server', verdict: 'unhealthy', reason: `${server} answered HTTP ${status}${user ? ' to the pull credentials' : ''}` }];
  } catch (error) {
    return [failed('login server', error)];
  }
}

/** The group has no endpoint of its own; it is there when something in it answered. */
function resourceGroupCheck(results: readonly HealthResult[]): Check {
  const answered = results.filter((r) => ['api', 'blob endpoint', 'login server'].includes(r.check) && r.verdict === 'healthy').map((r) => r.component);
  return answered.length
    ? { check: 'resources', verdict: 'healthy', reason: `resources in it answer (${[...new Set(answered)].join(', ')})` }
    : { check: 'resources', verdict: 'unknown', reason: 'nothing in it could be reached (checking the group itself needs Azure credentials)' };
}

export async function endpointHealth(components: readonly Component[], outputs: OutputsByComponent, options: EndpointHealthOptions = {}): Promise<HealthResult[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cluster = new Cluster(text(outputs.get('cluster')?.kubeconfig), timeoutMs);
  const checksOf = (c: Component, o: Outputs): Promise<Check[]> | undefined => {
    switch (c.kind) {
      case 'cluster':
        return clusterChecks(cluster);
      case 'workspace':
        return workspaceChecks(cluster, o);
      case 'adaptive':
        return adaptiveChecks(cluster, o);
      case 'storage':
        return storageChecks(o, timeoutMs);
      case 'registry':
        return registryChecks(o, timeoutMs);
      case 'resource-group':
        return undefined;
    }
  };
  const perComponent = await Promise.all(
    components.map(async (c): Promise<HealthResult[]> => {
      const o = outputs.get(c.name);
      if (!o) return [{ component: c.name, check: 'stack', verdict: 'unknown', reason: 'not provisioned' }];
      return ((await checksOf(c, o)) ?? []).map((r) => ({ component: c.name, ...r }));
    }),
  );
  const results = perComponent.flat();
  return components.flatMap((c, i) => (c.kind === 'resource-group' && outputs.has(c.name) ? [{ component: c.name, ...resourceGroupCheck(results) }] : perComponent[i]));
}
