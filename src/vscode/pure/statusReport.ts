/** The JSON `mops-infra status --json` prints, and guards for reading it. Pure. */
import type { Problem } from '../../core/config/types';
import type { ComponentReadiness } from '../../core/readiness';
import type { PlannedStep } from '../../core/events';

export interface StatusReport {
  env: string;
  configFile: string;
  components: ComponentReadiness[];
  problems: Problem[];
}

export interface OutputsReport {
  component: string;
  stack: string;
  outputs: Record<string, { value: unknown; secret: boolean }>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asStatusReport(value: unknown): StatusReport | undefined {
  if (!isObject(value) || !Array.isArray(value.components)) return undefined;
  return {
    env: typeof value.env === 'string' ? value.env : '',
    configFile: typeof value.configFile === 'string' ? value.configFile : '',
    components: value.components as ComponentReadiness[],
    problems: Array.isArray(value.problems) ? (value.problems as Problem[]) : [],
  };
}

export function asOutputsReport(value: unknown): OutputsReport | undefined {
  if (!isObject(value) || !isObject(value.outputs)) return undefined;
  return value as unknown as OutputsReport;
}

export function asPlan(value: unknown): PlannedStep[] | undefined {
  return isObject(value) && Array.isArray(value.plan) ? (value.plan as PlannedStep[]) : undefined;
}

/** The modal text for Force Recreate: what is destroyed, in order. */
export function destroyList(plan: readonly PlannedStep[]): string {
  return plan
    .filter((s) => s.action === 'destroy')
    .map((s, i) => `${i + 1}. ${s.stack} (${s.component})`)
    .join('\n');
}
