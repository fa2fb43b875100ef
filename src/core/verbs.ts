/**
 * Every verb of the CLI, declared once: its name (the operation's name in events, documents and
 * the editor), the COMPONENT arguments it takes, and its line in the help. The parser, the help
 * and the CLI's table of verbs (cli/verbs.ts, which the compiler holds to this one) come from it.
 */
import { helpTable } from './helpText';

export type Arguments = 'none' | 'one' | 'optional' | 'many';

interface VerbSpec {
  /** How many COMPONENT arguments it takes. */
  takes: Arguments;
  /** The help's text (wrapped where it is shown). */
  help: string;
  /** It runs no operation: it reads and prints a report (with --events, the report, then one operation-done). */
  report?: true;
}

export const VERB_SPECS = {
  status: { takes: 'none', help: 'readiness of every component (read-only, fast)' },
  validate: { takes: 'none', help: 'config, graph, required outputs and cross-stack references; exit 1 when anything is wrong' },
  up: { takes: 'many', help: 'apply azure.yaml in dependency order, skipping what is ready and unchanged' },
  preview: { takes: 'many', help: 'what an up would change, resource by resource (read-only)' },
  down: { takes: 'many', help: 'destroy in reverse dependency order (all but storage, registry and the resource group unless named or --all); asks first, or --yes' },
  history: { takes: 'one', help: "the component's updates, newest first, with how each one's spec differed", report: true },
  rollback: { takes: 'one', help: "re-run the component's program with the spec of its previous successful update (or --to VERSION): preview, confirm, apply, re-verify what depends on it" },
  repair: { takes: 'one', help: 'clear a dead lock, refresh, provision, re-verify dependents' },
  health: { takes: 'none', help: 'health checks of the provider' },
  drift: { takes: 'many', help: 'what changed or was deleted outside Pulumi (read-only refresh; takes no lock); exit 1 when something drifted' },
  reconcile: { takes: 'none', help: "keep the environment converged: each pass checks status, drift and health and, with --heal, takes the recovery ladder's next steps; bounded retries, then stalled" },
  outputs: { takes: 'optional', help: "a component's stack outputs, or every component's (secrets masked unless --show-secrets)", report: true },
  environments: { takes: 'none', help: 'every environment with stacks in the backend, and how many components are ready there', report: true },
  state: { takes: 'one', help: "what the component's stack state holds: its resources and outputs, every secret masked", report: true },
  migrate: { takes: 'none', help: "take over stacks the original modelops made: what an up would delete of the original's is forgotten (left running), node pools AKS runs are imported; state only; asks first, or --yes" },
} as const satisfies Record<string, VerbSpec>;

export type Verb = keyof typeof VERB_SPECS;
export const VERBS = Object.keys(VERB_SPECS) as Verb[];
/** The verbs that run an operation (the editor runs these with progress and cancel), as against those that read a report. */
export type OperationVerb = { [V in Verb]: (typeof VERB_SPECS)[V] extends { report: true } ? never : V }[Verb];
export const readsReport = (verb: Verb): boolean => 'report' in VERB_SPECS[verb];

export const isVerb = (word: string): word is Verb => Object.hasOwn(VERB_SPECS, word);

const ARGUMENT_USAGE: Record<Arguments, string> = { none: '', one: ' COMPONENT', optional: ' [COMPONENT]', many: ' [COMPONENT...]' };

/** The help's Commands section: each verb with its arguments, then its text. */
export const verbsHelp = (): string => helpTable(VERBS.map((verb) => ({ usage: `${verb}${ARGUMENT_USAGE[VERB_SPECS[verb].takes]}`, text: VERB_SPECS[verb].help })));
