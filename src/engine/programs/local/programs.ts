/**
 * `provider: local`: the same components, output names and secret flags as on
 * Azure, made of files and folders under the local root, with real
 * StackReferences between the stacks. Faults from `local.faults` are injected here.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type * as pulumi from '@pulumi/pulumi';
import type { Component } from '../../../core/components';
import type { InfraConfig, LocalFault } from '../../../core/config/types';
import * as names from '../../../core/names';
import { clusterDirOf, kubeconfigYaml } from '../../../core/localCluster';
import type { ProgramContext } from '../types';
import { localProvider, type LocalResourceInputs } from './provider';

type Pulumi = typeof pulumi;
type Outputs = Record<string, unknown>;

const NO_FAULT: LocalFault = { omitOutputs: [], stepDelayMs: 0 };

/** Creates the component's resources one after another, so a fault hits a well-defined step. */
class ResourceChain {
  private count = 0;
  private last?: pulumi.Resource;
  private readonly Resource: new (name: string, inputs: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) => pulumi.dynamic.Resource;

  constructor(p: Pulumi, private readonly component: string, private readonly fault: LocalFault) {
    const provider = localProvider;
    this.Resource = class LocalResource extends p.dynamic.Resource {
      constructor(name: string, inputs: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(provider, name, { token: undefined, ...inputs }, opts, 'modelops-local', 'LocalResource');
      }
    };
  }

  add(name: string, inputs: { path: pulumi.Input<string>; kind: LocalResourceInputs['kind']; content?: pulumi.Input<string>; withToken?: boolean }): pulumi.dynamic.Resource & { token: pulumi.Output<string> } {
    const index = this.count++;
    const failing = this.fault.failAfterResources !== undefined && index >= this.fault.failAfterResources;
    const resource = new this.Resource(
      name,
      {
        ...inputs,
        delayMs: this.fault.stepDelayMs,
        fail: failing ? `injected fault: ${this.component} fails after creating ${this.fault.failAfterResources} resource(s) (local.faults.${this.component}.fail_after_resources)` : undefined,
      },
      { dependsOn: this.last ? [this.last] : [], additionalSecretOutputs: ['token', 'content'] },
    );
    this.last = resource;
    return resource as pulumi.dynamic.Resource & { token: pulumi.Output<string> };
  }
}

function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

interface LocalContext extends ProgramContext {
  p: Pulumi;
  chain: ResourceChain;
  envRoot: string;
  user?: string;
}

function ref(ctx: LocalContext, from: string): pulumi.StackReference {
  const c = ctx.componentsByName.get(from)!;
  return new ctx.p.StackReference(c.reference);
}

function resourceGroup(ctx: LocalContext): Outputs {
  const name = names.resourceGroupNameFor(ctx.config, ctx.env);
  const rg = ctx.chain.add('resource-group', { path: join(ctx.envRoot, 'resource-groups', name), kind: 'dir' });
  return { resource_group_name: name, resource_group_id: rg.id.apply((id) => `/local/resourceGroups/${name}#${fingerprint(id)}`), location: ctx.config.location, environment: ctx.env };
}

function registry(ctx: LocalContext): Outputs {
  const cfg = ctx.config.registry;
  const name = names.registryNameFor(ctx.config, ctx.env);
  const acr = ctx.chain.add('registry', { path: join(ctx.envRoot, 'registries', name), kind: 'dir', withToken: true });
  return {
    login_server: `${name}.registry.local`,
    registry_name: name,
    registry_id: acr.id.apply((id) => `/local/registries/${name}#${fingerprint(id)}`),
    provider: 'local',
    requires_auth: true,
    bundles_pull_username: name,
    bundles_pull_password: ctx.p.secret(acr.token),
    bundle_repo: cfg?.bundleRepo ?? 'modelops-bundles',
  };
}

