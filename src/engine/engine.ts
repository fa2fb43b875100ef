/** One loaded config plus the means to read state and emit events: what every operation works with. */
import type { Component } from '../core/components';
import { readinessProblems } from '../core/readinessProblems';
import type { Verb } from '../core/verbs';
import type { EventSink, OperationEvent, OperationResult, PlannedStep, Refusal, StepAction, StepResult } from '../core/events';
import type { PlanInput } from '../core/plan';
import { computeReadiness, describeReadiness, type ComponentReadiness } from '../core/readiness';
import { attemptsKey } from '../core/attempts';
import { specHash, specOf, type Spec } from '../core/spec';
import { effectiveSubscription } from '../core/preflight';
import type { StackState } from '../core/state';
import type { InfraConfig, Problem } from '../core/config/types';
import type { Setup } from './setup';
import { locatePulumi } from './pulumiCli';
import { readStackStates } from './stateReader';
import { backendSnapshot } from './backends/access';
import { driftStatus } from '../core/drift';
import { Records } from './records';

export interface Snapshot {
  states: Map<string, StackState>;
  readiness: ComponentReadiness[];
}

/**
 * One operation in progress: what it plans, the steps it skips, and its one `operation-done`.
 * Everything it emits is timed from its start.
 */
export class OperationRun {
  private finished?: OperationResult;
  private refusedFor?: Refusal;
  private readonly stepResults: StepResult[] = [];

  constructor(private readonly engine: Engine, readonly operation: Verb, readonly started = Date.now()) {}

  get isDone(): boolean {
    return this.finished !== undefined;
  }

  /** Why it was refused, when it was. */
  get refusal(): Refusal | undefined {
    return this.refusedFor;
  }

  /** Results of the steps that ran or were skipped, in order. */
  get results(): readonly StepResult[] {
    return this.stepResults;
  }

  record(result: StepResult): void {
    this.stepResults.push(result);
  }

  plan(steps: PlannedStep[]): void {
    this.engine.emit({ type: 'plan', operation: this.operation, steps });
  }

  /** A step that did not run (or ended before it could start), with why. */
  skip(component: Component, action: StepAction, message: string, result: StepResult = 'skipped'): StepResult {
    this.record(result);
    this.engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action, result, message, durationMs: 0 });
    return result;
  }

  /** A component's readiness reported as a `verify` step: ready or not, in the status's own words. */
  verified(r: ComponentReadiness): void {
    this.engine.emit({ type: 'step-done', component: r.name, stack: r.stack, action: 'verify', result: r.status === 'ready' ? 'succeeded' : 'failed', message: describeReadiness(r), durationMs: 0 });
  }

  /** Emits the operation's `operation-done` (only the first call counts) and returns the result. */
  done(result: OperationResult, summary: string, refusal?: Refusal): OperationResult {
    if (this.finished) return this.finished;
    this.finished = result;
    this.refusedFor = refusal;
    this.engine.emit({ type: 'operation-done', operation: this.operation, result, summary, durationMs: Date.now() - this.started, ...(refusal ? { refusal } : {}) });
    return result;
  }
}

export class Engine {
  private cli?: string;
  private run?: OperationRun;

  /**
   * @param signal cancels the operation: nothing new starts, Pulumi cancels gracefully, the result is `cancelled`
   * @param waitMs behind a live lock of another run, how long to wait for it before refusing (--wait); none: refuse at once
   */
  constructor(
    readonly setup: Setup,
    private readonly sink: EventSink,
    readonly signal?: AbortSignal,
    readonly waitMs?: number,
  ) {}

  /** Events of the operation; once it is done nothing more is said (its stream ends with operation-done). */
  emit(event: OperationEvent): void {
    if (this.run?.isDone && event.type !== 'operation-done') return;
    this.sink(event);
  }

  get cancelled(): boolean {
    return this.signal?.aborted === true;
  }

  /** The operation started last, if any (the CLI ends it when it stops early). */
  get current(): OperationRun | undefined {
    return this.run;
  }

  cliPath(): string {
    return (this.cli ??= locatePulumi(this.setup.settings.pulumiPath));
  }

  component(name: string): Component {
    return this.setup.byName.get(name)!;
  }

  /** What this machine remembers of the stacks: drift checks and the reconcile loop's attempts. */
  get records(): Records {
    return new Records(this.setup.settings);
  }

