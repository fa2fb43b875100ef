/** Rules for how the project is run: `environment`, `pulumi`, `depends_on`, `local`. */
import { canonicalComponentName, requiredOutputsOf, type ComponentKind } from '../components';
import { checkBackendUrl, checkEnvironmentName } from './naming';
import type { Field } from './reader';
import { didYouMean, listOf, printable } from './suggest';
import type { InfraConfig, LocalFault, LocalProviderConfig, ProviderKind } from './types';

export const PULUMI_KEYS = ['backend_url', 'organization'] as const;
export const LOCAL_KEYS = ['root', 'faults'] as const;
export const FAULT_KEYS = ['omit_outputs', 'fail_after_resources', 'step_delay_ms'] as const;
/** Component names whatever the file defines; `adaptive-<run>` comes from the `adaptive` section. */
export const COMPONENT_KINDS = ['resource-group', 'registry', 'cluster', 'storage', 'workspace'] as const;

export function readEnvironment(field: Field): string | undefined {
  const environment = field.string('environment: dev');
  if (environment === undefined) return undefined;
  const issue = checkEnvironmentName(environment);
  if (issue) field.error('invalid-environment-name', `\`environment\`: ${issue}`);
  return environment;
}

export function readPulumi(field: Field): InfraConfig['pulumi'] {
  const pulumi = field.map(PULUMI_KEYS, 'pulumi: { backend_url: "file://~/.modelops/pulumi/backend" }');
  if (!pulumi) return {};
  const organization = pulumi.get('organization');
  if (organization.exists) organization.warnAtKey('unused-key', '`pulumi.organization` is ignored: stack references use `organization`, the only organization a file or blob backend accepts. Remove it.');
  const urlField = pulumi.get('backend_url');
  const backendUrl = urlField.string('backend_url: "file://~/.modelops/pulumi/backend"');
  if (backendUrl === undefined) return {};
  const issue = checkBackendUrl(backendUrl);
  if (issue) urlField.error('invalid-backend-url', `\`pulumi.backend_url\`: ${issue}`);
  return { backendUrl };
}

/** Resolves a component name as typed (aliases included) against the components this file defines. */
export class ComponentNames {
  constructor(private readonly defined: readonly string[]) {}

  /** The canonical name, or undefined after reporting `unknown-component` at `field`'s key (or value). */
  resolve(typed: string, field: Field, atKey: boolean): string | undefined {
    const name = canonicalComponentName(typed);
    if (this.defined.includes(name)) return name;
    typed = printable(typed);
    const report = atKey ? field.errorAtKey.bind(field) : field.error.bind(field);
    const known = `Components in this file: ${listOf(this.defined)}.`;
    if ((COMPONENT_KINDS as readonly string[]).includes(name)) {
      report('unknown-component', `\`${typed}\` is not defined in this file; add a \`${name === 'cluster' ? 'aks' : name.replace('-', '_')}\` section or remove it. ${known}`);
    } else if (name.startsWith('adaptive-')) {
      report('unknown-component', `\`${typed}\` names no run under \`adaptive\`; add \`adaptive: { ${name.slice('adaptive-'.length)}: {} }\` or fix the name.${didYouMean(name, this.defined)} ${known}`);
    } else {
      report('unknown-component', `\`${typed}\` is not a component name.${didYouMean(name, this.defined)} Valid names: resource-group (or resource_group), registry, cluster (or infra), storage, workspace, adaptive-<run>. ${known}`);
    }
    return undefined;
  }
}

export function readDependsOn(field: Field, names: ComponentNames): Record<string, string[]> {
  const dependsOn: Record<string, string[]> = {};
  const map = field.map(undefined, 'depends_on: { workspace: [storage] }');
  if (!map) return dependsOn;
  for (const entry of map.fields()) {
    const node = names.resolve(entry.keyName, entry, true);
    const targets = entry.list(`${entry.keyName}: [cluster]`) ?? [];
    const resolved: string[] = [];
    for (const target of targets) {
      const typed = target.string(`- cluster`);
      const name = typed === undefined ? undefined : names.resolve(typed, target, false);
      if (name !== undefined && !resolved.includes(name)) resolved.push(name);
    }
    if (node === undefined) continue;
    // `resource_group` and `resource-group` are the same node: merge their edges.
    const existing = Object.prototype.hasOwnProperty.call(dependsOn, node) ? dependsOn[node] : [];
    Object.defineProperty(dependsOn, node, { value: [...existing, ...resolved.filter((t) => !existing.includes(t))], enumerable: true, writable: true, configurable: true });
  }
  return dependsOn;
}

export function readLocal(field: Field, provider: ProviderKind | undefined, names: ComponentNames): LocalProviderConfig {
  const local: LocalProviderConfig = { faults: {} };
  const map = field.map(LOCAL_KEYS, 'local: { faults: { storage: { fail_after_resources: 1 } } }');
  if (!map) return local;
  if (provider === 'azure') field.warnAtKey('unused-key', '`local` only applies with `provider: local`; it is ignored with `provider: azure`. Remove it, or switch to `provider: local` to rehearse.');
  const root = map.get('root').string('root: ~/.modelops/local-cloud');
  if (root !== undefined) local.root = root;
  const faults = map.get('faults').map(undefined, 'faults: { storage: { omit_outputs: [connection_string] } }');
  for (const entry of faults?.fields() ?? []) {
    const component = names.resolve(entry.keyName, entry, true);
    const fault = readFault(entry, component);
    if (component !== undefined && fault) Object.defineProperty(local.faults, component, { value: fault, enumerable: true, writable: true, configurable: true });
  }
  return local;
}

function readFault(field: Field, component: string | undefined): LocalFault | undefined {
  const map = field.map(FAULT_KEYS, `${field.keyName}: { fail_after_resources: 1 }`);
  if (!map) return undefined;
  const fault: LocalFault = {
    omitOutputs: readOmitOutputs(map.get('omit_outputs'), component),
    // A rehearsal of a slow step, not a hang: over ten minutes is a typo (99999999999 was three years).
    stepDelayMs: map.get('step_delay_ms').int({ min: 0, max: 600_000 }, 'step_delay_ms: 500') ?? 0,
  };
  const failAfter = map.get('fail_after_resources').int({ min: 0 }, 'fail_after_resources: 1');
  if (failAfter !== undefined) fault.failAfterResources = failAfter;
  return fault;
}

/**
 * `omit_outputs`: outputs the component's program leaves out, to rehearse a missing one. Only
 * the outputs readiness checks count; any other name rehearses nothing, so it is flagged.
 */
function readOmitOutputs(field: Field, component: string | undefined): string[] {
  const omitted = field.stringList('omit_outputs: [kubeconfig]') ?? [];
  if (component === undefined || !omitted.length) return omitted;
  const kind: ComponentKind = component.startsWith('adaptive-') ? 'adaptive' : (component as ComponentKind);
  const checked = requiredOutputsOf(kind, 'local').map((o) => o.name);
  for (const item of field.list() ?? []) {
    const name = item.scalarValue();
    if (typeof name !== 'string' || checked.includes(name)) continue;
    item.warn('invalid-enum', `\`${printable(name)}\` is not an output readiness checks on ${component}, so leaving it out rehearses nothing.${didYouMean(name, checked)} Outputs of ${component}: ${listOf(checked)}.`);
  }
  return omitted;
}
