/** Human output: a status table and a readable stream of operation events. */
import { resolve } from 'node:path';
import type { Problem } from '../core/config/types';
import { describeDrift, type DriftCheck } from '../core/drift';
import { describeReach } from '../core/freshness';
import type { ComponentPreview, OperationEvent, ResourceChange } from '../core/events';
import { madeElsewhereNote } from '../core/dataGuard';
import { describeCondition } from '../core/attempts';
import { describeChanges, resourceName } from '../core/plan';
import type { AllOutputsReport, EnvironmentsReport, HistoryDocument, OutputsReport, StateReport } from '../core/protocol';
import { statusHeld, type ComponentReadiness, type Status } from '../core/readiness';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const green = paint('32');
const yellow = paint('33');
const red = paint('31');
const dim = paint('2');
const bold = paint('1');

const STATUS_COLOR: Record<Status, (s: string) => string> = {
  ready: green,
  stale: yellow,
  'outputs-missing': yellow,
  failed: red,
  cancelled: yellow,
  interrupted: red,
  busy: yellow,
  absent: dim,
  blocked: yellow,
  unknown: red,
};

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(1, width - text.length));
}

export function formatProblem(p: Problem): string {
  const where = `${p.file}:${p.range.start.line}:${p.range.start.column}`;
  const severity = p.severity === 'error' ? red('error') : p.severity === 'warning' ? yellow('warning') : 'info';
  return `${where} ${severity} ${p.code}: ${p.message}`;
}

export function formatStatus(env: string, configFile: string, components: readonly ComponentReadiness[], problems: readonly Problem[], now = Date.now()): string {
  const nameWidth = Math.max(10, ...components.map((c) => c.name.length + 2));
  const stackWidth = Math.max(12, ...components.map((c) => c.stack.length + 2));
  const lines = [bold(`ModelOps infrastructure · env ${env} · ${configFile}`)];
  for (const c of components) {
    const notes = [
      ...(c.spec === 'changed' && c.status !== 'absent' ? [yellow('changed since last up')] : []),
      ...[madeElsewhereNote(c) ?? []].flat().map(yellow),
      ...(c.drift?.state === 'drifted' ? [red(describeDrift(c.drift.resources))] : []),
      ...(c.reconcile && c.reconcile.condition !== 'ready' ? [(c.reconcile.condition === 'stalled' ? red : yellow)(describeCondition(c.reconcile, now))] : []),
    ];
    const held = statusHeld(c, now);
    lines.push(`  ${pad(c.name, nameWidth)}${pad(c.stack, stackWidth)}${STATUS_COLOR[c.status](pad(c.status, 17))}${[held, c.reason, ...notes].filter(Boolean).join(' · ')}`);
  }
  const ready = components.filter((c) => c.status === 'ready').length;
  lines.push(`${ready}/${components.length} ready`);
  for (const p of problems) lines.push(formatProblem(p));
  return lines.join('\n');
}

const RESULT_COLOR = { succeeded: green, failed: red, cancelled: yellow, skipped: dim, refused: red } as const;

const OP_SIGN: Record<ResourceChange['op'], string> = { create: '+', update: '~', replace: '±', delete: '-', same: ' ', read: ' ', refresh: ' ' };

/** `storage  +0 ~1 ±0 -0`, then each resource that changes; a stateful replace or delete stands out. */
export function formatPreview(p: ComponentPreview): string {
  const head = `  ${pad(p.name, 18)}${p.note ? dim(p.note) : describeChanges(p.changes)}`;
  const lines = p.resources
    .filter((r) => r.op !== 'same' && r.op !== 'read' && r.op !== 'refresh')
    .map((r) => {
      const line = `    ${OP_SIGN[r.op]} ${pad(r.op, 8)}${resourceName(r.urn)} ${dim(r.type)}`;
      return r.stateful ? red(bold(`${line}  ⚠ ${r.op.toUpperCase()}S WHAT HOLDS DATA`)) : line;
    });
  const reach = (p.reaches ?? []).map((r) => yellow(`    → ${describeReach(r)}`));
  return [head, ...lines, ...reach].join('\n');
}

/** `history COMPONENT`: newest first, with how each spec differed from the previous one. */
export function formatHistory(doc: HistoryDocument): string {
  const lines = [bold(`${doc.component} · ${doc.stack} · ${doc.updates.length} update(s), newest first`)];
  for (const u of doc.updates) {
    const changes = u.resourceChanges ? Object.entries(u.resourceChanges).filter(([, n]) => n).map(([op, n]) => `${op} ${n}`).join(', ') : '';
    const spec = u.specHash ? `spec ${u.specHash}${u.specChanges ? (u.specChanges.length ? `: changed ${u.specChanges.join(', ')}` : ': same as before') : ''}` : dim('no spec recorded');
    const result = u.result === 'succeeded' ? green(u.result) : u.result === 'failed' ? red(u.result) : u.result;
    lines.push(`  v${pad(String(u.version), 4)}${pad(u.kind, 9)}${result.padEnd(u.result.length + 1)} ${dim(u.startTime ?? '')}  ${changes ? `${changes} · ` : ''}${spec}`);
  }
  return lines.join('\n');
}

const outputLine = (name: string, value: unknown): string => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;

