/** The Dask workspace on AKS: scheduler (+ service, PDB), workers (+ HPA), and the secrets they read. */
import type * as pulumi from '@pulumi/pulumi';
import type * as appsV1 from '@pulumi/kubernetes/apps/v1';
import type * as autoscalingV2 from '@pulumi/kubernetes/autoscaling/v2';
import type * as coreV1 from '@pulumi/kubernetes/core/v1';
import type * as policyV1 from '@pulumi/kubernetes/policy/v1';
import type * as k8sInputs from '@pulumi/kubernetes/types/input';
import { workspaceNamespace } from '../../../core/names';
import { str, type AzureContext, type Outputs } from './context';
import { CONTAINER_SECURITY, POD_SECURITY, checksum, clusterProvider, daskMemoryLimit, envList, imagePullPolicy, readyTimeouts, record, tolerations } from './kube';

export const SCHEDULER_PORT = 8786;
export const DASHBOARD_PORT = 8787;
const SCHEDULER = 'dask-scheduler';
const WORKERS = 'dask-workers';
/**
 * The original's pod labels, which its CLI and users' kubectl select on (`-l app=dask-worker`); a
 * Deployment's selector cannot change in place, so these also keep the original's Deployments.
 */
const SCHEDULER_POD = { app: 'dask-scheduler', 'modelops.io/component': 'scheduler' };
const WORKER_POD = { app: 'dask-worker', 'modelops.io/component': 'worker' };
export const STORAGE_SECRET = 'modelops-storage';
const BUNDLE_SECRET = 'bundle-credentials';

type Resources = { requests: Record<string, string>; limits: Record<string, string> };

type Quantities = { cpu: string; memory: string };

/** Requests and limits with defaults; a value given on one side only fills the other, so a limit never falls below its request. */
export function resourcesOf(configured: unknown, requestDefaults: Quantities, limitDefaults: Quantities = requestDefaults): Resources {
  const r = record(configured);
  const requests = record(r.requests);
  const limits = record(r.limits);
  const pick = (key: keyof Quantities, first: Record<string, unknown>, second: Record<string, unknown>, fallback: Quantities): string => String(first[key] ?? second[key] ?? fallback[key]);
  return {
    requests: { cpu: pick('cpu', requests, limits, requestDefaults), memory: pick('memory', requests, limits, requestDefaults) },
    limits: { cpu: pick('cpu', limits, requests, limitDefaults), memory: pick('memory', limits, requests, limitDefaults) },
  };
}