  /**
   * Reads every stack and judges readiness; dependencies always count, so all stacks are read.
   * Each component also carries its last drift check and reconcile condition, while they still apply.
   */
  async snapshot(): Promise<Snapshot> {
    const backend = await backendSnapshot(this.setup.settings, this.setup.components);
    const records = new Records(this.setup.settings, backend);
    const [read, intents] = await Promise.all([
      readStackStates(this.setup, this.setup.components, () => this.cliPath(), backend),
      Promise.all(this.setup.components.map(async (c) => [c.name, (await records.destroyIntent(c.stack))?.by] as const)),
    ]);
    const intentOf = new Map(intents);
    const states = new Map([...read].map(([name, state]) => [name, intentOf.get(name) ? { ...state, destroyIntent: intentOf.get(name) } : state]));
    const hashes = this.specHashes();
    const keys = new Map(this.setup.components.map((c) => [c.name, this.attemptsKey(c)]));
    const now = Date.now();
    const readiness = await Promise.all(
      computeReadiness(this.setup.components, this.setup.graph, states, hashes).map(async (r) => {
        const [attempts, drift] = await Promise.all([records.attempts(r.stack), records.drift(r.stack)]);
        // A condition speaks for the spec it was reached on, and a passing one only for a while.
        const condition = attempts?.specHash === keys.get(r.name) ? attempts?.condition : undefined;
        const current = condition && (!condition.until || Date.parse(condition.until) > now) ? condition : undefined;
        return { ...r, drift: driftStatus(drift, states.get(r.name)!), ...(current ? { reconcile: current } : {}) };
      }),
    );
    return { states, readiness };
  }

  /**
   * The spec azure.yaml gives each component now, and its hash. On Azure it records the
   * subscription the resources really go into, also when AZURE_SUBSCRIPTION_ID gives it: another
   * subscription is another deployment.
   */
  spec(component: Component): { spec: Spec; hash: string } {
    const config = this.setup.config;
    const effective = config.provider === 'azure' ? { ...config, subscriptionId: effectiveSubscription(config, process.env).id } : config;
    const spec = specOf(effective, component, this.setup.env);
    return { spec, hash: specHash(spec) };
  }

  /** What the reconcile loop counts this component's attempts on (src/core/attempts.ts). */
  attemptsKey(component: Component): string {
    const config = this.setup.config;
    return attemptsKey(this.spec(component).hash, config.provider === 'local' ? config.local.faults[component.name] : undefined);
  }

  private specHashes(): Map<string, string> {
    return new Map(this.setup.components.map((c) => [c.name, this.spec(c).hash]));
  }

  planInput(snapshot: Snapshot): PlanInput {
    return {
      graph: this.setup.graph,
      components: this.setup.byName,
      states: snapshot.states,
      specs: new Map(snapshot.readiness.map((r) => [r.name, r.spec ?? 'unknown'])),
      drifted: new Set(snapshot.readiness.filter((r) => r.drift?.state === 'drifted').map((r) => r.name)),
    };
  }

  problemsFor(readiness: readonly ComponentReadiness[]): Problem[] {
    return [...this.setup.problems, ...readinessProblems(this.setup.parsed, this.setup.components, readiness)];
  }

  /** Readiness re-read while an operation runs (after each step), so views follow it. */
  async publishProgress(): Promise<void> {
    const { readiness } = await this.snapshot();
    this.emit({ type: 'readiness', components: readiness, partial: true });
  }

  /** Emits the final readiness (and its problems) so every surface ends on the truth. */
  async publishReadiness(): Promise<ComponentReadiness[]> {
    const { readiness } = await this.snapshot();
    this.emit({ type: 'readiness', components: readiness });
    for (const problem of readinessProblems(this.setup.parsed, this.setup.components, readiness)) this.emit({ type: 'problem', problem });
    return readiness;
  }

  /**
   * This engine with another config (the same environment, events, cancel and operation):
   * a rollback runs a component's program with an earlier spec.
   */
  withConfig(config: InfraConfig): Engine {
    return this.withSetup({ ...this.setup, config });
  }

  /** This engine with azure.yaml read again (the reconcile loop, between passes). */
  withSetup(setup: Setup): Engine {
    const other = new Engine(setup, this.sink, this.signal, this.waitMs);
    other.cli = this.cli;
    other.run = this.run;
    return other;
  }

  start(operation: Verb, components: readonly string[], options?: Record<string, unknown>): OperationRun {
    this.run = new OperationRun(this, operation);
    const config = { file: this.setup.parsed.file, digest: this.setup.configDigest };
    this.emit({ type: 'operation-start', operation, env: this.setup.env, components: [...components], time: new Date().toISOString(), config, options });
    return this.run;
  }
}
