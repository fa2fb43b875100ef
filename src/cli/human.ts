/** Human output: a status table and a readable stream of operation events. */
import type { Problem } from '../core/config/types';
import type { OperationEvent } from '../core/events';
import type { ComponentReadiness, Status } from '../core/readiness';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const green = paint('32');
const yellow = paint('33');
const red = paint('31');
const dim = paint('2');
const bold = paint('1');

const STATUS_COLOR: Record<Status, (s: string) => string> = {
  ready: green,
  'outputs-missing': yellow,
  failed: red,
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

export function formatStatus(env: string, configFile: string, components: readonly ComponentReadiness[], problems: readonly Problem[]): string {
  const nameWidth = Math.max(10, ...components.map((c) => c.name.length + 2));
  const stackWidth = Math.max(12, ...components.map((c) => c.stack.length + 2));
  const lines = [bold(`ModelOps infrastructure · env ${env} · ${configFile}`)];
  for (const c of components) {
    lines.push(`  ${pad(c.name, nameWidth)}${pad(c.stack, stackWidth)}${STATUS_COLOR[c.status](pad(c.status, 17))}${c.reason}`);
  }
  const ready = components.filter((c) => c.status === 'ready').length;
  lines.push(`${ready}/${components.length} ready`);
  for (const p of problems) lines.push(formatProblem(p));
  return lines.join('\n');
}

const RESULT_COLOR = { succeeded: green, failed: red, cancelled: yellow, skipped: dim, refused: red } as const;

/** One line per event worth a human's attention, or undefined to stay quiet. */
export function formatEvent(e: OperationEvent): string | undefined {
  switch (e.type) {
    case 'operation-start':
      return bold(`▶ ${e.operation} · ${e.components.join(', ')} · env ${e.env}`);
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
    case 'log':
      return e.level === 'info' ? e.message : `${e.level === 'warn' ? yellow('warning') : red('error')}: ${e.message}`;
    case 'operation-done':
      return bold(`■ ${e.operation} ${RESULT_COLOR[e.result](e.result)} in ${(e.durationMs / 1000).toFixed(1)} s: ${e.summary}`);
    case 'readiness':
    case 'problem':
      return undefined;
  }
}
