/**
 * Completing a pending create whose resource was found to exist: the resource goes into the
 * stack's state with the id the probe found, the creates that were found gone are dropped,
 * and a refresh then reads the real resource. Pulumi's `refresh --import-pending-creates`
 * would be the tool, but Pulumi 3.274 turns the create into an "importing" operation that
 * the refresh then drops, so this takes Pulumi's documented manual path instead: export,
 * edit, import. The export stays encrypted, so no secret reaches the disk in clear.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { writeAside } from './fileWrite';
import { join } from 'node:path';
import type * as automation from '@pulumi/pulumi/automation';
import { runPulumiCmd } from './automation';

interface PendingOperation {
  type: string;
  resource: { urn: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } & Record<string, unknown>;
}

export interface Deployment {
  resources?: Array<Record<string, unknown>>;
  pending_operations?: PendingOperation[];
  [key: string]: unknown;
}

/**
 * The deployment with each pending create in `imports` completed as a resource (its inputs
 * standing for its outputs until the refresh reads them) and every other pending create
 * dropped. Other pending operations stay for the refresh to clear. Pure.
 */
export function completePendingCreates(deployment: Deployment, imports: ReadonlyArray<{ urn: string; id: string }>): Deployment {
  const ids = new Map(imports.map((i) => [i.urn, i.id]));
  const pending = deployment.pending_operations ?? [];
  const completed = pending
    .filter((op) => op.type === 'creating' && ids.has(op.resource.urn))
    .map((op) => ({ ...op.resource, id: ids.get(op.resource.urn)!, outputs: op.resource.outputs && Object.keys(op.resource.outputs).length ? op.resource.outputs : (op.resource.inputs ?? {}) }));
  return {
    ...deployment,
    // Nothing in the state can depend on a create that never finished, so the end is a valid place.
    resources: [...(deployment.resources ?? []), ...completed],
    pending_operations: pending.filter((op) => op.type !== 'creating'),
  };
}


/** Edits the stack's state as completePendingCreates says, through `stack export` and `stack import`. */
export async function importPendingCreates(stack: automation.Stack, imports: ReadonlyArray<{ urn: string; id: string }>, scratchDir: string): Promise<void> {
  await editStackState(stack, (deployment) => completePendingCreates(deployment, imports), scratchDir);
}

/** Pulumi's documented manual path for a state change it has no command for: export, `edit` (pure), import. */
export async function editStackState(stack: automation.Stack, edit: (deployment: Deployment) => Deployment, scratchDir: string): Promise<void> {
  const exported = JSON.parse((await runPulumiCmd(stack, ['stack', 'export', '--stack', stack.name])).stdout) as { version: number; deployment: Deployment };
  const edited = { ...exported, deployment: edit(exported.deployment) };
  mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
  const file = join(scratchDir, `import-${process.pid}-${Date.now()}.json`);
  try {
    writeAside(file, file, JSON.stringify(edited), { mode: 0o600 });
    await runPulumiCmd(stack, ['stack', 'import', '--file', file, '--stack', stack.name]);
  } finally {
    rmSync(file, { force: true });
  }
}
