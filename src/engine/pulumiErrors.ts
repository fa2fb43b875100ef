/**
 * What went wrong in a Pulumi command, in Pulumi's own words: its first `error:` lines, not
 * the Automation API's `code: … stdout: … stderr: …` dump. A passphrase that does not
 * decrypt becomes one line that says how to set the right one.
 */
import { PassphraseError } from '../core/errors';
import { modelopsHome } from '../core/paths';
import { resourceName } from '../core/urn';
import { passphraseConflict } from './settings';

/** A wrong passphrase, naming the other source when two disagree (this process's environment is the run's). */
const wrongPassphrase = (stack: string): PassphraseError => new PassphraseError(stack, passphraseConflict(process.env, modelopsHome(process.env)));

interface WithCommandResult {
  commandResult?: { stdout?: string; stderr?: string; code?: number; err?: Error };
}

const PASSPHRASE = /incorrect passphrase|failed to decrypt|passphrase must be set|unable to decrypt|invalid passphrase|getting secrets manager/i;

function texts(error: unknown): { stderr: string; stdout: string; message: string } {
  const result = (error as WithCommandResult)?.commandResult;
  const message = error instanceof Error ? error.message : String(error);
  return { stderr: result?.stderr ?? '', stdout: result?.stdout ?? '', message: result ? (result.err?.message ?? '') : message };
}

// A warning (Pulumi's "using pulumi-resource-… from $PATH" on every run) is never why a command failed.
const usefulLine = (l: string): boolean => !!l && !/^(code|stdout|stderr|err\?):/.test(l) && !/^(Updating|Previewing|Refreshing|Destroying) \(/.test(l) && !/\bwarning:/i.test(l);

/** The signal that ended the Pulumi process, when one did (the Automation API runs it with execa, which says so). */
function killedBy(error: unknown): string | undefined {
  const err = (error as WithCommandResult)?.commandResult?.err as (Error & { signal?: string }) | undefined;
  return err?.signal ?? /\bwas killed with (SIG[A-Z0-9]+)/.exec(err?.message ?? '')?.[1];
}

/** The first `error:` lines (at most three, deduplicated) of a failed command, else its first useful line. */
export function pulumiErrorText(error: unknown): string {
  const signal = killedBy(error);
  if (signal) return `the Pulumi process was killed (${signal}) before it finished; what it was doing may be left pending: repair clears that`;
  const { stderr, stdout, message } = texts(error);
  const lines = `${stderr}\n${stdout}\n${message}`.split('\n').map((l) => l.trim());
  const errors = [...new Set(lines.filter((l) => /^error:/i.test(l)).map((l) => l.replace(/^error:\s*/i, '')))].filter((l) => l && !/^update failed$/i.test(l));
  const first = errors.slice(0, 3).join('; ') || lines.find(usefulLine) || 'the Pulumi command failed with no message';
  return first.slice(0, 600);
}

/** The engine refused to replace or delete a resource marked `protect` (what holds data): its name and the verb. */
function protectedResource(error: unknown): { name: string; verb: string } | undefined {
  const { stderr, stdout, message } = texts(error);
  const all = `${stderr}\n${stdout}\n${message}`;
  // Pulumi's step generator (replace, also "as part of replacing" a dependency) and its DeleteStep.
  const found = /unable to (replace|delete) resource "([^"]+)"(?:\s+as part of replacing "[^"]+")?\s+as it is currently marked for protection/.exec(all);
  return found ? { name: resourceName(found[2]), verb: found[1] } : undefined;
}

/** Whether Pulumi stopped because the update would replace or delete a resource marked `protect`. */
export function stoppedByProtection(error: unknown): boolean {
  return protectedResource(error) !== undefined;
}

/** Pulumi's error for `stack`, with a wrong or missing passphrase, or what protects data, said plainly. */
export function describePulumiError(error: unknown, stack: string): string {
  const guarded = protectedResource(error);
  if (guarded) return `the engine refused to ${guarded.verb} ${guarded.name} of ${stack}: it holds data and is protected, and this update had no consent to ${guarded.verb} it (--allow-replace)`;
  const text = pulumiErrorText(error);
  if (PASSPHRASE.test(text)) {
    if (/passphrase must be set/i.test(text)) return `no passphrase is set for ${stack}: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE), or run "ModelOps: Set Pulumi Passphrase" in VS Code.`;
    return wrongPassphrase(stack).message;
  }
  return text;
}

/** A PassphraseError when that is what went wrong, else undefined. */
export function passphraseErrorOf(error: unknown, stack: string): PassphraseError | undefined {
  return PASSPHRASE.test(pulumiErrorText(error)) ? wrongPassphrase(stack) : undefined;
}
