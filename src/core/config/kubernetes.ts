/** Rules for `kubernetes:`: the cluster `provider: kubernetes` runs on, and how long `up` waits for Kubernetes. */
import type { Field } from './reader';
import type { KubernetesConfig, ProviderKind } from './types';

export const KUBERNETES_KEYS = ['kubeconfig', 'context', 'ready_timeout'] as const;
/** Pulumi's own wait for a Deployment: ten minutes. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 600;
const DURATION = /^(\d+)\s*(s|m|h)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

export function readKubernetes(field: Field, provider: ProviderKind | undefined): KubernetesConfig | undefined {
  const map = field.map(KUBERNETES_KEYS, 'kubernetes: { context: my-cluster }');
  if (!map) return undefined;
  if (provider === 'local') {
    field.warnAtKey('unused-key', '`kubernetes` applies with `provider: kubernetes` (and its `ready_timeout` with `provider: azure`); it is ignored with `provider: local`. Remove it, or switch to `provider: kubernetes`.');
  }
  const config: KubernetesConfig = { readyTimeoutSeconds: readDuration(map.get('ready_timeout')) ?? DEFAULT_READY_TIMEOUT_SECONDS };
  for (const [key, name] of [['kubeconfig', 'kubeconfig: ~/.kube/config'], ['context', 'context: my-cluster']] as const) {
    const keyField = map.get(key);
    const value = keyField.string(name);
    if (value === undefined) continue;
    if (value.trim() === '') keyField.error('missing-required', `\`kubernetes.${key}\` is empty. Write, for example, \`${name}\`, or remove it to use the default (${key === 'kubeconfig' ? 'KUBECONFIG, else ~/.kube/config' : "the kubeconfig's current-context"}).`);
    else if (provider === 'azure') keyField.warnAtKey('unused-key', `\`kubernetes.${key}\` is ignored with \`provider: azure\`: the cluster's kubeconfig comes from the AKS cluster it creates. Remove it, or use \`provider: kubernetes\` for a cluster you already have.`);
    else config[key] = value;
  }
  return config;
}

/** `90s`, `10m`, `1h`, or a whole number of seconds; at least 10 s. */
function readDuration(field: Field): number | undefined {
  if (!field.isSet) return undefined;
  const raw = field.scalarValue();
  const match = typeof raw === 'string' ? DURATION.exec(raw.trim()) : undefined;
  const seconds = typeof raw === 'number' && Number.isInteger(raw) ? raw : match ? Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS] : undefined;
  if (seconds === undefined) {
    field.error('wrong-type', `\`${field.label}\` must be a duration like \`90s\`, \`10m\` or \`1h\` (or a number of seconds). For example: \`ready_timeout: 10m\`.`);
    return undefined;
  }
  if (seconds < 10) {
    field.error('out-of-range', `\`${field.label}\` is ${seconds} s; it must be at least 10 s (the default is ${DEFAULT_READY_TIMEOUT_SECONDS / 60}m).`);
    return undefined;
  }
  return seconds;
}
