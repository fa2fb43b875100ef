/**
 * The spec of a component: what its program is run with — the parts of azure.yaml it reads,
 * after defaults, plus the program's own version. Every successful update records the spec
 * and its hash with the stack (as stack config, which the backend's history keeps per
 * update), so any machine can tell whether azure.yaml changed since the last up.
 * Faults injected with `local.faults` are rehearsal, not desired state: not part of it.
 */
import { createHash } from 'node:crypto';
import type { Component, ComponentKind } from './components';
import type { InfraConfig } from './config/types';

/** Bump when a provider's programs change what they deploy for the same azure.yaml. */
export const PROGRAM_VERSIONS: Readonly<Record<InfraConfig['provider'], string>> = { local: '1', azure: '1', kubernetes: '1' };

/** Stack config keys the spec is recorded under (namespace `modelops`). */
export const SPEC_CONFIG_KEY = 'modelops:spec';
export const SPEC_HASH_CONFIG_KEY = 'modelops:specHash';

export type SpecState = 'current' | 'changed' | 'unknown';

export type Spec = Record<string, unknown>;

function sectionsFor(kind: ComponentKind, config: InfraConfig, run?: string): Spec {
  const placement = { location: config.location, resourceGroup: config.resourceGroup, username: config.username, subscriptionId: config.subscriptionId };
  switch (kind) {
    case 'resource-group':
      return placement;
    case 'registry':
      return { ...placement, registry: config.registry, acr: config.acr };
    case 'cluster':
      return { ...placement, aks: config.aks, ssh: config.ssh, hasRegistry: !!(config.registry || config.acr), kubernetes: clusterOf(config.kubernetes) };
    case 'storage':
      return { ...placement, storage: storageOf(config.storage) };
    case 'workspace':
      return { ...placement, workspace: config.workspace, hasStorage: !!config.storage, hasRegistry: !!(config.registry || config.acr) };
    case 'adaptive':
      return { ...placement, adaptive: run === undefined ? undefined : config.adaptive[run], hasWorkspace: !!config.workspace, hasStorage: !!config.storage };
  }
}

// `ready_timeout` is how long up waits, not what it deploys: not part of any spec.
const clusterOf = (k: InfraConfig['kubernetes']) => (k ? { kubeconfig: k.kubeconfig, context: k.context } : undefined);

/** The spec is kept in stack config, in plain text: a connection string written in azure.yaml goes in as a digest. */
function storageOf(storage: InfraConfig['storage']): Spec | undefined {
  if (!storage?.connectionString) return storage as Spec | undefined;
  return { ...storage, connectionString: `sha256:${createHash('sha256').update(storage.connectionString).digest('hex').slice(0, 16)}` };
}

/** The spec of `component` in environment `env`. */
export function specOf(config: InfraConfig, component: Component, env: string): Spec {
  return {
    program: `${config.provider}/${component.kind}@${PROGRAM_VERSIONS[config.provider]}`,
    env,
    localRoot: config.provider === 'local' ? config.local.root : undefined,
    ...sectionsFor(component.kind, config, component.run),
  };
}

/** JSON with sorted keys and no undefined values: equal specs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function specHash(spec: Spec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex').slice(0, 16);
}

/** Whether the spec a stack was last deployed with is the one azure.yaml gives now. */
export function specState(current: string, recorded: string | undefined): SpecState {
  if (recorded === undefined) return 'unknown';
  return recorded === current ? 'current' : 'changed';
}

/**
 * Which top-level parts of a spec differ from another, e.g. `workspace.spec.workers.replicas`.
 * Paths only, never values: specs may hold secrets.
 */
export function specDifferences(before: Spec, after: Spec, prefix = ''): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const out: string[] = [];
  for (const k of keys) {
    const a = before[k];
    const b = after[k];
    if (canonicalJson(a) === canonicalJson(b)) continue;
    const path = prefix ? `${prefix}.${k}` : k;
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) out.push(...specDifferences(a as Spec, b as Spec, path));
    else out.push(path);
  }
  return out;
}

/**
 * The config to run `component`'s program with so that it deploys `spec` (an earlier
 * spec of that component): its sections of azure.yaml replaced by the spec's. Refused, with
 * why, when the spec cannot be restored by re-running the program: another provider, another
 * program, or another shape of the graph around it.
 */
export function configForSpec(config: InfraConfig, component: Component, env: string, spec: Spec): { config: InfraConfig } | { refused: string } {
  const now = specOf(config, component, env);
  if (spec.program !== now.program) return { refused: `that spec was deployed by ${String(spec.program)}, and this is ${String(now.program)}: re-running today's program with it is not a rollback` };
  if (spec.env !== env) return { refused: `that spec belongs to environment ${String(spec.env)}` };
  for (const flag of ['hasRegistry', 'hasStorage', 'hasWorkspace'] as const) {
    if (spec[flag] !== now[flag]) return { refused: `the components around ${component.name} changed since then (${flag.slice(3).toLowerCase()} ${spec[flag] ? 'was there' : 'was not there'}); edit azure.yaml instead` };
  }
  const next: InfraConfig = structuredClone(config);
  const placement = ['location', 'resourceGroup', 'username', 'subscriptionId'] as const;
  for (const key of placement) (next as unknown as Record<string, unknown>)[key] = spec[key];
  const take = (key: keyof InfraConfig) => ((next as unknown as Record<string, unknown>)[key] = spec[key]);
  switch (component.kind) {
    case 'registry':
      take('registry');
      take('acr');
      break;
    case 'cluster':
      take('aks');
      take('ssh');
      break;
    case 'storage':
      take('storage');
      break;
    case 'workspace':
      take('workspace');
      break;
    case 'adaptive':
      if (component.run !== undefined) next.adaptive = { ...next.adaptive, [component.run]: spec.adaptive as InfraConfig['adaptive'][string] };
      break;
    case 'resource-group':
      break;
  }
  if (config.provider === 'local') next.local = { ...next.local, root: spec.localRoot as string | undefined };
  return { config: next };
}
