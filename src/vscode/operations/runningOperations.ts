/**
 * Operations this window runs, per component: refuses a second one on a busy
 * component, and ticks every second so running nodes can show a timer.
 */
import * as vscode from 'vscode';
import type { CliProcess } from '../cli/cliProcess';

/** A target that is not a component (validate, health) starts with '#'; '*' means every component. */
export const ALL_COMPONENTS = '*';

export interface RunningOperation {
  id: number;
  verb: string;
  targets: string[];
  started: number;
  /** The step action running now on a component (`up`, `destroy`, `refresh`…). */
  actions: Map<string, string>;
  /** Steps still to run per component, once the plan is known (skips excluded). */
  pending?: Map<string, number>;
  process: CliProcess;
}

function conflicts(a: readonly string[], b: readonly string[]): boolean {
  const components = (t: readonly string[]) => t.filter((x) => !x.startsWith('#'));
  const ca = components(a);
  const cb = components(b);
  if ((ca.includes(ALL_COMPONENTS) && cb.length) || (cb.includes(ALL_COMPONENTS) && ca.length)) return true;
  return a.some((x) => b.includes(x));
}

export class RunningOperations implements vscode.Disposable {
  private readonly operations = new Map<number, RunningOperation>();
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly ticked = new vscode.EventEmitter<void>();
  /** Operations started, stopped or changed step. */
  readonly onDidChange = this.changed.event;
  /** Every second while anything runs. */
  readonly onDidTick = this.ticked.event;

  get all(): RunningOperation[] {
    return [...this.operations.values()];
  }

  /** The running operation that holds these targets, if any. */
  holder(targets: readonly string[]): RunningOperation | undefined {
    return this.all.find((op) => conflicts(op.targets, targets));
  }

  /** The operation working on a component: per its plan once known, else only if named explicitly. */
  forComponent(name: string): RunningOperation | undefined {
    return this.all.find((op) => (op.pending ? (op.pending.get(name) ?? 0) > 0 : op.targets.includes(name)));
  }

  setPlan(op: RunningOperation, components: readonly string[]): void {
    op.pending = new Map();
    for (const c of components) op.pending.set(c, (op.pending.get(c) ?? 0) + 1);
    this.changed.fire();
  }

  begin(verb: string, targets: string[], process: CliProcess): RunningOperation {
    const op: RunningOperation = { id: this.nextId++, verb, targets, started: Date.now(), actions: new Map(), process };
    this.operations.set(op.id, op);
    this.timer ??= setInterval(() => this.ticked.fire(), 1000);
    this.changed.fire();
    return op;
  }

  stepStarted(op: RunningOperation, component: string, action: string): void {
    op.actions.set(component, action);
    this.changed.fire();
  }

  stepDone(op: RunningOperation, component: string): void {
    op.actions.delete(component);
    const left = (op.pending?.get(component) ?? 1) - 1;
    if (op.pending && left <= 0) op.pending.delete(component);
    else op.pending?.set(component, left);
    this.changed.fire();
  }

  end(op: RunningOperation): void {
    this.operations.delete(op.id);
    if (this.operations.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    this.changed.fire();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.changed.dispose();
    this.ticked.dispose();
  }
}
