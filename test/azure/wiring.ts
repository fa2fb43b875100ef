/**
 * What the consumers of the Kubernetes objects rely on, checked on a program's registered resources
 * (Pulumi's mocks accept any manifest, so these checks are the only thing between a wrong selector and
 * a first real run): the environment each container really gets, selectors that select, ports that exist.
 */
import { UNKNOWN, type MockResource } from './mocks';

type Obj = Record<string, any>;

const ns = (r: MockResource): string => String((r.inputs as Obj).metadata?.namespace ?? 'default');
const named = (resources: readonly MockResource[], kind: string, namespace: string, name: string): MockResource | undefined =>
  resources.find((r) => r.type === `kubernetes:core/v1:${kind}` && ns(r) === namespace && (r.inputs as Obj).metadata?.name === name);

const deployments = (resources: readonly MockResource[]) => resources.filter((r) => r.type === 'kubernetes:apps/v1:Deployment');
const podLabels = (deployment: MockResource): Obj => (deployment.inputs as Obj).spec?.template?.metadata?.labels ?? {};
const selects = (selector: Obj | undefined, labels: Obj): boolean => !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The objects' values (`data` base64-decoded, `stringData` as is), as a container would read them. */
/**
 * A Secret's or ConfigMap's keys and values. In a preview a map holding a value still unknown is unknown
 * as a whole (`UNKNOWN`): any key may be there, each read from it is unknown.
 */
function valuesOf(object: MockResource | undefined): Obj | undefined {
  if (!object) return undefined;
  const inputs = object.inputs as Obj;
  if (inputs.stringData === UNKNOWN || inputs.data === UNKNOWN) return new Proxy({}, { has: () => true, get: () => UNKNOWN });
  const decoded = Object.fromEntries(Object.entries(inputs.data ?? {}).map(([k, v]) => [k, object.type.endsWith(':Secret') ? Buffer.from(String(v), 'base64').toString('utf8') : v]));
  return { ...decoded, ...(inputs.stringData ?? {}) };
}

/**
 * The environment a container of `deployment` gets, resolved as the kubelet does: envFrom sources in
 * order (a later source wins a name), then `env` (which wins over every envFrom). A missing required
 * source is reported as `problems`; an optional one is skipped.
 */
export function effectiveEnv(resources: readonly MockResource[], deployment: MockResource, containerIndex = 0): { env: Obj; problems: string[] } {
  const namespace = ns(deployment);
  const container = (deployment.inputs as Obj).spec.template.spec.containers[containerIndex];
  const env: Obj = {};
  const problems: string[] = [];
  for (const source of container.envFrom ?? []) {
    const ref = source.secretRef ?? source.configMapRef;
    const kind = source.secretRef ? 'Secret' : 'ConfigMap';
    const values = valuesOf(named(resources, kind, namespace, ref.name));
    if (!values) {
      if (!ref.optional) problems.push(`${deployment.name}: envFrom ${kind} ${ref.name} does not exist in ${namespace}`);
      continue;
    }
    for (const [k, v] of Object.entries(values)) env[`${source.prefix ?? ''}${k}`] = v;
  }
  for (const variable of container.env ?? []) {
    if ('value' in variable) env[variable.name] = variable.value;
    const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
    if (!ref) continue;
    const values = valuesOf(named(resources, variable.valueFrom.secretKeyRef ? 'Secret' : 'ConfigMap', namespace, ref.name));
    if (values && ref.key in values) env[variable.name] = values[ref.key];
    else if (!ref.optional) problems.push(`${deployment.name}: env ${variable.name} reads ${ref.name}/${ref.key}, which does not exist`);
  }
  return { env, problems };
}

