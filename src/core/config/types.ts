/** The parsed `azure.yaml`: the original flat provider file plus our optional sections. */
import type { ProblemCode } from '../problemCodes';

export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
  /** 0-based offsets into the file text, end exclusive. */
  startOffset: number;
  endOffset: number;
}

/** The start of a file: where a problem goes that has no better place. */
export const START_OF_FILE: SourceRange = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 }, startOffset: 0, endOffset: 0 };

/** The range of the deepest part of `path` that the file has (the file's start when none). */
export function rangeOf(parsed: ParsedConfig, path: ConfigPath): SourceRange {
  for (let n = path.length; n > 0; n--) {
    const range = parsed.locate(path.slice(0, n));
    if (range) return range;
  }
  return START_OF_FILE;
}

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedLocation {
  file: string;
  range: SourceRange;
  message: string;
}

/** One thing wrong, at one place in one file. Every surface (CLI, Problems panel) shows these. */
export interface Problem {
  file: string;
  range: SourceRange;
  severity: Severity;
  /** Stable code, e.g. `invalid-subscription-id`, `missing-output` (src/core/problemCodes.ts). Quick fixes match on it. */
  code: ProblemCode;
  /** Says what is wrong and how to fix it. */
  message: string;
  component?: string;
  output?: string;
  related?: RelatedLocation[];
  /** The component whose `local.faults` entry in this file causes the problem (a "Remove fault" quick fix takes it out). */
  fault?: string;
}

export type ProviderKind = 'azure' | 'kubernetes' | 'local';
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
}

export interface NodePoolConfig {
  name: string;
  vmSize: string;
  mode: 'System' | 'User';
  count?: number;
  min?: number;
  max?: number;
  labels: Record<string, string>;
  taints: Taint[];
}

export interface AksConfig {
  name?: string;
  kubernetesVersion?: string;
  /** Empty means the original's two default pools (system + cpuworkers). */
  nodePools: NodePoolConfig[];
  network: { serviceCidr: string; dnsServiceIp: string };
}

export interface AcrConfig {
  name?: string;
  sku: 'Basic' | 'Standard' | 'Premium';
  perUserRegistry: boolean;
}

export interface SshConfig {
  publicKey?: string;
  publicKeyPath?: string;
}

export interface StorageConfig {
  accountName?: string;
  /** `provider: kubernetes`: an account you already have, by connection string (written here, e.g. Azurite's) … */
  connectionString?: string;
  /** … or named by the environment variable that holds it (read when a program runs; never stored here). */
  connectionStringEnv?: string;
  sku: 'Standard_LRS' | 'Standard_GRS' | 'Premium_LRS';
  location?: string;
}

export interface RegistryConfig {
  name?: string;
  registryName?: string;
  sku: 'Basic' | 'Standard' | 'Premium';
  perUserRegistry: boolean;
  grantClusterPull: boolean;
  bundleRepo: string;
}

/** The original WorkspaceConfig shape (apiVersion/kind/metadata/spec); spec stays free-form. */
export interface WorkspaceConfig {
  apiVersion: string;
  kind: 'Workspace';
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  spec: Record<string, unknown>;
}

/** The original AdaptiveConfig shape. */
export interface AdaptiveConfig {
  algorithm: 'optuna' | 'hyperopt' | 'custom';
  centralStore: { kind: 'postgres' | 'redis' | 'none'; mode: 'in-cluster' | 'external'; host?: string; port?: number };
  persistence: { enabled: boolean; size: string; storageClass: string };
  database: string;
  user: string;
  workers: { image?: string; replicas: number; command?: string[] | string; resources?: Record<string, unknown> };
}

/** Faults the local provider injects so anyone can rehearse recovery. */
export interface LocalFault {
  /** The update succeeds but these stack outputs are not exported. */
  omitOutputs: string[];
  /** The update fails after creating this many of the component's resources. */
  failAfterResources?: number;
  /** Each resource create/update/delete sleeps this long. */
  stepDelayMs: number;
}

/** `provider: kubernetes`: the cluster you already have, and how long `up` waits for it. */
export interface KubernetesConfig {
  /** A kubeconfig file (`~` and paths relative to azure.yaml allowed); default KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  /** A context of that file; default its current-context. */
  context?: string;
  /** Seconds `up` waits for a Deployment to become available (and a PVC to be bound) before failing. */
  readyTimeoutSeconds: number;
}

export interface LocalProviderConfig {
  /** Where the local provider keeps what it creates; default `<MODELOPS_HOME>/local-cloud`. */
  root?: string;
  faults: Record<string, LocalFault>;
}

export interface InfraConfig {
  provider: ProviderKind;
  subscriptionId?: string;
  location: string;
  resourceGroup?: string;
  username?: string;
  aks?: AksConfig;
  acr?: AcrConfig;
  ssh?: SshConfig;
  kubernetes?: KubernetesConfig;
  storage?: StorageConfig;
  registry?: RegistryConfig;
  workspace?: WorkspaceConfig;
  /** Run name → adaptive config. */
  adaptive: Record<string, AdaptiveConfig>;
  environment?: string;
  pulumi: { backendUrl?: string };
  /** Extra edges: component → components it must come after. */
  dependsOn: Record<string, string[]>;
  local: LocalProviderConfig;
}

/** A key path into the YAML document, e.g. ['aks', 'node_pools', 0, 'name']. */
export type ConfigPath = ReadonlyArray<string | number>;

/** Which file format was read: ours, or one of the original modelops's (src/core/config/unified.ts). */
export const CONFIG_FORMATS = ['azure.yaml', 'modelops.yaml', 'infrastructure.yaml'] as const;
export type ConfigFormat = (typeof CONFIG_FORMATS)[number];


export interface ParsedConfig {
  file: string;
  text: string;
  format: ConfigFormat;
  /** Undefined when the file is too broken to give a config at all (then problems say why). */
  config?: InfraConfig;
  problems: Problem[];
  /** Range of the key at `path` (or of the value when `value` is true); undefined if absent. */
  locate(path: ConfigPath, value?: boolean): SourceRange | undefined;
}
