/** What the workspace and adaptive programs share on the cluster: provider, pod hardening, quantities. */
import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';
import type * as k8s from '@pulumi/kubernetes/provider';
import type * as k8sInputs from '@pulumi/kubernetes/types/input';
import { DEFAULT_READY_TIMEOUT_SECONDS } from '../../../core/config/kubernetes';
import { memoryBytesOf } from '../../../core/quantities';
import { ORIGINAL_COMPONENTS, str, type AzureContext } from './context';

type Toleration = k8sInputs.core.v1.Toleration;

/**
 * A provider from the cluster stack's kubeconfig (secret; never written to disk by us), named and
 * parented as the original's (`{component}-k8s`), so its objects keep their provider on an upgrade.
 * Secrets and ConfigMaps update in place: without these flags the provider replaces them on any
 * change of their data (pulumi-kubernetes provider/pkg/provider/diff.go), deleting live credentials
 * on every key rotation. Changing the flags is an update of the provider, not a replacement.
 */
export function clusterProvider(ctx: AzureContext): pulumi.ProviderResource {
  const { Provider } = require('@pulumi/kubernetes/provider') as typeof k8s;
  // deleteUnreachable: after a force-recreated cluster, the old objects are gone with it; let Pulumi drop them from state.
  const { name } = ORIGINAL_COMPONENTS[ctx.component.kind](ctx);
  return new Provider(`${name}-k8s`, { kubeconfig: ctx.p.secret(str(ctx.from('cluster', 'kubeconfig'))), deleteUnreachable: true, enableSecretMutable: true, enableConfigMapMutable: true }, { parent: ctx.parent() });
}

/**
 * How long Pulumi's Kubernetes provider waits for an object to be ready (a Deployment available, a
 * PVC bound) before the update fails: `kubernetes.ready_timeout`, else its own ten minutes.
 */
export function readyTimeouts(ctx: Pick<AzureContext, 'config'>): pulumi.CustomTimeouts {
  const wait = `${ctx.config.kubernetes?.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS}s`;
  return { create: wait, update: wait };
}

export const DEFAULT_TOLERATIONS: Toleration[] = [{ key: 'modelops.io/role', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' }];

export function tolerations(configured: unknown): Toleration[] {
  return Array.isArray(configured) && configured.length > 0 ? (configured as Toleration[]) : DEFAULT_TOLERATIONS;
}

export const POD_SECURITY: k8sInputs.core.v1.PodSecurityContext = { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true };
export const CONTAINER_SECURITY: k8sInputs.core.v1.SecurityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/** `Always` for a moving tag (`:latest` or none), else `IfNotPresent`; digests never move. */
export function imagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@sha256:')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  return !lastSegment.includes(':') || lastSegment.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

/** Bytes in a Kubernetes memory quantity (`4Gi`, `512Mi`, `1G`, `1073741824`). */
export function memoryBytes(quantity: string): number {
  const bytes = memoryBytesOf(quantity);
  if (bytes === undefined) throw new Error(`"${quantity}" is not a memory quantity like 4Gi or 512Mi`);
  return bytes;
}

/** Dask's `--memory-limit` per worker process: the pod's limit shared by the processes (never more than the pod has). */
export function daskMemoryLimit(podLimit: string, processes: number): string {
  return `${Math.floor(memoryBytes(podLimit) / Math.max(1, processes) / 2 ** 20)}MiB`;
}

/** A short digest of secret material for a pod annotation: changes roll the pods, the value reveals nothing. */
export function checksum(values: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 16);
}

/** `env` given as a list of `{name, value}` or as a mapping. */
export function envList(env: unknown): k8sInputs.core.v1.EnvVar[] {
  if (Array.isArray(env)) return env as k8sInputs.core.v1.EnvVar[];
  if (env && typeof env === 'object') return Object.entries(env).map(([name, value]) => ({ name, value: String(value) }));
  return [];
}

export const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
