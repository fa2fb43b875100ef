/** Runs one Pulumi command on one component's stack, streaming its output as events. */
import type { Component } from '../core/components';
import type * as automation from '@pulumi/pulumi/automation';
import type { ChangeCounts, ResourceChange, StepAction, StepResult } from '../core/events';
import { changeCounts } from '../core/plan';
import { join } from 'node:path';
import { loadAutomation, loadPulumiSdk, workspaceFor, type Program } from './automation';
import { importPendingCreates } from './pendingCreates';
import { plannedChanges } from './plannedChanges';
import { describePulumiError, stoppedByProtection } from './pulumiErrors';
import { PREVIEW_FIRST_ENV } from './pulumiProcess';
import { pulumiTooOld } from '../core/pulumiVersion';
import { freshnessFor } from './freshness';
import { OWNER_CONFIG_KEY } from '../core/ownership';
import { canonicalJson, SPEC_CONFIG_KEY, SPEC_HASH_CONFIG_KEY } from '../core/spec';
import type { Engine, OperationRun } from './engine';
import { keptNames } from './keptNames';
import { programFor } from './programs';
import type { Access } from './settings';

export interface StepOutcome {
  result: StepResult;
  message: string;
  /** What Pulumi's summary says the step did to resources. */
  changes?: ChangeCounts;
  /** Why the data guard refused the step (it is then `skipped`: nothing of the component changed). */
  refused?: string;
}

/** Splits raw output chunks into whole lines. */
class LineStream {
  private partial = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) this.onLine(line);
  }
  flush(): void {
    if (this.partial.trim()) this.onLine(this.partial);
    this.partial = '';
  }
}

export interface StepOptions {
  /** up: refresh first, so what changed outside Pulumi is seen (and what was deleted is created again). */
  refresh?: boolean;
  /** resolve-pending: pending creates whose resource exists, with the id probing found. */
  imports?: ReadonlyArray<{ urn: string; id: string }>;
  /** up: the user consented to replacing or deleting what holds data (Pulumi's --ignore-protect). */
  allowReplace?: boolean;
  /**
   * up: Pulumi previews before it changes anything; when that preview stops on a resource the
   * state protects, `refuse` turns what it planned into the data guard's refusal (or undefined,
   * and the step fails as Pulumi says). See operations/dataGuard.ts.
   */
  refuse?: (planned: ResourceChange[]) => string | undefined;
}

/**
 * The component's stack with its program (`create`: also when it does not exist yet; `access`
 * 'read' writes nothing; `ignoreProtect`: a consented update or destroy may replace or delete
 * what the program protects, see programs/index.ts).
 */
export async function stackFor(engine: Engine, component: Component, create: boolean, access: Access = 'write', ignoreProtect = false) {
  const auto = await loadAutomation();
  const freshness = access === 'write' ? await freshnessFor(engine, component) : undefined;
  const program: Program = programFor(engine.setup, component, await loadPulumiSdk(), { protectData: true, kept: await keptNames(engine, component), ...(freshness ? { freshness } : {}) });
  const ws = await workspaceFor(engine.setup.settings, engine.cliPath(), component, program, access, ignoreProtect);
  const tooOld = access === 'write' ? pulumiTooOld(engine.setup.config.provider, ws.pulumiVersion) : undefined;
  if (tooOld) throw new Error(`${component.name}: nothing was changed: ${tooOld}.`);
  return create ? auto.Stack.createOrSelect(component.stack, ws) : auto.Stack.select(component.stack, ws);
}

/**
 * The spec this update runs with and whose stack it is (environment and component), recorded as
 * stack config so the backend's history keeps them (the spec itself as a secret).
 */
async function recordSpec(engine: Engine, component: Component, stack: Awaited<ReturnType<typeof stackFor>>): Promise<void> {
  const { spec, hash } = engine.spec(component);
  await stack.setAllConfig({
    [SPEC_HASH_CONFIG_KEY]: { value: hash },
    [SPEC_CONFIG_KEY]: { value: canonicalJson(spec), secret: true },
    [OWNER_CONFIG_KEY]: { value: component.owner },
  });
}

type StackCommand = (stack: Awaited<ReturnType<typeof stackFor>>, opts: { onOutput: (s: string) => void; onEvent?: (e: automation.EngineEvent) => void; signal?: AbortSignal }, options: StepOptions, engine: Engine) => Promise<unknown>;

type Before = (engine: Engine, component: Component, stack: Awaited<ReturnType<typeof stackFor>>) => Promise<void>;

interface Command {
  create: boolean;
  run: StackCommand;
  verb: string;
  before?: Before;
}