export interface WorkspaceShape {
  schedulerImage: string;
  schedulerReplicas: number;
  workerImage: string;
  processes: number;
  threads: number;
  workerResources: Resources;
  autoscaling?: { min: number; max: number; targetCpu: number; scaleDownDelay: number };
  replicas: number;
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * The original's defaults: 1 scheduler; workers of 1 process × 2 threads in 4Gi / 2 CPU pods, scaled by
 * an HPA from 2 to 20 at 70% CPU unless `autoscaling.enabled: false` (then 3, or `workers.replicas`).
 */
export function workspaceShape(spec: Record<string, unknown>): WorkspaceShape {
  const scheduler = record(spec.scheduler);
  const workers = record(spec.workers);
  const auto = record(spec.autoscaling);
  const autoscaling =
    auto.enabled !== false
      ? { min: num(auto.min_workers, 2), max: num(auto.max_workers, 20), targetCpu: num(auto.target_cpu, 70), scaleDownDelay: num(auto.scale_down_delay, 300) }
      : undefined;
  return {
    schedulerImage: String(scheduler.image ?? ''),
    schedulerReplicas: num(scheduler.replicas, 1),
    workerImage: String(workers.image ?? ''),
    processes: num(workers.processes, 1),
    threads: num(workers.threads, 2),
    workerResources: resourcesOf(workers.resources, { cpu: '2', memory: '4Gi' }),
    autoscaling,
    replicas: autoscaling ? autoscaling.min : num(workers.replicas, 3),
  };
}

export function workerCommand(shape: WorkspaceShape): string[] {
  return [
    'dask-worker',
    `tcp://${SCHEDULER}:${SCHEDULER_PORT}`,
    '--nworkers', String(shape.processes),
    '--nthreads', String(shape.threads),
    '--memory-limit', daskMemoryLimit(shape.workerResources.limits.memory, shape.processes),
    '--resources', 'aggregation=1',
  ];
}

export function workspace(ctx: AzureContext): Outputs {
  const core = require('@pulumi/kubernetes/core/v1') as typeof coreV1;
  const apps = require('@pulumi/kubernetes/apps/v1') as typeof appsV1;
  const policy = require('@pulumi/kubernetes/policy/v1') as typeof policyV1;
  const cfg = ctx.config.workspace!;
  const spec = cfg.spec;
  const shape = workspaceShape(spec);
  if (!shape.schedulerImage || !shape.workerImage) throw new Error('workspace.spec.scheduler.image and workspace.spec.workers.image are required with provider: azure or kubernetes');
  const namespace = workspaceNamespace(ctx.env, cfg.metadata.namespace);
  // Logical names are the original's (`dask-…`, its component's name first): its state upgrades in place.
  const provider = clusterProvider(ctx);
  const parent = ctx.parent();
  const labels = { 'modelops.io/component': 'workspace', 'modelops.io/workspace': cfg.metadata.name };
  const ns = new core.Namespace('dask-namespace', { metadata: { name: namespace, labels } }, { provider, parent });
  const opts: pulumi.CustomResourceOptions = { provider, parent, dependsOn: [ns], deleteBeforeReplace: true, customTimeouts: readyTimeouts(ctx) };
  const meta = (name: string) => ({ name, namespace, labels: { ...labels, app: name } });

  const secretMaterial: pulumi.Output<unknown>[] = [];
  const envFrom: k8sInputs.core.v1.EnvFromSource[] = [];
  const env: k8sInputs.core.v1.EnvVar[] = [];
  if (ctx.has('storage')) {
    const connection = str(ctx.from('storage', 'connection_string'));
    const account = str(ctx.from('storage', 'account_name'));
    new core.Secret('dask-storage-secret', { metadata: meta(STORAGE_SECRET), stringData: { AZURE_STORAGE_CONNECTION_STRING: connection, AZURE_STORAGE_ACCOUNT: account } }, opts);
    secretMaterial.push(connection, account);
    envFrom.push({ secretRef: { name: STORAGE_SECRET, optional: true } });
  }
  if (ctx.has('registry')) {
    const server = str(ctx.from('registry', 'login_server'));
    const data: Record<string, pulumi.Input<string>> = {
      REGISTRY_SERVER: server,
      REGISTRY_USERNAME: str(ctx.from('registry', 'bundles_pull_username')),
      REGISTRY_PASSWORD: str(ctx.from('registry', 'bundles_pull_password')),
    };
    // No AZURE_STORAGE_CONNECTION_STRING here: with both secrets in envFrom the later one wins, and the
    // read-only SAS (bundle-blobs only) would shadow the account's string, so results could not be written.
    // The original meant to add the SAS but read it from an output storage never exported.
    new core.Secret('dask-bundle-credentials', { metadata: meta(BUNDLE_SECRET), stringData: data }, opts);
    secretMaterial.push(...Object.values(data).map((v) => ctx.p.output(v)));
    envFrom.push({ secretRef: { name: BUNDLE_SECRET } });
    env.push({ name: 'MODELOPS_BUNDLE_REGISTRY', value: server });
  }
  const annotations = { 'checksum/bundle-credentials': ctx.p.all(secretMaterial).apply(checksum) };

  const scheduler = record(spec.scheduler);
  const workers = record(spec.workers);
  const pod = (podLabels: Record<string, string>, part: Record<string, unknown>, container: k8sInputs.core.v1.Container, extraAnnotations: Record<string, string> = {}): k8sInputs.core.v1.PodTemplateSpec => ({
    metadata: { labels: { ...labels, ...podLabels }, annotations: { ...annotations, ...extraAnnotations } },
    spec: {
      securityContext: POD_SECURITY,
      tolerations: tolerations(spec.tolerations),
      ...(part.nodeSelector ? { nodeSelector: part.nodeSelector as Record<string, string> } : {}),
      containers: [{ ...container, imagePullPolicy: imagePullPolicy(String(container.image)), securityContext: CONTAINER_SECURITY, envFrom, env: [...env, ...envList(part.env)] }],
    },
  });

  new apps.Deployment(
    'dask-scheduler',
    {
      metadata: { ...meta(SCHEDULER), labels: { ...labels, ...SCHEDULER_POD } },
      spec: {
        replicas: shape.schedulerReplicas,
        selector: { matchLabels: { app: SCHEDULER_POD.app } },
        template: pod(
          SCHEDULER_POD,
          scheduler,
          {
            name: SCHEDULER,
            image: shape.schedulerImage,
            command: ['dask-scheduler'],
            ports: [
              { name: 'tcp-comm', containerPort: SCHEDULER_PORT },
              { name: 'http-dashboard', containerPort: DASHBOARD_PORT },
            ],
            resources: resourcesOf(scheduler.resources, { cpu: '1', memory: '2Gi' }),
            readinessProbe: { tcpSocket: { port: SCHEDULER_PORT }, initialDelaySeconds: 5, periodSeconds: 10 },
          },
          { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' },
        ),
      },
    },
    opts,
  );
  new core.Service(
    'dask-scheduler-svc',
    {
      metadata: { ...meta(SCHEDULER), labels: { ...labels, ...SCHEDULER_POD } },
      spec: {
        type: 'ClusterIP',
        selector: { app: SCHEDULER_POD.app },
        ports: [
          { name: 'tcp-comm', port: SCHEDULER_PORT, targetPort: SCHEDULER_PORT },
          { name: 'http-dashboard', port: DASHBOARD_PORT, targetPort: DASHBOARD_PORT },
        ],
      },
    },
    opts,
  );
  // One scheduler, so `minAvailable: 1` would refuse every eviction and no node drain (AKS upgrades) could finish.
  new policy.PodDisruptionBudget('dask-scheduler-pdb', { metadata: meta('dask-scheduler-pdb'), spec: { maxUnavailable: 1, selector: { matchLabels: { app: SCHEDULER_POD.app } } } }, opts);

  const workerDeployment = new apps.Deployment(
    'dask-workers',
    {
      metadata: { ...meta(WORKERS), labels: { ...labels, app: WORKER_POD.app, 'modelops.io/component': 'workers' } },
      spec: {
        replicas: shape.replicas,
        selector: { matchLabels: { app: WORKER_POD.app } },
        template: pod(WORKER_POD, workers, { name: 'dask-worker', image: shape.workerImage, command: workerCommand(shape), resources: shape.workerResources }),
      },
    },
    // Under an HPA the replica count is the autoscaler's: an up must not put it back to the minimum.
    shape.autoscaling ? { ...opts, ignoreChanges: ['spec.replicas'] } : opts,
  );
  if (shape.autoscaling) workerAutoscaler(namespace, labels, shape.autoscaling, workerDeployment, opts);

  return {
    scheduler_address: `tcp://${SCHEDULER}.${namespace}:${SCHEDULER_PORT}`,
    dashboard_url: `http://${SCHEDULER}.${namespace}:${DASHBOARD_PORT}`,
    namespace,
    scheduler_service_name: SCHEDULER,
    scheduler_port: SCHEDULER_PORT,
    dashboard_port: DASHBOARD_PORT,
    worker_count: shape.autoscaling ? `${shape.autoscaling.min}-${shape.autoscaling.max}` : shape.replicas,
    worker_processes: shape.processes,
    worker_threads: shape.threads,
    autoscaling_enabled: shape.autoscaling !== undefined,
    ...(shape.autoscaling ? { autoscaling_min: shape.autoscaling.min, autoscaling_max: shape.autoscaling.max } : {}),
  };
}

function workerAutoscaler(namespace: string, labels: Record<string, string>, auto: NonNullable<WorkspaceShape['autoscaling']>, target: appsV1.Deployment, opts: pulumi.CustomResourceOptions): void {
  const autoscaling = require('@pulumi/kubernetes/autoscaling/v2') as typeof autoscalingV2;
  new autoscaling.HorizontalPodAutoscaler(
    'dask-workers-hpa',
    {
      metadata: { name: 'dask-workers-hpa', namespace, labels: { ...labels, app: WORKER_POD.app, 'modelops.io/component': 'workers' } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target.metadata.name },
        minReplicas: auto.min,
        maxReplicas: auto.max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: auto.targetCpu } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: auto.scaleDownDelay, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } },
      },
    },
    opts,
  );
}
