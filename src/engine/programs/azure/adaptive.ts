/** One adaptive run on AKS: its namespace, workers, config, secrets and (optionally) an in-cluster Postgres. */
import type * as pulumi from '@pulumi/pulumi';
import type * as appsV1 from '@pulumi/kubernetes/apps/v1';
import type * as coreV1 from '@pulumi/kubernetes/core/v1';
import type * as k8sInputs from '@pulumi/kubernetes/types/input';
import type { AdaptiveConfig } from '../../../core/config/types';
import { adaptiveNamespace } from '../../../core/names';
import { str, type AzureContext, type Outputs } from './context';
import { CONTAINER_SECURITY, POD_SECURITY, checksum, clusterProvider, imagePullPolicy, readyTimeouts, tolerations } from './kube';
import { stablePassword } from './password';
import { STORAGE_SECRET, resourcesOf } from './workspace';

export const DEFAULT_WORKER_COMMAND = ['python', '-m', 'modelops.adaptive.worker'];
export const POSTGRES_IMAGE = 'postgres:14-alpine';
const WORKERS = 'adaptive-workers';
/** The original's pod label for the workers (the Deployment's selector cannot change in place). */
const WORKER_POD_APP = 'adaptive-worker';
const RUN_SECRETS = 'run-secrets';
/** Stack config key (set with `pulumi config set --secret postgresPassword …`) that overrides the generated password. */
export const POSTGRES_PASSWORD_KEY = 'postgresPassword';

type K8s = { core: typeof coreV1; apps: typeof appsV1 };

export function workerCommandOf(command: AdaptiveConfig['workers']['command']): string[] {
  if (command === undefined) return DEFAULT_WORKER_COMMAND;
  return typeof command === 'string' ? command.trim().split(/\s+/) : command;
}

const dsnOf = (user: string, password: string, host: string, port: number, database: string): string =>
  `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}`;

export function adaptive(ctx: AzureContext): Outputs {
  const k8s: K8s = { core: require('@pulumi/kubernetes/core/v1'), apps: require('@pulumi/kubernetes/apps/v1') };
  const run = ctx.component.run!;
  const cfg = ctx.config.adaptive[run];
  const namespace = adaptiveNamespace(ctx.env, run);
  // Logical names are the original's (`{run}-…`, its component being named after the run): its state upgrades in place.
  const provider = clusterProvider(ctx);
  const parent = ctx.parent();
  const labels = { 'modelops.io/component': 'adaptive', 'modelops.io/run': run };
  const ns = new k8s.core.Namespace(`${run}-namespace`, { metadata: { name: namespace, labels } }, { provider, parent });
  const opts: pulumi.CustomResourceOptions = { provider, parent, dependsOn: [ns], deleteBeforeReplace: true, customTimeouts: readyTimeouts(ctx) };
  const meta = (name: string) => ({ name, namespace, labels: { ...labels, app: name } });

  const scheduler = ctx.has('workspace') ? str(ctx.from('workspace', 'scheduler_address')) : ctx.p.output('');
  const runSecrets: Record<string, pulumi.Input<string>> = {};
  if (ctx.has('storage')) {
    const connection = str(ctx.from('storage', 'connection_string'));
    new k8s.core.Secret(`${run}-storage-secret`, { metadata: meta(STORAGE_SECRET), stringData: { AZURE_STORAGE_CONNECTION_STRING: connection, AZURE_STORAGE_ACCOUNT: str(ctx.from('storage', 'account_name')) } }, opts);
    runSecrets.STORAGE_CONNECTION = connection;
  }
  new k8s.core.ConfigMap(`${run}-config`, { metadata: meta('adaptive-config'), data: { INFRA_NAME: run, ALGORITHM: cfg.algorithm, NAMESPACE: namespace, DASK_SCHEDULER: scheduler } }, opts);

  const dsn = centralStore(ctx, k8s, cfg, namespace, meta, opts);
  if (dsn) runSecrets.POSTGRES_DSN = dsn;
  new k8s.core.Secret(`${run}-secret`, { metadata: meta(RUN_SECRETS), stringData: runSecrets }, opts);

  const image = cfg.workers.image;
  if (!image) throw new Error(`adaptive.${run}.workers.image is required with provider: azure or kubernetes (the original's default adaptive worker image was never published)`);
  new k8s.apps.Deployment(
    `${run}-workers`,
    {
      metadata: meta(WORKERS),
      spec: {
        replicas: cfg.workers.replicas,
        selector: { matchLabels: { app: WORKER_POD_APP } },
        template: {
          metadata: { labels: { ...labels, app: WORKER_POD_APP }, annotations: { 'checksum/run-secrets': ctx.p.all(Object.values(runSecrets)).apply(checksum) } },
          spec: {
            securityContext: POD_SECURITY,
            tolerations: tolerations(undefined),
            containers: [
              {
                name: 'worker',
                image,
                imagePullPolicy: imagePullPolicy(image),
                command: workerCommandOf(cfg.workers.command),
                resources: resourcesOf(cfg.workers.resources, { cpu: '100m', memory: '256Mi' }, { cpu: '500m', memory: '512Mi' }),
                securityContext: CONTAINER_SECURITY,
                envFrom: ctx.has('storage') ? [{ secretRef: { name: STORAGE_SECRET, optional: true } }] : [],
                env: [
                  ...(dsn ? [{ name: 'POSTGRES_DSN', valueFrom: { secretKeyRef: { name: RUN_SECRETS, key: 'POSTGRES_DSN' } } }] : []),
                  { name: 'DASK_SCHEDULER', value: scheduler },
                  { name: 'ALGORITHM', value: cfg.algorithm },
                  { name: 'NAMESPACE', value: namespace },
                ],
              },
            ],
          },
        },
      },
    },
    opts,
  );

  return {
    name: run,
    namespace,
    scheduler_address: scheduler,
    ...(dsn ? { postgres_dsn: ctx.p.secret(dsn) } : {}),
    workers_name: WORKERS,
    worker_replicas: cfg.workers.replicas,
    algorithm: cfg.algorithm,
  };
}

