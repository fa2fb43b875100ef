/** The exit codes of every verb: near a leaf (only the help's layout), so errors and the protocol both read them. */
import { helpTable } from './helpText';

export const EXIT = {
  ok: 0,
  failed: 1,
  invalidInput: 2,
  refused: 3,
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each code means, for every verb (the help shows these; the README's table says it verb by verb). */
export const EXIT_MEANING: Record<keyof typeof EXIT, string> = {
  ok: 'ok (status, validate: every component ready; drift: nothing drifted; reconcile --once: everything converged)',
  failed: 'failed, or something is not ready, drifted, not converged, or could not be read',
  invalidInput: 'bad usage, or azure.yaml has errors (nothing was changed)',
  refused: 'refused: a stack is busy, destruction needs --yes, or an update would replace or delete what holds data',
  cancelled: 'cancelled (Ctrl-C, or Cancel in VS Code)',
};

/** The help's Exit codes section. */
export const exitCodesHelp = (): string =>
  helpTable((Object.keys(EXIT) as (keyof typeof EXIT)[]).map((name) => ({ usage: String(EXIT[name]), text: EXIT_MEANING[name] })), 8);