/** Every way the objects of one program fail to find each other; [] when they are wired. */
export function wiringProblems(resources: readonly MockResource[]): string[] {
  const problems: string[] = [];
  const pods = deployments(resources);
  for (const d of pods) {
    const spec = (d.inputs as Obj).spec;
    if (!selects(spec.selector?.matchLabels, podLabels(d))) problems.push(`Deployment ${d.name}: its selector does not match its own pods' labels`);
    problems.push(...effectiveEnv(resources, d).problems);
  }
  const selected = (namespace: string, selector: Obj | undefined) => pods.filter((d) => ns(d) === namespace && selects(selector, podLabels(d)));
  for (const service of resources.filter((r) => r.type === 'kubernetes:core/v1:Service')) {
    const spec = (service.inputs as Obj).spec;
    const targets = selected(ns(service), spec.selector);
    if (targets.length === 0) {
      problems.push(`Service ${service.name}: its selector matches no pods`);
      continue;
    }
    const containerPorts = targets.flatMap((d) => (d.inputs as Obj).spec.template.spec.containers.flatMap((c: Obj) => c.ports ?? []));
    for (const port of spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const found = containerPorts.some((p: Obj) => (typeof target === 'number' ? p.containerPort === target : p.name === target));
      if (!found) problems.push(`Service ${service.name}: port ${port.name ?? port.port} targets ${target}, which no selected container exposes`);
    }
  }
  for (const pdb of resources.filter((r) => r.type === 'kubernetes:policy/v1:PodDisruptionBudget')) {
    const spec = (pdb.inputs as Obj).spec;
    const targets = selected(ns(pdb), spec.selector?.matchLabels);
    if (targets.length === 0) problems.push(`PodDisruptionBudget ${pdb.name}: its selector matches no pods`);
    const replicas = targets.reduce((sum, d) => sum + ((d.inputs as Obj).spec.replicas ?? 1), 0);
    // The eviction API refuses while no disruption is allowed, so a node drain (an AKS upgrade) never ends.
    const blocksAll = spec.maxUnavailable !== undefined ? [0, '0%'].includes(spec.maxUnavailable) : spec.minAvailable === '100%' || (typeof spec.minAvailable === 'number' && spec.minAvailable >= replicas);
    if (targets.length && blocksAll) problems.push(`PodDisruptionBudget ${pdb.name}: allows no eviction of its ${replicas} pod(s), so every node drain (and AKS upgrade) on their node is blocked`);
  }
  for (const hpa of resources.filter((r) => r.type === 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler')) {
    const target = (hpa.inputs as Obj).spec.scaleTargetRef;
    const found = target?.kind === 'Deployment' && pods.some((d) => ns(d) === ns(hpa) && (d.inputs as Obj).metadata.name === target.name);
    if (!found) problems.push(`HorizontalPodAutoscaler ${hpa.name}: scales ${target?.kind} ${target?.name}, which this program does not create`);
  }
  return problems;
}

/** Pods that tolerate a taint no pool has, or select labels no pool carries, would never schedule. */
export function schedulingProblems(resources: readonly MockResource[], pools: ReadonlyArray<{ labels?: Record<string, string>; taints?: string[] }>): string[] {
  const problems: string[] = [];
  for (const d of deployments(resources)) {
    const spec = (d.inputs as Obj).spec.template.spec;
    const fits = pools.some((pool) => {
      const tolerated = (pool.taints ?? []).every((taint) => (spec.tolerations ?? []).some((t: Obj) => tolerates(t, taint)));
      const selectedBy = Object.entries(spec.nodeSelector ?? {}).every(([k, v]) => pool.labels?.[k] === v);
      return tolerated && selectedBy;
    });
    if (!fits) problems.push(`Deployment ${d.name}: no node pool both carries its nodeSelector and has only taints it tolerates`);
  }
  return problems;
}

/** `key=value:Effect` (or `key:Effect`) against one toleration. */
function tolerates(toleration: Obj, taint: string): boolean {
  const match = /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(taint);
  if (!match) return false;
  const [, key, value, effect] = match;
  if (toleration.effect && toleration.effect !== effect) return false;
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === key;
  return toleration.key === key && (toleration.value ?? '') === (value ?? '');
}

/** Types that carry tags in Azure (the rest — containers, policies, role assignments — have none). */
const TAGGED = new Set(['azure-native:resources:ResourceGroup', 'azure-native:containerregistry:Registry', 'azure-native:containerservice:ManagedCluster', 'azure-native:storage:StorageAccount']);

/**
 * Every Azure resource goes through the pinned provider (never azure-native's default one, which picks
 * whatever subscription the machine defaults to), and every taggable one carries the tags that say
 * who manages it and for which environment.
 */
export function azureProblems(resources: readonly MockResource[], env: string): string[] {
  const problems: string[] = [];
  for (const r of resources.filter((x) => x.type.startsWith('azure-native:'))) {
    if (!/::azure::/.test(String(r.provider ?? ''))) problems.push(`${r.type} ${r.name}: not created through the pinned provider (${String(r.provider ?? 'the default provider')})`);
    if (!TAGGED.has(r.type)) continue;
    const tags = (r.inputs as Obj).tags ?? {};
    for (const [key, value] of Object.entries({ 'managed-by': 'modelops', environment: env })) {
      if (tags[key] !== value) problems.push(`${r.type} ${r.name}: tag ${key} is ${JSON.stringify(tags[key])}, not ${JSON.stringify(value)}`);
    }
  }
  return problems;
}
