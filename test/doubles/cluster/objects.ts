/** Small pure helpers on objects: deletion, ownership, selectors, conditions, Pod readiness. */
import { createHash } from 'node:crypto';
import type { Condition, KubeObject, Labels, OwnerRef, Pod } from './types';

export const deleting = (o: KubeObject): boolean => Boolean(o.metadata.deletionTimestamp);
export const sameNamespace = (a: KubeObject, b: KubeObject): boolean => a.metadata.namespace === b.metadata.namespace;
export const isControlledBy = (o: KubeObject, owner: KubeObject): boolean => (o.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === owner.metadata.uid);
export const sum = (values: (number | undefined)[]): number => values.reduce<number>((a, b) => a + (b ?? 0), 0);
export const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, 'Z');
export const matches = (selector: Labels, labels: Labels = {}): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function controllerRef(o: KubeObject, apiVersion: string, kind: string): OwnerRef {
  return { apiVersion, kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** JSON with sorted keys: equal values, equal text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Sets `condition` as the real controllers do: the transition time kept while the status stays. */
export function setCondition(conditions: Condition[], condition: Condition): Condition[] {
  const current = conditions.find((c) => c.type === condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason && current.message === condition.message) return conditions;
  const kept = current && current.status === condition.status ? { lastTransitionTime: current.lastTransitionTime } : {};
  return [...conditions.filter((c) => c.type !== condition.type), { ...condition, ...kept }];
}

export function podReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function podAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  return !minReadySeconds || Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000 <= now.getTime();
}

export const terminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
export const claimsOf = (pod: Pod): string[] => (pod.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
