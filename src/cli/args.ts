/** Command-line arguments of `mops-infra`. */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import { VERBS, type Verb } from '../core/protocol';

export { UsageError, VERBS, type Verb };

export interface CliArgs {
  verb: Verb;
  component?: string;
  /** up: only these components and what they depend on. */
  components?: string[];
  config: string;
  env?: string;
  json: boolean;
  events: boolean;
  yes: boolean;
  forceRecreate: boolean;
  dryRun: boolean;
  showSecrets: boolean;
  pulumi?: string;
  backend?: string;
  retryAttempts?: number;
  retryDelayMs?: number;
}

export const USAGE = `Usage: mops-infra <command> [options]

Commands:
  status                 readiness of every component (read-only, fast)
  validate               config, graph, required outputs and cross-stack references; exit 1 when anything is wrong
  up [COMPONENT...]      provision in dependency order, skipping what is ready
  repair COMPONENT       clear a dead lock, refresh, provision, re-verify dependents
  health                 health checks of the provider
  outputs COMPONENT      a component's stack outputs (secrets masked unless --show-secrets)

Options:
  --config FILE          azure.yaml to use (default ./azure.yaml)
  --env NAME             environment (default: the file's "environment", else dev)
  --json                 print one JSON document
  --events               stream one JSON event per line (for tools such as the VS Code extension)
  --force-recreate       up: destroy in reverse dependency order, then provision (asks first)
  --yes                  confirm destruction without asking
  --dry-run              up: print the plan and change nothing
  --show-secrets         outputs: print secret values
  --pulumi PATH          Pulumi CLI to use (default: MOPS_PULUMI, pulumi on PATH, or the build of npm run setup)
  --backend URL          Pulumi backend (default: pulumi.backend_url, PULUMI_BACKEND_URL, file://~/.modelops/pulumi/backend)
  --retry-attempts N     attempts to read back a dependency's outputs (default 5)
  --retry-delay-ms N     first retry delay, doubled each time with jitter (default 500)
  -h, --help             this help

Exit codes (every command): 0 ok (status, validate: everything ready); 1 failed, or something not ready
or unreadable; 2 bad usage or azure.yaml has errors (nothing was changed); 3 refused (a stack is busy,
or destruction needs --yes); 130 cancelled.`;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number ≥ 0, got "${value}"`);
  return n;
}

export function parseCliArgs(argv: string[]): CliArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      env: { type: 'string' },
      json: { type: 'boolean', default: false },
      events: { type: 'boolean', default: false },
      yes: { type: 'boolean', short: 'y', default: false },
      'force-recreate': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'show-secrets': { type: 'boolean', default: false },
      pulumi: { type: 'string' },
      backend: { type: 'string' },
      'retry-attempts': { type: 'string' },
      'retry-delay-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length === 0) return 'help';
  const [verb, ...rest] = positionals;
  if (!(VERBS as readonly string[]).includes(verb)) throw new UsageError(`unknown command "${verb}"; commands: ${VERBS.join(', ')}`);
  if ((verb === 'repair' || verb === 'outputs') && rest.length !== 1) throw new UsageError(`${verb} needs exactly one COMPONENT`);
  if (verb !== 'repair' && verb !== 'outputs' && verb !== 'up' && rest.length) throw new UsageError(`${verb} takes no arguments`);
  if (values.json && values.events) throw new UsageError('--json and --events do not go together');
  return {
    verb: verb as Verb,
    component: verb === 'up' ? undefined : rest[0],
    ...(verb === 'up' && rest.length ? { components: rest } : {}),
    config: values.config ?? 'azure.yaml',
    env: values.env,
    json: values.json!,
    events: values.events!,
    yes: values.yes!,
    forceRecreate: values['force-recreate']!,
    dryRun: values['dry-run']!,
    showSecrets: values['show-secrets']!,
    pulumi: values.pulumi,
    backend: values.backend,
    retryAttempts: positiveInt('--retry-attempts', values['retry-attempts']),
    retryDelayMs: positiveInt('--retry-delay-ms', values['retry-delay-ms']),
  } as CliArgs;
}
