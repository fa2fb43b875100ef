/**
 * Every problem code, with what it means: the config parser's, readiness's and the model's.
 * Quick fixes, docs and tests key on these; `Problem.code` is one of them.
 */
import { type CONFIG_PROBLEM_CODES } from './config/codes';


/** Problems that come from the state of the stacks, placed in azure.yaml. */
export const READINESS_PROBLEM_CODES = {
  'missing-output': 'A stack output a component must export is missing or empty.',
  'missing-dependency-output': 'A component reads an output that its dependency does not have.',
  'component-failed': 'The most recent update of the component failed.',
  'component-cancelled': 'The most recent update of the component was cancelled part-way (Pulumi records it as failed; our own record says it was a cancel).',
  'down-interrupted': 'A down of the component stopped part-way (a killed process, a lost machine): Down again finishes it; nothing brings it back by itself.',
  'component-interrupted': 'An operation did not finish: pending operations, a lock left by a dead process, or a destroy that stopped part-way.',
  'component-unknown': 'The component state could not be read.',
  'spec-changed': 'azure.yaml changed what the component is deployed with since its last up.',
  'component-stale': 'The component was built from upstream outputs that hold another value now (a rotated key, a replaced account or cluster): Up re-applies it.',
  'component-drifted': 'The last drift check found resources changed or deleted outside Pulumi.',
  'component-stalled': 'The reconcile loop stopped trying: it needs a person (the message says which command).',
  'fault-active': 'A rehearsal fault in `local.faults` is what keeps a component from being ready; Repair fails the same way until it is removed.',
} as const;

/** Problems of the model as a whole (besides the config's own and readiness's). */
export const MODEL_PROBLEM_CODES = {
  'dependency-cycle': '`depends_on` closes a loop: no component of it could go first.',
  'config-unreadable': 'The file does not exist or cannot be read.',
  'dangling-reference': 'A component reads a stack that does not exist.',
  'stack-owned-elsewhere': "A component's stack records another environment or component as its owner, or its name is also another environment's run on the same backend: no operation touches it.",
  'stack-name-ambiguous': "An adaptive run not deployed yet whose stack name another environment's run on the same backend also gives (env `dev` run `x-y`, env `dev-x` run `y`): whichever deploys second is refused, so rename it now.",
  'preflight-failed': 'Azure would refuse a first up: a provider not registered, quota short, a name taken, a Kubernetes version not offered, no subscription.',
} as const;

export type ProblemCode = keyof typeof CONFIG_PROBLEM_CODES | keyof typeof READINESS_PROBLEM_CODES | keyof typeof MODEL_PROBLEM_CODES;
