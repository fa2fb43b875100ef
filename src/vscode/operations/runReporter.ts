/** Turns one run's events into log lines, progress messages, node actions and readiness snapshots. */
import type * as vscode from 'vscode';
import type { ComponentPreview, ConfigRead, HealthVerdict, OperationEvent, PlannedStep, RefusedChanges } from '../../core/events';
import { describeChange } from '../../core/dataGuard';
import { describeReach } from '../../core/freshness';
import { describeDrift } from '../../core/drift';
import { describeChanges, resourceName } from '../../core/plan';
import { configDigest } from '../../core/config/digest';
import type { ComponentReadiness } from '../../core/readiness';
import type { Log } from '../log';
import { runHeader } from '../view/format';
import type { FinishedStep } from '../view/runOutcome';
import { stepMessage } from '../view/runPhase';
import type { ReadinessStore } from '../readiness/readinessStore';
import type { RunningOperation, RunningOperations } from './runningOperations';

type Done = Extract<OperationEvent, { type: 'operation-done' }>;

export class RunReporter {
  done: Done | undefined;
  readiness: ComponentReadiness[] | undefined;
  /** The newest readiness the run published while it went on (read before each step ended). */
  private lastRead: ComponentReadiness[] | undefined;
  /** Components a drift check found drifted, with what drifted (`storage (1 deleted)`). */
  readonly drifted: string[] = [];
  /** The plan's steps and every step's end, for the run's closing notification (view/runOutcome.ts). */
  readonly plan: PlannedStep[] = [];
  readonly steps: FinishedStep[] = [];
  private totalSteps = 0;
  private headerWritten = false;
  private readonly previews: ComponentPreview[] = [];
  /** What the data guard refused in this run. */
  readonly refusedChanges: RefusedChanges[] = [];
  private readonly health: Array<{ component: string; check: string; verdict: HealthVerdict; reason: string; checkedAt: string }> = [];

  constructor(
    private readonly op: RunningOperation,
    private readonly running: RunningOperations,
    private readonly store: ReadinessStore,
    private readonly log: Log,
    private readonly progress: vscode.Progress<{ message?: string; increment?: number }>,
    /** The text an editor holds of `file`, when it is open (the run reads the file on disk). */
    private readonly editorText: (file: string) => string | undefined = () => undefined,
  ) {}

  /** The header, when the CLI never sent operation-start (e.g. it refused the config). */
  ensureHeader(env: string): void {
    if (!this.headerWritten) this.header(this.op.verb, this.op.targets === 'all' ? [] : this.op.targets, env);
  }