const COMMANDS: Record<Exclude<StepAction, 'verify' | 'skip' | 'preview' | 'drift' | 'probe' | 'forget' | 'import'>, Command> = {
  up: { create: true, verb: 'provisioned', run: (s, o, options) => s.up({ ...o, color: 'never', ...(options.refresh ? { refresh: true } : {}) }), before: recordSpec },
  destroy: { create: false, verb: 'destroyed', run: (s, o) => s.destroy({ ...o, color: 'never' }) },
  refresh: { create: false, verb: 'refreshed', run: (s, o) => s.refresh({ ...o, color: 'never', clearPendingCreates: true }) },
  'clear-lock': { create: false, verb: 'cleared the stale lock of', run: (s) => s.cancel() },
  // Creates whose resource exists are completed in the state, the rest cleared; the refresh then reads what is real.
  'resolve-pending': {
    create: false,
    verb: 'resolved the pending operations of',
    run: async (s, o, options, engine) => {
      if (options.imports?.length) await importPendingCreates(s, options.imports, join(engine.setup.settings.modelopsHome, 'cli', 'scratch'));
      return s.refresh({ ...o, color: 'never', clearPendingCreates: true });
    },
  },
};

/** Pulumi will record the cancelled update as failed; our record says it was a cancel. */
async function recordCancel(engine: Engine, component: Component, action: StepAction): Promise<void> {
  try {
    await engine.records.setCancel(component.stack, { at: new Date().toISOString(), action });
  } catch (error) {
    engine.emit({ type: 'log', level: 'warn', message: `could not record that ${action} of ${component.stack} was cancelled: ${(error as Error).message.split('\n')[0]}` });
  }
}

/**
 * Runs `action` on the component's stack as a step of `run`; never throws for Pulumi
 * failures (they become a failed step). Readiness is re-read before it is said to end.
 */
/** A record of ours beside the step: one that cannot be written is said, and does not fail the step. */
async function keepRecord(engine: Engine, write: () => Promise<void>): Promise<void> {
  await write().catch((error: unknown) => engine.emit({ type: 'log', level: 'warn', message: `could not keep a record beside the state: ${(error as Error).message.split('\n')[0]}` }));
}

export async function runStep(engine: Engine, run: OperationRun, component: Component, action: keyof typeof COMMANDS, options: StepOptions = {}): Promise<StepOutcome> {
  const started = Date.now();
  const command = COMMANDS[action];
  engine.emit({ type: 'step-start', component: component.name, stack: component.stack, action, time: new Date().toISOString() });
  const lines = new LineStream((line) => engine.emit({ type: 'step-output', component: component.name, action, line }));
  let outcome: StepOutcome;
  const planned = options.refuse && action === 'up' ? plannedChanges(component.kind) : undefined;
  // Before a destroy starts, what it is for, so a run killed part-way is finished, never undone (records.ts).
  if (action === 'destroy') await keepRecord(engine, () => engine.records.setDestroyIntent(component.stack, run.operation === 'down' ? 'down' : 'force-recreate'));
  try {
    // A destroy runs only once confirmed (down, force-recreate --yes); an update, once --allow-replace consented.
    const stack = await stackFor(engine, component, command.create, 'write', action === 'destroy' || !!options.allowReplace);
    // Pulumi's SDK ignores a signal that is already aborted, so a cancel that came while
    // the workspace was being prepared must stop the step here.
    await command.before?.(engine, component, stack);
    if (planned) stack.workspace.envVars[PREVIEW_FIRST_ENV] = '1';
    if (engine.cancelled) throw new Error('cancelled before Pulumi started');
    const ran = (await command.run(stack, { onOutput: (chunk) => lines.push(chunk), ...(planned ? { onEvent: planned.onEvent } : {}), signal: engine.signal }, options, engine)) as { summary?: { resourceChanges?: Record<string, number> } } | undefined;
    const changes = ran?.summary?.resourceChanges;
    outcome = { result: 'succeeded', message: `${command.verb} ${component.stack}`, ...(changes ? { changes: changeCounts(changes) } : {}) };
  } catch (error) {
    const cancelled = engine.cancelled;
    const refused = planned && !cancelled && stoppedByProtection(error) ? options.refuse!(planned.changes) : undefined;
    if (refused) outcome = { result: 'skipped', message: refused, refused };
    else outcome = { result: cancelled ? 'cancelled' : 'failed', message: cancelled ? `${action} of ${component.stack} cancelled` : describePulumiError(error, component.stack) };
  }
  lines.flush();
  // A finished down, or the up a force recreate owed: nothing of a destroy is left to finish.
  if (outcome.result === 'succeeded' && ((action === 'destroy' && run.operation === 'down') || action === 'up')) await keepRecord(engine, () => engine.records.clearDestroyIntent(component.stack));
  // Only an up or a destroy leaves the history entry that readiness judges.
  if (outcome.result === 'cancelled' && (action === 'up' || action === 'destroy')) await recordCancel(engine, component, action);
  run.record(outcome.result);
  const durationMs = Date.now() - started;
  // The state the step left is read before it is said to be done: a view that shows a finished
  // step never shows it beside the status from before it.
  await engine.publishProgress().catch((error: unknown) => engine.emit({ type: 'log', level: 'warn', message: `could not read the state ${component.stack} was left in: ${(error as Error).message.split('\n')[0]}` }));
  engine.emit({ type: 'step-done', component: component.name, stack: component.stack, action, result: outcome.result, message: outcome.message, durationMs, ...(outcome.changes ? { changes: outcome.changes } : {}) });
  return outcome;
}
