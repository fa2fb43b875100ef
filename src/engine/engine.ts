/** One loaded config plus the means to read state and emit events: what every operation works with. */
import type { Component } from '../core/components';
import { readinessProblems } from '../core/diagnostics';
import type { EventSink, OperationEvent, OperationName, OperationResult, PlannedStep } from '../core/events';
import { computeReadiness, type ComponentReadiness } from '../core/readiness';
import type { StackState } from '../core/state';
import type { Problem } from '../core/config/types';
import type { InfraContext } from './context';
import { locatePulumi } from './pulumiCli';
import { readStackStates } from './stateReader';

export interface Snapshot {
  states: Map<string, StackState>;
  readiness: ComponentReadiness[];
}

export class Engine {
  private cli?: string;

  /**
   * @param signal cancels the operation: nothing new starts, and the result is `cancelled`
   * @param pulumiSignal passed to Pulumi, which cancels gracefully on it; differs from `signal`
   *   only in a terminal, where Ctrl-C already reaches Pulumi (a second SIGINT would kill it)
   */
  constructor(
    readonly ctx: InfraContext,
    private readonly sink: EventSink,
    readonly signal?: AbortSignal,
    readonly pulumiSignal: AbortSignal | undefined = signal,
  ) {}

  emit(event: OperationEvent): void {
    this.sink(event);
  }

  cliPath(): string {
    return (this.cli ??= locatePulumi(this.ctx.settings.pulumiPath));
  }

  component(name: string): Component {
    return this.ctx.byName.get(name)!;
  }

  /** Reads every stack and judges readiness; dependencies always count, so all stacks are read. */
  async snapshot(): Promise<Snapshot> {
    const states = await readStackStates(this.ctx, this.ctx.components, () => this.cliPath());
    return { states, readiness: computeReadiness(this.ctx.components, this.ctx.graph, states) };
  }

  problemsFor(readiness: readonly ComponentReadiness[]): Problem[] {
    return [...this.ctx.problems, ...readinessProblems(this.ctx.parsed, this.ctx.components, readiness)];
  }

  /** Emits the final readiness (and its problems) so every surface ends on the truth. */
  async publishReadiness(): Promise<ComponentReadiness[]> {
    const { readiness } = await this.snapshot();
    this.emit({ type: 'readiness', components: readiness });
    for (const problem of readinessProblems(this.ctx.parsed, this.ctx.components, readiness)) this.emit({ type: 'problem', problem });
    return readiness;
  }

  start(operation: OperationName, components: readonly string[], options?: Record<string, unknown>): number {
    this.emit({ type: 'operation-start', operation, env: this.ctx.env, components: [...components], time: new Date().toISOString(), options });
    return Date.now();
  }

  plan(operation: OperationName, steps: PlannedStep[]): void {
    this.emit({ type: 'plan', operation, steps });
  }

  done(operation: OperationName, started: number, result: OperationResult, summary: string): OperationResult {
    this.emit({ type: 'operation-done', operation, result, summary, durationMs: Date.now() - started });
    return result;
  }
}