function cluster(ctx: LocalContext): Outputs {
  const name = names.clusterName(ctx.env, ctx.user);
  const dir = join(ctx.envRoot, 'clusters', name);
  const root = ctx.chain.add('cluster', { path: dir, kind: 'dir', withToken: true });
  const pools = ctx.config.aks?.nodePools.length ? ctx.config.aks.nodePools : [{ name: 'system', mode: 'System' }, { name: 'cpuworkers', mode: 'User' }];
  for (const pool of pools) {
    ctx.chain.add(`nodepool-${pool.name}`, { path: join(dir, 'nodepools', `${pool.name}.json`), kind: 'file', content: JSON.stringify(pool) });
  }
  const kubeconfig = root.token.apply((token) => kubeconfigYaml(name, dir, token));
  ctx.chain.add('kubeconfig', { path: join(dir, 'kubeconfig.yaml'), kind: 'file', content: kubeconfig });
  return {
    kubeconfig: ctx.p.secret(kubeconfig),
    cluster_name: name,
    resource_group: names.resourceGroupNameFor(ctx.config, ctx.env),
    location: ctx.config.location,
    provider: 'local',
  };
}

function storage(ctx: LocalContext): Outputs {
  const name = ctx.config.storage?.accountName ?? names.storageAccountName(ctx.env, ctx.user);
  const dir = join(ctx.envRoot, 'storage', name);
  const account = ctx.chain.add('storage-account', { path: dir, kind: 'dir', withToken: true });
  for (const container of names.STANDARD_CONTAINERS) ctx.chain.add(`${container}-container`, { path: join(dir, container), kind: 'dir' });
  const endpoint = `file://${dir}/`;
  return {
    account_name: name,
    resource_group: names.resourceGroupNameFor(ctx.config, ctx.env),
    connection_string: ctx.p.secret(account.token.apply((key) => `DefaultEndpointsProtocol=file;AccountName=${name};AccountKey=${key};BlobEndpoint=${endpoint}`)),
    sas_connection_string: ctx.p.secret(account.token.apply((key) => `BlobEndpoint=${endpoint};SharedAccessSignature=sv=local&sp=rl&sig=${fingerprint(key)}`)),
    primary_endpoint: endpoint,
    containers: [...names.STANDARD_CONTAINERS],
    location: ctx.config.storage?.location ?? ctx.config.location,
    environment: ctx.env,
  };
}

function workerSpec(spec: Record<string, unknown>): { replicas: number; processes: number; threads: number } {
  const workers = (spec.workers ?? {}) as Record<string, unknown>;
  const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);
  return { replicas: num(workers.replicas, 3), processes: num(workers.processes, 1), threads: num(workers.threads, 2) };
}

function workspace(ctx: LocalContext): Outputs {
  const cfg = ctx.config.workspace!;
  const namespace = names.workspaceNamespace(ctx.env, cfg.metadata.namespace);
  const clusterDir = ref(ctx, 'cluster').requireOutput('kubeconfig').apply((k) => clusterDirOf(String(k)));
  const nsDir = clusterDir.apply((d) => join(d, 'namespaces', namespace));
  ctx.chain.add('namespace', { path: nsDir, kind: 'dir' });
  if (ctx.componentsByName.has('storage')) {
    const storageRef = ref(ctx, 'storage');
    const body = ctx.p
      .all([storageRef.requireOutput('account_name'), storageRef.requireOutput('connection_string')])
      .apply(([account, conn]) => JSON.stringify({ account, fingerprint: fingerprint(String(conn)) }));
    ctx.chain.add('storage-secret', { path: nsDir.apply((d) => join(d, 'secrets', 'modelops-storage.json')), kind: 'file', content: body });
  }
  if (ctx.componentsByName.has('registry')) {
    const registryRef = ref(ctx, 'registry');
    const body = ctx.p.all([registryRef.requireOutput('login_server'), registryRef.requireOutput('bundles_pull_username'), registryRef.requireOutput('bundles_pull_password')]).apply(([server, user, password]) =>
      JSON.stringify({ server, user, fingerprint: fingerprint(String(password)) }),
    );
    ctx.chain.add('bundle-credentials', { path: nsDir.apply((d) => join(d, 'secrets', 'bundle-credentials.json')), kind: 'file', content: body });
  }
  const workers = workerSpec(cfg.spec);
  const address = `tcp://dask-scheduler.${namespace}:8786`;
  ctx.chain.add('dask-scheduler', { path: nsDir.apply((d) => join(d, 'deployments', 'dask-scheduler.json')), kind: 'file', content: JSON.stringify({ address, spec: cfg.spec.scheduler ?? {} }) });
  ctx.chain.add('dask-workers', { path: nsDir.apply((d) => join(d, 'deployments', 'dask-workers.json')), kind: 'file', content: JSON.stringify({ scheduler: address, ...workers }) });
  return {
    scheduler_address: address,
    dashboard_url: `http://dask-scheduler.${namespace}:8787`,
    namespace,
    worker_count: workers.replicas,
    worker_processes: workers.processes,
    worker_threads: workers.threads,
    autoscaling_enabled: false,
  };
}