  handle(e: OperationEvent): void {
    switch (e.type) {
      case 'operation-start':
        this.header(e.operation, e.components, e.env);
        return e.config && this.configRead(e.config);
      case 'plan':
        this.plan.push(...e.steps);
        this.totalSteps = e.steps.filter((s) => s.action !== 'skip').length;
        this.running.setPlan(this.op, e.steps.filter((s) => s.action !== 'skip' && s.action !== 'verify').map((s) => s.component));
        for (const s of e.steps) this.log.info(`  plan: ${s.action} ${s.component} (${s.stack}) — ${s.reason}`);
        return;
      case 'step-start':
        this.running.stepStarted(this.op, e.component, e.action);
        return this.progress.report({ message: stepMessage(this.op.targets, e.component, e.action) });
      case 'step-output':
        return this.log.output(e.component, e.line);
      case 'retry':
        this.log.info(`  ${e.component}: waiting for ${e.waitingFor} (attempt ${e.attempt}, ${e.delayMs} ms): ${e.reason}`);
        return this.progress.report({ message: `${e.component}: waiting for ${e.waitingFor} (attempt ${e.attempt})` });
      case 'waiting':
        this.log.info(`  ${e.message} (waiting until ${e.until})`);
        return this.progress.report({ message: e.message });
      case 'step-done': {
        this.running.stepDone(this.op, e.component, e.action, e.result);
        // The engine reads the state a step left before the step ends, while the row was still the
        // run's (held back): now that it is done, it shows that read.
        if (this.lastRead?.some((c) => c.name === e.component)) this.store.setComponents(this.lastRead, this.running.heldBack('run'));
        this.steps.push({ component: e.component, action: e.action, result: e.result, message: e.message, ...(e.changes ? { changes: e.changes } : {}) });
        if (e.action !== 'preview' && e.action !== 'verify' && e.result !== 'skipped') this.store.clearPreviews([e.component]);
        const line = `  ${e.action} ${e.component}: ${e.result} in ${Math.round(e.durationMs / 1000)} s${e.message ? ` — ${e.message}` : ''}`;
        if (e.result === 'failed') this.log.error(line, false);
        else this.log.info(line);
        const increment = this.totalSteps ? 100 / this.totalSteps : undefined;
        return this.progress.report({ message: `${e.component}: ${e.result}`, increment });
      }
      case 'readiness':
        // While the run goes on, rows it is still working on keep showing the run's phase.
        if (!e.partial) this.readiness = e.components;
        else this.lastRead = e.components;
        return this.store.setComponents(e.components, e.partial ? this.running.heldBack('run') : undefined);
      case 'problem':
        return this.log.warn(`  ${e.problem.code}: ${e.problem.message}`);
      case 'health':
        this.health.push({ component: e.component, check: e.check, verdict: e.verdict, reason: e.reason, checkedAt: new Date().toISOString() });
        return this.log.info(`  health ${e.component} · ${e.check}: ${e.verdict}${e.reason ? ` — ${e.reason}` : ''}`);
      case 'preflight': {
        const line = `  preflight ${e.check}: ${e.verdict} — ${e.reason}${e.fix ? ` (fix: ${e.fix})` : ''}`;
        return e.verdict === 'failed' ? this.log.error(line, false) : e.verdict === 'unknown' ? this.log.warn(line) : this.log.info(line);
      }
      case 'log':
        return e.level === 'error' ? this.log.error(e.message, false) : e.level === 'warn' ? this.log.warn(e.message) : this.log.info(e.message);
      case 'preview': {
        this.previews.push(e);
        const lines = e.note
          ? [`  preview ${e.name}: ${e.note}`]
          : [`  preview ${e.name}: ${describeChanges(e.changes)}`, ...e.resources.filter((r) => r.op !== 'same' && r.op !== 'read').map((r) => `    ${r.op} ${resourceName(r.urn)} (${r.type})${r.stateful ? ' — HOLDS DATA' : ''}`), ...(e.reaches ?? []).map((r) => `    → ${describeReach(r)}`)];
        for (const l of lines) (e.resources.some((r) => r.stateful) ? this.log.warn(l) : this.log.info(l));
        return;
      }
      case 'refused-changes':
        this.refusedChanges.push(e);
        for (const c of e.changes) this.log.warn(`    refused: ${describeChange(c)} — ${e.component}`);
        return;
      case 'drift': {
        const line = `  drift ${e.name}: ${e.note ?? describeDrift(e.resources)}`;
        if (e.drifted) this.log.warn(line);
        else this.log.info(line);
        for (const r of e.resources) this.log.warn(`    ${r.change} ${resourceName(r.urn)} (${r.type})`);
        if (e.drifted) this.drifted.push(`${e.name} (${describeDrift(e.resources).replace('drifted: ', '')})`);
        return;
      }
      case 'condition':
      case 'pass':
        // The reconcile loop's own events: the loop (reconcile/reconcileLoop.ts) reports them.
        return;
      case 'operation-done':
        this.done = e;
        if (e.operation === 'health') this.store.setHealth(this.health);
        if (e.operation === 'preview') this.store.setPreviews(this.previews);
        return;
    }
  }

  /** Which text the run read; a warning when the editor shows another. */
  private configRead(config: ConfigRead): void {
    this.log.info(`  config: ${config.file} (sha256 ${config.digest})`);
    const text = this.editorText(config.file);
    const shown = text === undefined ? undefined : configDigest(text);
    if (shown !== undefined && shown !== config.digest) this.log.warn(`  the editor shows other text than the run read (sha256 ${shown}): the run uses ${config.file} as saved`);
  }

  private header(operation: string, components: readonly string[], env: string): void {
    this.headerWritten = true;
    this.log.info(runHeader(operation, components, env, new Date()));
  }
}
