/**
 * Preflight as `validate` and `up` run it: for `provider: azure` only, judged in core
 * (src/core/preflight.ts) from what src/probes/arm/preflight.ts reads through the Azure SDK.
 * Every check is reported as a `preflight` event; a failed one is also a problem on its line.
 */
import { rangeOf, type Problem } from '../../core/config/types';
import { judgeSshKey, preflightRefusal, type PreflightCheck } from '../../core/preflight';
import { sshPublicKey } from '../programs/azure/cluster';
import { azurePreflight, roleAssignmentRights, type ArmAccess } from '../../probes/arm/preflight';
import type { Engine, Snapshot } from '../engine';

/** Checks what creating `creating` needs (default: every component that has no stack yet). */
export async function runPreflight(engine: Engine, snapshot: Snapshot, creating?: ReadonlySet<string>): Promise<PreflightCheck[]> {
  const { config, env, components } = engine.setup;
  if (config.provider !== 'azure') return [];
  const absent = new Set(components.filter((c) => !snapshot.states.get(c.name)?.exists).map((c) => c.name));
  const created = creating ?? absent;
  const checks = await azurePreflight(config, env, created, process.env);
  if (created.has('cluster')) checks.push(judgeSshKey(sshKeyProblem(config.ssh)));
  for (const c of checks) emitCheck(engine, c);
  return checks;
}

function emitCheck(engine: Pick<Engine, 'emit'>, c: PreflightCheck): void {
  engine.emit({ type: 'preflight', check: c.check, verdict: c.verdict, reason: c.reason, ...(c.fix ? { fix: c.fix } : {}) });
}

/**
 * The checks that could not be made before this run created what they read, made again just before
 * `component` (the cluster: the resource group exists by then, and nothing of the cluster does yet).
 * Why the component must not start, or undefined.
 */
export async function recheckBefore(engine: Pick<Engine, 'setup' | 'emit'>, component: string, checks: readonly PreflightCheck[], access?: ArmAccess): Promise<string | undefined> {
  if (!checks.some((c) => c.recheckBefore === component && c.check === 'role assignment rights')) return undefined;
  const again = await roleAssignmentRights(engine.setup.config, engine.setup.env, process.env, access);
  emitCheck(engine, again);
  return preflightRefusal([again]);
}

/** Why AKS would refuse the key `up` will give it (none read, unreadable, not RSA, too short). */
function sshKeyProblem(ssh: Parameters<typeof sshPublicKey>[0]): string | undefined {
  try {
    sshPublicKey(ssh);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export function preflightProblems(engine: Engine, checks: readonly PreflightCheck[]): Problem[] {
  const { parsed } = engine.setup;
  return checks
    .filter((c) => c.verdict === 'failed')
    .map((c) => ({
      file: parsed.file,
      range: rangeOf(parsed, c.configPath ?? []),
      severity: 'error' as const,
      code: 'preflight-failed' as const,
      message: `Preflight ${c.check}: ${c.reason}.${c.fix ? ` Fix: ${c.fix}.` : ''}`,
    }));
}

/** "preflight: 6 passed, 1 unknown" (empty for other providers). */
export function describePreflight(checks: readonly PreflightCheck[]): string {
  if (!checks.length) return '';
  const count = (v: PreflightCheck['verdict']) => checks.filter((c) => c.verdict === v).length;
  return `preflight: ${[`${count('passed')} passed`, count('failed') && `${count('failed')} failed`, count('unknown') && `${count('unknown')} unknown`].filter(Boolean).join(', ')}`;
}
