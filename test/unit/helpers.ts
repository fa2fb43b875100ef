/** Small builders shared by the core tests: configs, stack states, graphs, random DAGs. */
import fc from 'fast-check';
import type { Component } from '../../src/core/components';
import type { AdaptiveConfig, InfraConfig, WorkspaceConfig } from '../../src/core/config/types';
import { DependencyGraph } from '../../src/core/graph';
import type { OutputState, StackState } from '../../src/core/state';

export const WORKSPACE: WorkspaceConfig = {
  apiVersion: 'modelops/v1',
  kind: 'Workspace',
  metadata: { name: 'default' },
  spec: {},
};

export const ADAPTIVE: AdaptiveConfig = {
  algorithm: 'optuna',
  centralStore: { kind: 'postgres', mode: 'in-cluster' },
  persistence: { enabled: false, size: '1Gi', storageClass: 'default' },
  database: 'optuna',
  user: 'optuna',
  workers: { replicas: 1 },
};

/** A local config with storage, workspace and the given adaptive runs (override anything). */
export function localConfig(overrides: Partial<InfraConfig> = {}, runs: string[] = ['default']): InfraConfig {
  return {
    provider: 'local',
    location: 'local',
    storage: { sku: 'Standard_LRS' },
    workspace: WORKSPACE,
    adaptive: Object.fromEntries(runs.map((r) => [r, ADAPTIVE])),
    pulumi: {},
    dependsOn: {},
    local: { faults: {} },
    ...overrides,
  };
}

/** A full Azure config: resource group, registry, AKS, storage, workspace, adaptive runs. */
export function azureConfig(overrides: Partial<InfraConfig> = {}, runs: string[] = ['default']): InfraConfig {
  return localConfig(
    {
      provider: 'azure',
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      location: 'eastus2',
      resourceGroup: 'modelops-rg',
      username: 'alice',
      aks: { nodePools: [], network: { serviceCidr: '10.0.0.0/16', dnsServiceIp: '10.0.0.10' } },
      registry: { sku: 'Basic', perUserRegistry: true, grantClusterPull: true, bundleRepo: 'bundles' },
      ...overrides,
    },
    runs,
  );
}

/** The graph the engine builds (src/engine/context.ts graphEdges): `uses` edges plus depends_on. */
export function graphOf(components: readonly Component[], dependsOn: Record<string, string[]> = {}): DependencyGraph {
  const edges: Record<string, string[]> = {};
  for (const c of components) edges[c.name] = c.uses.map((u) => u.from);
  for (const [node, targets] of Object.entries(dependsOn)) edges[node] = [...(edges[node] ?? []), ...targets];
  return new DependencyGraph(
    components.map((c) => c.name),
    edges,
  );
}

const READ_AT = '2025-01-01T00:00:00.000Z';

export function plain(value: unknown): OutputState {
  return { secret: false, empty: false, value };
}

/** A stack whose last update succeeded and that exports every required output of `component`. */
export function readyState(component: Component, overrides: Partial<StackState> = {}): StackState {
  const outputs: Record<string, OutputState> = {};
  for (const o of component.requiredOutputs) outputs[o.name] = o.secret ? { secret: true, empty: false } : plain(`${o.name}-value`);
  return {
    stack: component.stack,
    exists: true,
    lastUpdate: { kind: 'update', result: 'succeeded' },
    pendingOperations: [],
    outputs,
    resourceCount: 3,
    readAt: READ_AT,
    ...overrides,
  };
}

/** readyState without the named outputs, or with them replaced. */
export function withOutputs(state: StackState, changes: Record<string, OutputState | undefined>): StackState {
  const outputs = { ...state.outputs };
  for (const [name, o] of Object.entries(changes)) {
    if (o === undefined) delete outputs[name];
    else outputs[name] = o;
  }
  return { ...state, outputs };
}

/** Every component ready, then the overrides (by component name). */
export function statesFor(components: readonly Component[], overrides: Record<string, StackState> = {}): Map<string, StackState> {
  return new Map(components.map((c) => [c.name, overrides[c.name] ?? readyState(c)]));
}

export function byName(components: readonly Component[], name: string): Component {
  const c = components.find((x) => x.name === name);
  if (!c) throw new Error(`no component ${name} in ${components.map((x) => x.name).join(', ')}`);
  return c;
}

/** A random DAG: names (shuffled) and node → dependencies, edges only from higher to lower creation index. */
export interface RandomDag {
  nodes: string[];
  edges: Record<string, string[]>;
}

export const dagArb: fc.Arbitrary<RandomDag> = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      pairs: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { maxLength: 30 }),
      names: fc.shuffledSubarray(
        Array.from({ length: 12 }, (_, i) => `n${i}`),
        { minLength: n, maxLength: n },
      ),
      order: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
    }),
  )
  .map(({ n, pairs, names, order }) => {
    // names[i] is the name of creation index i; `order` is the declaration order handed to the graph.
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < n; i++) edges[names[i]] = [];
    for (const [a, b] of pairs) {
      if (a === b) continue;
      const [hi, lo] = a > b ? [a, b] : [b, a];
      if (!edges[names[hi]].includes(names[lo])) edges[names[hi]].push(names[lo]);
    }
    return { nodes: order.map((i) => names[i]), edges };
  });

/** All nodes `node` depends on, directly or not. */
export function ancestors(edges: Record<string, readonly string[]>, node: string): Set<string> {
  const seen = new Set<string>();
  const visit = (n: string): void => {
    for (const d of edges[n] ?? []) if (!seen.has(d)) (seen.add(d), visit(d));
  };
  visit(node);
  return seen;
}

/** Lets pending promise callbacks and the scheduler's loop run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Groups that can run at the same time (level k depends only on levels < k): how the tests say what is independent. */
export function levelsOf(graph: DependencyGraph): string[][] {
  const level = new Map<string, number>();
  const order = graph.topologicalOrder();
  for (const n of order) level.set(n, Math.max(-1, ...graph.dependenciesOf(n).map((d) => level.get(d)!)) + 1);
  const result: string[][] = [];
  for (const n of order) (result[level.get(n)!] ??= []).push(n);
  return result;
}
