/**
 * Problems that come from readiness rather than from the config text: a missing
 * output is reported on the section that owns the component and on every
 * section whose component reads it. Pure, so an editor can recompute it on each
 * keystroke from the last known readiness without calling Pulumi.
 */
import type { Component } from './components';
import { rangeOf, type ParsedConfig, type Problem } from './config/types';
import { READINESS_PROBLEM_CODES } from './problemCodes';
import type { ComponentReadiness } from './readiness';

export { READINESS_PROBLEM_CODES };

function missingOutputProblems(parsed: ParsedConfig, owner: Component, r: ComponentReadiness, components: readonly Component[]): Problem[] {
  const ownerRange = rangeOf(parsed, owner.configPath);
  const problems: Problem[] = [];
  for (const output of r.missingOutputs) {
    const consumers = components.filter((c) => c.uses.some((u) => u.from === owner.name && u.outputs.includes(output)));
    problems.push({
      file: parsed.file,
      range: ownerRange,
      severity: 'error',
      code: 'missing-output',
      component: owner.name,
      output,
      message:
        `${owner.name}: stack ${owner.stack} has no output "${output}"` +
        (consumers.length ? `, which ${consumers.map((c) => c.name).join(', ')} need${consumers.length === 1 ? 's' : ''}` : '') +
        `. Repair ${owner.name} (or run Up) to export it again.`,
      related: consumers.map((c) => ({ file: parsed.file, range: rangeOf(parsed, c.configPath), message: `${c.name} reads ${owner.name}.${output}` })),
    });
    for (const consumer of consumers) {
      problems.push({
        file: parsed.file,
        range: rangeOf(parsed, consumer.configPath),
        severity: 'error',
        code: 'missing-dependency-output',
        component: owner.name,
        output,
        message: `${consumer.name} cannot start: it reads ${owner.name}.${output}, which stack ${owner.stack} does not have. Repair ${owner.name}.`,
        related: [{ file: parsed.file, range: ownerRange, message: `${owner.name} should export "${output}"` }],
      });
    }
  }
  return problems;
}

function statusProblem(parsed: ParsedConfig, owner: Component, r: ComponentReadiness): Problem | undefined {
  const code =
    r.status === 'failed' ? 'component-failed' : r.status === 'interrupted' ? 'component-interrupted' : r.status === 'unknown' ? 'component-unknown' : undefined;
  if (!code) return undefined;
  const fix = r.status === 'unknown' ? 'Refresh to read it again.' : `Repair ${owner.name} to bring it back.`;
  return {
    file: parsed.file,
    range: rangeOf(parsed, owner.configPath),
    severity: r.status === 'unknown' ? 'warning' : 'error',
    code,
    component: owner.name,
    message: `${owner.name} is ${r.status}: ${r.reason}. ${fix}`,
  };
}

/** A component deployed with another spec than azure.yaml gives now: its section is where to look. */
function specProblem(parsed: ParsedConfig, owner: Component, r: ComponentReadiness): Problem | undefined {
  if (r.spec !== 'changed' || r.status === 'absent') return undefined;
  return {
    file: parsed.file,
    range: rangeOf(parsed, owner.configPath),
    severity: 'warning',
    code: 'spec-changed',
    component: owner.name,
    message: `${owner.name}: this section changed since the last up of stack ${owner.stack}. Up applies the change (Preview shows it first).`,
  };
}

/** What the last drift check and the reconcile loop say of a component that needs attention. */
function loopProblems(parsed: ParsedConfig, owner: Component, r: ComponentReadiness): Problem[] {
  const range = rangeOf(parsed, owner.configPath);
  const problems: Problem[] = [];
  if (r.drift?.state === 'drifted') {
    const names = r.drift.resources.map((x) => `${x.urn.slice(x.urn.lastIndexOf('::') + 2)} (${x.change})`).join(', ');
    problems.push({ file: parsed.file, range, severity: 'warning', code: 'component-drifted', component: owner.name, message: `${owner.name} drifted: ${names} changed outside Pulumi. Up (or Reconcile with healing) puts it back.` });
  }
  if (r.reconcile?.condition === 'stalled') {
    problems.push({
      file: parsed.file,
      range,
      severity: 'error',
      code: 'component-stalled',
      component: owner.name,
      message: `${owner.name} is stalled (${r.reconcile.reason}): ${r.reconcile.message}.${r.reconcile.command ? ` To unblock: ${r.reconcile.command}` : ''}`,
    });
  }
  return problems;
}

/** Diagnostics for the readiness of every component, placed in the config that declares them. */
export function readinessProblems(parsed: ParsedConfig, components: readonly Component[], readiness: readonly ComponentReadiness[]): Problem[] {
  const byName = new Map(components.map((c) => [c.name, c]));
  const problems: Problem[] = [];
  for (const r of readiness) {
    const owner = byName.get(r.name);
    if (!owner) continue;
    const status = statusProblem(parsed, owner, r);
    if (status) problems.push(status);
    const spec = specProblem(parsed, owner, r);
    if (spec) problems.push(spec);
    problems.push(...missingOutputProblems(parsed, owner, r, components));
    problems.push(...loopProblems(parsed, owner, r));
  }
  return problems;
}
