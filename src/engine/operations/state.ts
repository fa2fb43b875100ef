/**
 * `state COMPONENT`: what the component's stack state holds — its resources (type, id, parent,
 * outputs) and the stack's outputs — read through the Pulumi CLI (any backend), every secret
 * masked: the export keeps secrets as ciphertext objects, shown as `[secret]`, and outputs a
 * component treats as secret by name are masked too. Read-only.
 */
import { isSecretOutputName } from '../../core/components';
import { SECRET_MASK, type StateReport } from '../../core/protocol';
import { maskNested } from '../backends/diyState';
import type { Engine } from '../engine';
import { readFailure, selectForReading } from '../outputReader';
import { resolveComponents } from '../setup';
import { ConfigError } from '../../core/errors';

interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  parent?: string;
  outputs?: Record<string, unknown>;
}

/** Pulumi's own bookkeeping in a resource's outputs (a dynamic provider's serialized code), not the resource's. */
const INTERNAL_OUTPUTS = new Set(['__provider']);

const masked = (outputs: Record<string, unknown> = {}): Record<string, unknown> =>
  maskNested(Object.fromEntries(Object.entries(outputs).filter(([name]) => !INTERNAL_OUTPUTS.has(name)))) as Record<string, unknown>;

export async function readState(engine: Engine, name: string): Promise<StateReport> {
  const { setup } = engine;
  const [component] = resolveComponents(setup, [name]);
  if (setup.configErrors.length) throw new ConfigError(setup.parsed.file, setup.configErrors);
  const stack = await selectForReading(engine, component);
  const exported = await stack.exportStack().catch(readFailure(component));
  const deployment = (exported.deployment ?? {}) as { resources?: ExportedResource[]; pending_operations?: Array<{ type: string; resource: { urn: string } }> };
  const resources = deployment.resources ?? [];
  const root = resources.find((r) => r.type === 'pulumi:pulumi:Stack' && !r.parent);
  const outputs = Object.fromEntries(Object.entries(masked(root?.outputs)).map(([name, value]) => [name, isSecretOutputName(name) ? SECRET_MASK : value]));
  return {
    component: component.name,
    stack: component.stack,
    outputs,
    resources: resources.filter((r) => r !== root).map((r) => ({ urn: r.urn, type: r.type, ...(r.id ? { id: r.id } : {}), ...(r.parent ? { parent: r.parent } : {}), outputs: masked(r.outputs) })),
    pendingOperations: (deployment.pending_operations ?? []).map((p) => ({ type: p.type, urn: p.resource.urn })),
  };
}