/** `outputs [COMPONENT]`: a line per output; for every component, a paragraph each. */
export function formatOutputs(report: OutputsReport | AllOutputsReport, env: string): string {
  if (!('components' in report)) return Object.entries(report.outputs).map(([name, o]) => outputLine(name, o.value)).join('\n');
  if (!report.components.length) return `No component of environment "${env}" has a stack yet: run up.`;
  return report.components.map((c) => [`${c.component} (${c.stack})`, ...Object.entries(c.outputs).map(([name, o]) => `  ${outputLine(name, o.value)}`)].join('\n')).join('\n\n');
}

/** `state COMPONENT`: its resources, then the stack's outputs and any pending operation. */
export function formatState(report: StateReport): string {
  return [
    `${report.component} (stack ${report.stack}): ${report.resources.length} resources`,
    ...report.resources.map((r) => `  ${r.type}  ${r.urn.slice(r.urn.lastIndexOf('::') + 2)}${r.id ? `  ${r.id}` : ''}`),
    ...Object.entries(report.outputs).map(([name, value]) => `  output ${outputLine(name, value)}`),
    ...report.pendingOperations.map((p) => `  pending ${p.type}: ${p.urn}`),
  ].join('\n');
}

/** `environments`: the current one starred, with how many components are ready. */
export function formatEnvironments(report: EnvironmentsReport): string {
  return report.environments.map((e) => `${e.current ? '*' : ' '} ${e.name.padEnd(16)} ${e.ready}/${e.total} ready${e.deployed < e.total ? `, ${e.total - e.deployed} not created` : ''}`).join('\n');
}

/** `storage  drifted: 1 deleted`, then each resource. */
export function formatDrift(d: DriftCheck): string {
  const head = `  ${pad(d.name, 18)}${d.note ? dim(d.note) : d.drifted ? red(describeDrift(d.resources)) : green('in sync')}`;
  return [head, ...d.resources.map((r) => `    ${r.change === 'deleted' ? '-' : '~'} ${pad(r.change, 8)}${resourceName(r.urn)} ${dim(r.type)}`)].join('\n');
}

/** Which config the run read, when it is not ./azure.yaml (the original's ~/.modelops files are found too). */
function configNote(file: string | undefined): string {
  return file && file !== resolve('azure.yaml') ? dim(` · ${file}`) : '';
}

/** One line per event worth a human's attention, or undefined to stay quiet. */
export function formatEvent(e: OperationEvent): string | undefined {
  switch (e.type) {
    case 'operation-start':
      return bold(`▶ ${e.operation} · ${e.components.join(', ')} · env ${e.env}`) + configNote(e.config?.file);
    case 'plan':
      return e.steps.map((s) => `  ${s.action === 'skip' ? dim(pad('skip', 11)) : pad(s.action, 11)}${pad(s.component, 18)}${dim(s.reason)}`).join('\n');
    case 'step-start':
      return `${bold(e.component)}: ${e.action}…`;
    case 'step-output':
      return dim(`  ${e.component} │ ${e.line}`);
    case 'retry':
      return yellow(`  ${e.component}: waiting for ${e.waitingFor} (attempt ${e.attempt}, retry in ${e.delayMs} ms): ${e.reason}`);
    case 'step-done':
      return `${bold(e.component)}: ${e.action} ${RESULT_COLOR[e.result](e.result)}${e.message ? ` — ${e.message}` : ''}`;
    case 'health':
      return `  ${pad(e.component, 18)}${pad(e.check, 24)}${e.verdict === 'healthy' ? green(e.verdict) : e.verdict === 'unhealthy' ? red(e.verdict) : yellow(e.verdict)}  ${e.reason}`;
    case 'preflight':
      return `  ${pad('preflight', 18)}${pad(e.check, 24)}${e.verdict === 'passed' ? green(e.verdict) : e.verdict === 'failed' ? red(e.verdict) : yellow(e.verdict)}  ${e.reason}${e.fix ? `\n  ${' '.repeat(42)}${dim('fix: ')}${e.fix}` : ''}`;
    case 'waiting':
      return yellow(`  ${e.message}; waiting until ${new Date(e.until).toLocaleTimeString()}, then refused (--wait)`);
    case 'log':
      return e.level === 'info' ? e.message : `${e.level === 'warn' ? yellow('warning') : red('error')}: ${e.message}`;
    case 'operation-done':
      return bold(`■ ${e.operation} ${RESULT_COLOR[e.result](e.result)} in ${(e.durationMs / 1000).toFixed(1)} s: ${e.summary}`);
    case 'preview':
      return formatPreview(e);
    case 'drift':
      return formatDrift(e);
    case 'condition': {
      const look = e.condition === 'ready' ? green : e.condition === 'stalled' ? red : yellow;
      return `  ${pad(e.component, 18)}${look(pad(e.attempt > 0 || e.condition !== 'reconciling' ? describeCondition(e) : 'reconciling', 32))}${e.condition === 'ready' ? '' : `${e.reason}: ${e.message}`}${e.command ? `\n  ${' '.repeat(18)}${dim('to unblock: ')}${e.command}` : ''}`;
    }
    case 'pass':
      return e.phase === 'start' ? bold(`— pass ${e.pass}`) : dim(`— pass ${e.pass} ${e.converged ? 'converged' : 'not converged'}${e.nextPassAt ? `; next pass at ${e.nextPassAt}` : ''}`);
    case 'readiness':
    case 'problem':
      return undefined;
  }
}