/** The run's Postgres DSN: in-cluster (deployed here) or external; none for redis/none. */
function centralStore(ctx: AzureContext, k8s: K8s, cfg: AdaptiveConfig, namespace: string, meta: (name: string) => object, opts: pulumi.CustomResourceOptions): pulumi.Output<string> | undefined {
  const store = cfg.centralStore;
  if (store.kind !== 'postgres') return undefined;
  const configured = new ctx.p.Config().getSecret(POSTGRES_PASSWORD_KEY);
  if (store.mode === 'external') {
    if (!configured) throw new Error(`adaptive.${ctx.component.run}: an external Postgres needs its password in the stack config: pulumi config set --secret ${POSTGRES_PASSWORD_KEY} <password> --stack ${ctx.component.stack} (see docs/azure.md)`);
    return ctx.p.secret(configured.apply((password) => dsnOf(cfg.user, password, store.host!, store.port!, cfg.database)));
  }
  const password = configured ?? stablePassword(ctx.p, `${ctx.component.run}-postgres-password`, 24, { parent: ctx.parent() });
  const secret = new k8s.core.Secret(`${ctx.component.run}-postgres-secret`, { metadata: meta('postgres-secret'), stringData: { POSTGRES_USER: cfg.user, POSTGRES_PASSWORD: password, POSTGRES_DB: cfg.database } }, opts);
  const volume: k8sInputs.core.v1.Volume = { name: 'data', ...(cfg.persistence.enabled ? { persistentVolumeClaim: { claimName: 'postgres-data' } } : { emptyDir: {} }) };
  const dependsOn: pulumi.Resource[] = [secret];
  if (cfg.persistence.enabled) {
    dependsOn.push(
      new k8s.core.PersistentVolumeClaim(
        `${ctx.component.run}-postgres-pvc`,
        { metadata: meta('postgres-data'), spec: { accessModes: ['ReadWriteOnce'], storageClassName: cfg.persistence.storageClass, resources: { requests: { storage: cfg.persistence.size } } } },
        // A PVC holds the data: never delete it first to replace it.
        { ...opts, deleteBeforeReplace: false },
      ),
    );
  }
  new k8s.apps.Deployment(
    `${ctx.component.run}-postgres`,
    {
      metadata: meta('postgres'),
      spec: {
        replicas: 1,
        // A ReadWriteOnce volume cannot be attached to the old and the new pod at once.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { app: 'postgres' } },
        template: {
          metadata: { labels: { app: 'postgres' } },
          spec: {
            securityContext: { runAsUser: 999, runAsGroup: 999, fsGroup: 999, runAsNonRoot: true },
            tolerations: tolerations(undefined),
            volumes: [volume],
            containers: [
              {
                name: 'postgres',
                image: POSTGRES_IMAGE,
                imagePullPolicy: imagePullPolicy(POSTGRES_IMAGE),
                ports: [{ name: 'postgres', containerPort: 5432 }],
                envFrom: [{ secretRef: { name: 'postgres-secret' } }],
                // A subdirectory: the volume's root holds lost+found, which initdb refuses.
                env: [{ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' }],
                volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
                resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
                securityContext: CONTAINER_SECURITY,
                readinessProbe: { exec: { command: ['pg_isready', '-U', cfg.user, '-d', cfg.database] }, periodSeconds: 10 },
              },
            ],
          },
        },
      },
    },
    { ...opts, dependsOn: [...dependsOn, ...(Array.isArray(opts.dependsOn) ? opts.dependsOn : [])] },
  );
  new k8s.core.Service(`${ctx.component.run}-postgres-svc`, { metadata: meta('postgres'), spec: { selector: { app: 'postgres' }, ports: [{ name: 'postgres', port: 5432, targetPort: 5432 }] } }, opts);
  return ctx.p.secret(password.apply((p) => dsnOf(cfg.user, p, `postgres.${namespace}`, 5432, cfg.database)));
}
