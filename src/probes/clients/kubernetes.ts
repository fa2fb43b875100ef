/**
 * The few Kubernetes API reads the health checks need, through
 * @kubernetes/client-node with a kubeconfig held in memory (never written to
 * disk), each bounded by a time limit so a slow API cannot hang `health`.
 */
import type * as k8s from '@kubernetes/client-node';

/** Why a call gave no answer we can use. `timeout`, `unreachable` and `no-credentials` say nothing about the thing checked. */
export type FailureKind = 'timeout' | 'unreachable' | 'no-credentials' | 'tls' | 'unauthenticated' | 'forbidden' | 'not-found' | 'error';

export class CallFailure extends Error {
  constructor(readonly kind: FailureKind, message: string) {
    super(message);
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Sorts any failure of a timed call (HTTP status, socket error, TLS, abort) into a kind with a short reason. */
export function classify(error: unknown, what: string, timeoutMs: number): CallFailure {
  if (error instanceof CallFailure) return error;
  const status = (error as { code?: unknown }).code;
  if (typeof status === 'number') {
    const kind: FailureKind = status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : 'error';
    const message = (error as { body?: unknown }).body;
    const detail = typeof message === 'string' ? /"message":"([^"]*)"/.exec(message)?.[1] : undefined;
    return new CallFailure(kind, `${what}: HTTP ${status}${detail ? ` (${detail})` : ''}`);
  }
  const name = (error as { name?: unknown }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return new CallFailure('timeout', `${what}: no answer within ${timeoutMs / 1000} s`);
  const code = errorCode(error);
  if (code && UNREACHABLE.has(code)) return new CallFailure('unreachable', `${what}: ${code}`);
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME/.test(code)) return new CallFailure('tls', `${what}: TLS failed (${code})`);
  return new CallFailure('error', `${what}: ${(error as Error)?.message?.split('\n')[0] ?? String(error)}`);
}

/** Resolves with `work`'s result, or rejects with a `timeout` failure after `ms` (also aborting `work` through `signal`). */
export async function timed<T>(what: string, ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CallFailure('timeout', `${what}: no answer within ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } catch (error) {
    throw classify(error, what, ms);
  } finally {
    clearTimeout(timer);
  }
}

export interface NodeSummary {
  name: string;
  /** Its node pool, when a label names one. */
  pool?: string;
  ready: boolean;
  reason?: string;
}

export interface DeploymentSummary {
  desired: number;
  ready: number;
  available: number;
  /** The `Available` condition's message when it is not True. */
  unavailableReason?: string;
}

/**
 * Labels that name a node's pool: AKS (older clusters: `agentpool`), GKE, EKS managed node groups,
 * Karpenter. Clusters such as kind, k3s or kubeadm have no pools.
 */
const POOL_LABELS = ['kubernetes.azure.com/agentpool', 'agentpool', 'cloud.google.com/gke-nodepool', 'eks.amazonaws.com/nodegroup', 'karpenter.sh/nodepool'];

export function poolOf(labels: Record<string, string> | undefined): string | undefined {
  return POOL_LABELS.map((label) => labels?.[label]).find((pool) => pool !== undefined);
}

export class KubeReader {
  private readonly client: typeof k8s;
  private readonly config: k8s.KubeConfig;

  /** @throws CallFailure('error') when the kubeconfig cannot be read. */
  constructor(kubeconfig: string, private readonly timeoutMs: number) {
    // Loaded on first use: the client is large and only health needs it.
    this.client = require('@kubernetes/client-node') as typeof k8s;
    this.config = new this.client.KubeConfig();
    try {
      this.config.loadFromString(kubeconfig);
    } catch (error) {
      throw new CallFailure('error', `the kubeconfig cannot be read: ${(error as Error).message}`);
    }
    if (!this.config.getCurrentCluster()) throw new CallFailure('error', 'the kubeconfig names no current cluster');
  }

  get server(): string {
    return this.config.getCurrentCluster()?.server ?? '?';
  }

  private call<T>(what: string, run: (options: k8s.ConfigurationOptions) => Promise<T>): Promise<T> {
    return timed(what, this.timeoutMs, (signal) => {
      // The object-parameter API hands options to the observable API unwrapped: observable middleware.
      const { Observable } = this.client;
      const middleware: k8s.ObservableMiddleware = {
        pre: (context) => (context.setSignal(signal), new Observable(Promise.resolve(context))),
        post: (response) => new Observable(Promise.resolve(response)),
      };
      return run({ middleware: [middleware], middlewareMergeStrategy: 'append' });
    });
  }

  /** The server's version: proves it answers (usually allowed without credentials). */
  async version(): Promise<string> {
    const api = this.config.makeApiClient(this.client.VersionApi);
    return (await this.call('GET /version', (o) => api.getCode({}, o))).gitVersion;
  }

  /** A discovery read that needs an authenticated user. */
  async authenticate(): Promise<void> {
    const api = this.config.makeApiClient(this.client.CoreV1Api);
    await this.call('GET /api/v1', (o) => api.getAPIResources({}, o));
  }

  async nodes(): Promise<NodeSummary[]> {
    const api = this.config.makeApiClient(this.client.CoreV1Api);
    const list = await this.call('list nodes', (o) => api.listNode({}, o));
    return list.items.map((node) => {
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      return { name: node.metadata?.name ?? '?', pool: poolOf(node.metadata?.labels), ready: ready?.status === 'True', reason: ready ? ready.reason ?? ready.message : 'no Ready condition' };
    });
  }

  /**
   * Whether the object exists (`apiVersion` and `kind` as a manifest writes them): true or false,
   * or a CallFailure when the server cannot say (unreachable, refused, 5xx).
   */
  async objectExists(apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean> {
    const what = `GET ${kind} ${namespace ? `${namespace}/` : ''}${name}`;
    const api = this.client.KubernetesObjectApi.makeApiClient(this.config);
    try {
      await timed(what, this.timeoutMs, () => api.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } }));
      return true;
    } catch (error) {
      const failure = classify(error, what, this.timeoutMs);
      if (failure.kind === 'not-found') return false;
      throw failure;
    }
  }

  async deployment(namespace: string, name: string): Promise<DeploymentSummary> {
    const api = this.config.makeApiClient(this.client.AppsV1Api);
    const d = await this.call(`deployment ${namespace}/${name}`, (o) => api.readNamespacedDeployment({ namespace, name }, o));
    const available = d.status?.conditions?.find((c) => c.type === 'Available');
    return {
      desired: d.spec?.replicas ?? 1,
      ready: d.status?.readyReplicas ?? 0,
      available: d.status?.availableReplicas ?? 0,
      ...(available?.status === 'True' ? {} : { unavailableReason: available?.message ?? available?.reason ?? 'no Available condition yet' }),
    };
  }
}
