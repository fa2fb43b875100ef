/**
 * Problems that come from readiness rather than from the config text: a missing
 * output is reported on the section that owns the component and on every
 * section whose component reads it. Pure, so an editor can recompute it on each
 * keystroke from the last known readiness without calling Pulumi.
 */
import type { Component } from './components';
import { rangeOf, type ParsedConfig, type Problem } from './config/types';
import { READINESS_PROBLEM_CODES, type ProblemCode } from './problemCodes';
import { describeFault, faultOf, type FaultLocation } from './config/faults';
import type { ComponentReadiness } from './readiness';

export { READINESS_PROBLEM_CODES };

/** `local.faults.<key>` at line N, as a message names it. */
const faultName = (at: FaultLocation): string => `\`local.faults.${at.key}\` (line ${at.range.start.line})`;

function missingOutputProblems(parsed: ParsedConfig, owner: Component, r: ComponentReadiness, components: readonly Component[], fault: FaultLocation | undefined): Problem[] {
  const ownerRange = rangeOf(parsed, owner.configPath);
  const problems: Problem[] = [];
  for (const output of r.missingOutputs) {
    const consumers = components.filter((c) => c.uses.some((u) => u.from === owner.name && u.outputs.includes(output)));
    const byFault = fault?.fault.omitOutputs.includes(output) ? fault : undefined;
    const advice = byFault
      ? `. The fault ${faultName(byFault)} leaves it out, so Repair and Up fail the same way while it is there: remove the fault, then Repair ${owner.name}.`
      : `. Repair ${owner.name} (or run Up) to export it again.`;
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
        advice,
      related: [
        ...(byFault ? [{ file: parsed.file, range: byFault.range, message: `the fault that omits ${output}` }] : []),
        ...consumers.map((c) => ({ file: parsed.file, range: rangeOf(parsed, c.configPath), message: `${c.name} reads ${owner.name}.${output}` })),
      ],
      ...(byFault ? { fault: owner.name } : {}),
    });
    // A dependent's line gives the same advice as the owner's: while a fault leaves the output out, removing it comes first.
    const fix = byFault ? `The fault ${faultName(byFault)} leaves it out: remove the fault, then Repair ${owner.name}.` : `Repair ${owner.name}.`;
    for (const consumer of consumers) {
      problems.push({
        file: parsed.file,
        range: rangeOf(parsed, consumer.configPath),
        severity: 'error',
        code: 'missing-dependency-output',
        component: owner.name,
        output,
        message: `${consumer.name} cannot start: it reads ${owner.name}.${output}, which stack ${owner.stack} does not have. ${fix}`,
        related: [
          { file: parsed.file, range: ownerRange, message: `${owner.name} should export "${output}"` },
          ...(byFault ? [{ file: parsed.file, range: byFault.range, message: `the fault that omits ${output}` }] : []),
        ],
        ...(byFault ? { fault: owner.name } : {}),
      });
    }
  }
  return problems;
}

function statusProblem(parsed: ParsedConfig, owner: Component, r: ComponentReadiness, fault: FaultLocation | undefined): Problem | undefined {
  let code: ProblemCode | undefined =
    r.status === 'failed'
      ? 'component-failed'
      : r.status === 'cancelled'
        ? 'component-cancelled'
        : r.status === 'interrupted'
          ? 'component-interrupted'
          : r.status === 'unknown'
            ? 'component-unknown'
            : undefined;
  if (!code) return undefined;
  // A down that stopped part-way, whatever Pulumi recorded of it: finishing it is the fix, not a repair.
  if (r.destroyIntent === 'down') code = 'down-interrupted';
  const byFault = r.status === 'failed' && fault?.fault.failAfterResources !== undefined ? fault : undefined;
  const fix = r.status === 'unknown'
    ? 'Refresh to read it again.'
    : r.destroyIntent === 'down'
      ? `Run Down ${owner.name} again to finish it (or Up to bring it back).`
      : r.status === 'cancelled' ? `Run Up (or Repair ${owner.name}) to finish what was cancelled.` : byFault ? `The fault ${faultName(byFault)} makes every update of it fail: remove the fault, then Repair ${owner.name}.` : `Repair ${owner.name} to bring it back.`;
  return {
    file: parsed.file,
    range: rangeOf(parsed, owner.configPath),
    severity: r.status === 'unknown' || r.status === 'cancelled' ? 'warning' : 'error',
    code,
    component: owner.name,
    message: `${owner.name} is ${r.status}: ${r.reason}. ${fix}`,
    ...(byFault ? { fault: owner.name, related: [{ file: parsed.file, range: byFault.range, message: 'the fault that makes it fail' }] } : {}),
  };
}

/** On the fault's own line, while a component suffers from it: what it does, and that removing it is the fix. */
function faultProblem(parsed: ParsedConfig, owner: Component, at: FaultLocation, r: ComponentReadiness): Problem | undefined {
  const omitted = r.missingOutputs.filter((o) => at.fault.omitOutputs.includes(o));
  const failing = r.status === 'failed' && at.fault.failAfterResources !== undefined;
  if (!omitted.length && !failing) return undefined;
  return {
    file: parsed.file,
    range: at.range,
    severity: 'warning',
    code: 'fault-active',
    component: owner.name,
    fault: owner.name,
    message: `This rehearsal fault ${describeFault(at.fault)} for ${owner.name}, which is ${failing ? 'failed' : `missing ${omitted.join(', ')}`} because of it. Remove it, then Repair ${owner.name}.`,
    related: [{ file: parsed.file, range: rangeOf(parsed, owner.configPath), message: `${owner.name}'s section` }],
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

/** A component built from upstream outputs that hold another value now: on its section, with its producers' sections related. */
function staleProblem(parsed: ParsedConfig, owner: Component, r: ComponentReadiness, byName: ReadonlyMap<string, Component>): Problem | undefined {
  if (r.status !== 'stale' || !r.staleUses?.length) return undefined;
  const producers = [...new Set(r.staleUses.map((u) => u.from))];
  return {
    file: parsed.file,
    range: rangeOf(parsed, owner.configPath),
    severity: 'warning',
    code: 'component-stale',
    component: owner.name,
    message: `${owner.name} is stale: it ${r.reason}. Up re-applies it with what ${producers.join(' and ')} ${producers.length > 1 ? 'hold' : 'holds'} now.`,
    related: producers.flatMap((p) => {
      const producer = byName.get(p);
      const outputs = r.staleUses!.filter((u) => u.from === p).map((u) => u.output);
      return producer ? [{ file: parsed.file, range: rangeOf(parsed, producer.configPath), message: `${p}'s ${outputs.join(', ')} changed since ${owner.name} read ${outputs.length > 1 ? 'them' : 'it'}` }] : [];
    }),
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
    const fault = faultOf(parsed, owner.name);
    const status = statusProblem(parsed, owner, r, fault);
    if (status) problems.push(status);
    const spec = specProblem(parsed, owner, r);
    if (spec) problems.push(spec);
    const stale = staleProblem(parsed, owner, r, byName);
    if (stale) problems.push(stale);
    problems.push(...missingOutputProblems(parsed, owner, r, components, fault));
    const active = fault && faultProblem(parsed, owner, fault, r);
    if (active) problems.push(active);
    problems.push(...loopProblems(parsed, owner, r));
  }
  return problems;
}
