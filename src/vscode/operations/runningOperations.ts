/**
 * Operations this window runs: which components each holds (a second one on a busy
 * component is refused), where each of its components is in the run (queued, a step
 * running, done), and a tick every second so running rows can show a timer.
 */
import * as vscode from 'vscode';
import type { CliProcess } from '../child/cliProcess';
import type { StepResult } from '../../core/events';
import { type ComponentPhase, type RunTargets, targetsConflict } from '../view/runPhase';

export interface RunningOperation {
  id: number;
  verb: string;
  /** As the progress notification names it: "Up", "Force recreate workspace". */
  title: string;
  targets: RunTargets;
  started: number;
  /** Per component of the plan (skips excluded): where it is in this run. */
  phases: Map<string, ComponentPhase>;
  process: CliProcess;
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

  /** The running operation that holds any of these targets, if any. */
  holder(targets: RunTargets): RunningOperation | undefined {
    return this.all.find((op) => targetsConflict(op.targets, targets));
  }

  /** The operation whose plan includes a component and is not done with it. */
  forComponent(name: string): RunningOperation | undefined {
    return this.all.find((op) => {
      const phase = op.phases.get(name);
      return phase !== undefined && phase.kind !== 'done';
    });
  }

  phaseOf(name: string): { op: RunningOperation; phase: ComponentPhase } | undefined {
    for (const op of this.all) {
      const phase = op.phases.get(name);
      if (phase) return { op, phase };
    }
    return undefined;
  }

  /**
   * Whether a component's readiness from `source` must not replace what is shown: from a
   * refresh (another process, which sees our own locks as "busy"), every component a run of
   * ours holds, the ones it skips too; from the run's own events, those running a step or
   * still waiting for their first.
   */
  heldBack(source: 'refresh' | 'run'): (name: string) => boolean {
    const ops = this.all;
    if (source === 'refresh') return (name) => ops.some((op) => op.targets === 'all' || op.targets.includes(name) || op.phases.has(name));
    return (name) => ops.some((op) => {
      const phase = op.phases.get(name);
      return phase !== undefined && (phase.kind === 'running' || (phase.kind === 'queued' && phase.stepsDone === 0));
    });
  }

  setPlan(op: RunningOperation, components: readonly string[]): void {
    op.phases = new Map();
    for (const c of components) {
      const p = op.phases.get(c);
      op.phases.set(c, { kind: 'queued', stepsLeft: (p?.stepsLeft ?? 0) + 1, stepsDone: 0, since: Date.now() });
    }
    this.changed.fire();
  }

  begin(verb: string, targets: RunTargets, process: CliProcess, title = verb): RunningOperation {
    const op: RunningOperation = { id: this.nextId++, verb, title, targets, started: Date.now(), phases: new Map(), process };
    this.operations.set(op.id, op);
    this.timer ??= setInterval(() => this.ticked.fire(), 1000);
    this.changed.fire();
    return op;
  }

  stepStarted(op: RunningOperation, component: string, action: string): void {
    const p = op.phases.get(component) ?? { kind: 'queued', stepsLeft: 1, stepsDone: 0, since: Date.now() };
    op.phases.set(component, { ...p, kind: 'running', action, since: Date.now() });
    this.changed.fire();
  }

  stepDone(op: RunningOperation, component: string, action: string, result: StepResult): void {
    const p = op.phases.get(component);
    if (!p) return;
    const stepsLeft = Math.max(0, p.stepsLeft - 1);
    const results = [...(p.results ?? []), { action, result }];
    op.phases.set(component, { kind: stepsLeft ? 'queued' : 'done', stepsLeft, stepsDone: p.stepsDone + 1, since: Date.now(), results });
    this.changed.fire();
  }

  /** An operation was asked to cancel (its rows offer Force Stop from now on). */
  cancelAsked(): void {
    this.changed.fire();
  }

  /** Whether any operation was asked to cancel and still runs. */
  get cancelling(): boolean {
    return this.all.some((op) => op.process.cancelCount > 0);
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
