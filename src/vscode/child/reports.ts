/** Guards for reading what `mops-infra` prints (the shapes are declared once, in core/protocol). Pure. */
import type { PlannedStep } from '../../core/events';
import { DependencyGraph } from '../../core/graph';
import { recreateSet } from '../../core/plan';
import type { ComponentReadiness } from '../../core/readiness';
import type { EnvironmentsReport, OperationDocument, OutputsReport, StateReport, StatusReport } from '../../core/protocol';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asStatusReport(value: unknown): StatusReport | undefined {
  if (!isObject(value) || !Array.isArray(value.components)) return undefined;
  return {
    env: typeof value.env === 'string' ? value.env : '',
    configFile: typeof value.configFile === 'string' ? value.configFile : '',
    components: value.components as ComponentReadiness[],
    problems: Array.isArray(value.problems) ? (value.problems as StatusReport['problems']) : [],
  };
}

export function asOutputsReport(value: unknown): OutputsReport | undefined {
  if (!isObject(value) || !isObject(value.outputs)) return undefined;
  return value as unknown as OutputsReport;
}

export function asEnvironmentsReport(value: unknown): EnvironmentsReport | undefined {
  if (!isObject(value) || !Array.isArray(value.environments)) return undefined;
  return value as unknown as EnvironmentsReport;
}

export function asStateReport(value: unknown): StateReport | undefined {
  if (!isObject(value) || !isObject(value.outputs) || !Array.isArray(value.resources)) return undefined;
  return value as unknown as StateReport;
}

export function asPlan(value: unknown): { env: string; plan: PlannedStep[] } | undefined {
  if (!isObject(value) || !Array.isArray(value.plan)) return undefined;
  const doc = value as Partial<OperationDocument>;
  return { env: typeof doc.env === 'string' ? doc.env : '', plan: doc.plan as PlannedStep[] };
}

/** The modal text for Force Recreate: what is destroyed, in order, and what holds data. */
export function destroyList(plan: readonly PlannedStep[]): string {
  return plan
    .filter((s) => s.action === 'destroy')
    .map((s, i) => `${i + 1}. ${s.stack} (${s.component})${s.holdsData ? ` — ${s.holdsData}` : ''}`)
    .join('\n');
}

/** The components a plan destroys, in order. */
export function destroyed(plan: readonly PlannedStep[]): string[] {
  return plan.filter((s) => s.action === 'destroy').map((s) => s.component);
}

/**
 * What a force recreate does besides destroying and recreating: the components its plan also
 * brings up to date (each with its reason) and those it leaves alone. A modal lists exactly these.
 */
export function besidesRecreate(plan: readonly PlannedStep[]): { updated: string[]; untouched: string[] } {
  // A component recreated whose stack does not exist yet has no destroy step, only its "recreate" up.
  const recreated = new Set([...destroyed(plan), ...plan.filter((s) => s.action === 'up' && s.reason === 'recreate').map((s) => s.component)]);
  const others = plan.filter((s) => !recreated.has(s.component));
  return {
    updated: others.filter((s) => s.action === 'up').map((s) => `${s.component} (${s.reason})`),
    untouched: others.filter((s) => s.action === 'skip').map((s) => s.component),
  };
}

/** What a force recreate of `name` recreates with it (core's plan), on the graph of the readiness rows' `dependsOn`. */
export function recreatedWith(components: readonly Pick<ComponentReadiness, 'name' | 'dependsOn'>[], name: string): string[] {
  const names = components.map((c) => c.name);
  const graph = new DependencyGraph(names, Object.fromEntries(components.map((c) => [c.name, c.dependsOn.filter((d) => names.includes(d))])));
  return recreateSet(graph, [name]).filter((n) => n !== name);
}
