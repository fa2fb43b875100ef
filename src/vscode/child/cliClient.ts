/** Typed verbs of `mops-infra` for the extension: status, outputs, plans, and event-streaming runs. */
import { dirname, join } from 'node:path';
import type { Log } from '../log';
import { childEnv } from './cliArgs';
import { flagArgs, type FlagValues } from '../../core/flags';
import type { ComponentPreview } from '../../core/events';
import { EXIT } from '../../core/exitCodes';
import { type HistoryDocument, type OperationDocument, type EnvironmentsReport, type OutputsReport, type StateReport, type StatusReport } from '../../core/protocol';
import type { Verb } from '../../core/verbs';
import { ModelOpsError } from '../../core/errors';
import { asEnvironmentsReport, asOutputsReport, asPlan, asStateReport, asStatusReport } from './reports';
import type { PlannedStep } from '../../core/events';
import { CliProcess, type CliExit } from './cliProcess';

export interface CliContext {
  /** The flags every verb is run with (config, environment, …). */
  settings(): FlagValues & { config: string };
  passphrase(): Thenable<string | undefined>;
}

/** The CLI child did not give what was asked for; the message says what it printed instead. */
export class CliError extends ModelOpsError {
  readonly code = 'cli';
  readonly exitCode = EXIT.failed;
  constructor(message: string, readonly exit?: CliExit) {
    super(message);
  }
}

export class CliClient {
  private readonly cliPath: string;

  constructor(extensionPath: string, private readonly context: CliContext, private readonly log: Log) {
    this.cliPath = join(extensionPath, 'dist', 'cli.js');
  }

  /** Starts `verb positionals... flags...` (with the settings' own); the caller reads events or the exit. */
  async start(verb: Verb, positionals: string[], flags: FlagValues): Promise<CliProcess> {
    const settings = this.context.settings();
    const args = [verb, ...positionals, ...flagArgs({ ...settings, ...flags })];
    this.log.debug(`spawn: cli ${args.join(' ')}`);
    return new CliProcess({
      nodePath: process.execPath,
      cliPath: this.cliPath,
      args,
      cwd: dirname(settings.config),
      env: childEnv(process.env, await this.context.passphrase()),
    });
  }

  /** `status --json`: reads state files only, so it is allowed in Restricted Mode. */
  async status(): Promise<StatusReport> {
    const report = asStatusReport(await this.json('status', [], {}));
    if (!report) throw new CliError('status printed no report');
    return report;
  }

  async outputs(component: string, showSecrets: boolean): Promise<OutputsReport> {
    const report = asOutputsReport(await this.json('outputs', [component], { 'show-secrets': showSecrets }));
    if (!report) throw new CliError(`outputs of ${component}: no report`);
    return report;
  }

  /** `environments --json`: every environment with stacks in the backend, and how ready each is. */
  async environments(): Promise<EnvironmentsReport> {
    const report = asEnvironmentsReport(await this.json('environments', [], {}));
    if (!report) throw new CliError('environments: no report');
    return report;
  }

  /** `state COMPONENT --json`: the stack's resources and outputs, every secret masked. */
  async state(component: string): Promise<StateReport> {
    const report = asStateReport(await this.json('state', [component], {}));
    if (!report) throw new CliError(`state of ${component}: no report`);
    return report;
  }

  /** `up --force-recreate --dry-run --json`: the environment, and what would be destroyed, then provisioned. */
  async forceRecreatePlan(components: string[]): Promise<{ env: string; plan: PlannedStep[] }> {
    const plan = asPlan(await this.json('up', components, { 'force-recreate': true, 'dry-run': true }));
    if (!plan) throw new CliError('force recreate: the CLI printed no plan');
    return plan;
  }

  /** A dry run of `verb` (down, rollback, migrate): the environment, the plan, and the summary or refusal it ends with. */
  async dryRun(verb: 'down' | 'rollback' | 'migrate', positionals: string[], flags: FlagValues): Promise<{ env: string; plan: PlannedStep[]; result?: string; summary?: string; previews: ComponentPreview[] }> {
    const doc = (await this.json(verb, positionals, { ...flags, 'dry-run': true })) as Partial<OperationDocument>;
    const plan = asPlan(doc);
    if (!plan) throw new CliError(`${verb}: the CLI printed no plan`);
    return { ...plan, result: doc.result, summary: doc.summary, previews: Array.isArray(doc.previews) ? doc.previews : [] };
  }

  /** `history COMPONENT --json`. */
  async history(component: string): Promise<HistoryDocument> {
    const doc = (await this.json('history', [component], {})) as Partial<HistoryDocument>;
    if (!doc || !Array.isArray(doc.updates)) throw new CliError(`history of ${component}: no document`);
    return doc as HistoryDocument;
  }

  private async json(verb: Verb, positionals: string[], flags: FlagValues): Promise<unknown> {
    const child = await this.start(verb, positionals, { ...flags, json: true });
    const exit = await child.done;
    const text = exit.stdout.trim();
    const start = text.indexOf('{');
    if (start >= 0) {
      try {
        const doc = JSON.parse(text.slice(start)) as { error?: string; problems?: { message: string }[] };
        if (doc && doc.error === 'config') throw new CliError(`the config cannot be used: ${doc.problems?.map((p) => p.message).join(' ') ?? ''}`, exit);
        return doc;
      } catch (error) {
        if (error instanceof CliError) throw error;
      }
    }
    const detail = exit.stderr.trim().split('\n').slice(-3).join(' ') || `exit ${exit.code ?? exit.signal}`;
    throw new CliError(`mops-infra ${verb} failed: ${detail}`, exit);
  }
}