function adaptive(ctx: LocalContext): Outputs {
  const run = ctx.component.run!;
  const cfg = ctx.config.adaptive[run];
  const namespace = names.adaptiveNamespace(ctx.env, run);
  const clusterDir = ref(ctx, 'cluster').requireOutput('kubeconfig').apply((k) => clusterDirOf(String(k)));
  const nsDir = clusterDir.apply((d) => join(d, 'namespaces', namespace));
  ctx.chain.add('namespace', { path: nsDir, kind: 'dir' });
  const scheduler = ctx.componentsByName.has('workspace') ? ref(ctx, 'workspace').requireOutput('scheduler_address') : ctx.p.output('');
  const storageConnection = ctx.componentsByName.has('storage') ? ref(ctx, 'storage').requireOutput('connection_string') : ctx.p.output('');
  const configBody = ctx.p.all([scheduler, storageConnection]).apply(([s, conn]) => JSON.stringify({ algorithm: cfg.algorithm, scheduler: s, namespace, storage: fingerprint(String(conn)) }));
  ctx.chain.add('adaptive-config', { path: nsDir.apply((d) => join(d, 'configmaps', 'adaptive-config.json')), kind: 'file', content: configBody });
  let dsn: pulumi.Output<string> | undefined;
  if (cfg.centralStore.kind === 'postgres') {
    const db = ctx.chain.add('postgres', { path: nsDir.apply((d) => join(d, 'deployments', 'postgres.json')), kind: 'file', content: JSON.stringify({ database: cfg.database, user: cfg.user }), withToken: true });
    dsn = ctx.p.secret(db.token.apply((password) => `postgresql://${cfg.user}:${password}@postgres.${namespace}:5432/${cfg.database}`));
  }
  ctx.chain.add('adaptive-workers', { path: nsDir.apply((d) => join(d, 'deployments', 'adaptive-workers.json')), kind: 'file', content: JSON.stringify({ replicas: cfg.workers.replicas }) });
  return {
    name: run,
    namespace,
    scheduler_address: scheduler,
    ...(dsn ? { postgres_dsn: dsn } : {}),
    workers_name: 'adaptive-workers',
    worker_replicas: cfg.workers.replicas,
    algorithm: cfg.algorithm,
  };
}

const PROGRAMS: Record<Component['kind'], (ctx: LocalContext) => Outputs> = {
  'resource-group': resourceGroup,
  registry,
  cluster,
  storage,
  workspace,
  adaptive,
};

export function localRoot(config: InfraConfig, modelopsHome: string): string {
  return config.local.root ?? join(modelopsHome, 'local-cloud');
}

/** The Pulumi program of one component on the local provider. */
export function localProgram(ctx: ProgramContext, p: Pulumi): () => Promise<Outputs> {
  return async () => {
    const fault = ctx.config.local.faults[ctx.component.name] ?? NO_FAULT;
    const local: LocalContext = {
      ...ctx,
      p,
      chain: new ResourceChain(p, ctx.component.name, fault),
      envRoot: join(localRoot(ctx.config, ctx.modelopsHome), ctx.env),
      user: ctx.config.username,
    };
    const outputs = PROGRAMS[ctx.component.kind](local);
    for (const omitted of fault.omitOutputs) delete outputs[omitted];
    return outputs;
  };
}
