/**
 * Which environment and component a stack belongs to. An adaptive run's stack is
 * `modelops-adaptive-<env>-<run>`, and both parts may hold `-`: environment `dev` with run
 * `x-y` and environment `dev-x` with run `y` name the same stack, so an `up` of one would
 * replace the other's run (its Postgres with it). Every update records its owner with the stack
 * (stack config, like the spec), and a stack recorded for another owner, or a name another
 * environment of the same backend can also produce, is never touched.
 */
import type { StackState } from './state';

/** What ownership needs of a component (src/core/components.ts), named here so components can use ownerOf. */
interface Owned {
  name: string;
  stack: string;
  project: string;
  run?: string;
  owner: string;
}

export const OWNER_CONFIG_KEY = 'modelops:owner';

/** `<env>/<component>`: environment names hold no `/`. */
export const ownerOf = (env: string, component: Pick<Owned, 'name'>): string => `${env}/${component.name}`;

function describeOwner(owner: string): string {
  const at = owner.indexOf('/');
  return at < 0 ? `"${owner}"` : `environment "${owner.slice(0, at)}"'s ${owner.slice(at + 1)}`;
}

/** Why the stack's recorded owner is not `component` (undefined when it is, or none is recorded). */
export function foreignOwner(component: Pick<Owned, 'name' | 'stack' | 'run' | 'owner'>, state: Pick<StackState, 'owner'> | undefined): string | undefined {
  if (!state?.owner || state.owner === component.owner) return undefined;
  return `stack ${component.stack} belongs to ${describeOwner(state.owner)}, not to ${describeOwner(component.owner)}: both names give this stack. Nothing was changed; rename adaptive run "${component.run ?? component.name}" in this file.`;
}

/**
 * Why environment `env` must not touch `component`'s stack, if it must not: the stack records
 * another owner, or it exists, records none (an update before owners were recorded, or another
 * tool's), and its name is also a run of another environment in `backendEnvs`. A stack that does
 * not exist yet is free: the update that creates it records its owner.
 */
export function ownershipConflict(env: string, component: Owned, state: Pick<StackState, 'owner' | 'exists'> | undefined, backendEnvs: readonly string[]): string | undefined {
  if (state?.owner) return foreignOwner(component, state);
  if (!state?.exists) return undefined;
  const other = otherNamer(env, component, backendEnvs);
  if (!other) return undefined;
  return `stack ${component.stack} is also environment "${other.env}"'s adaptive run "${other.run}" on this backend, and it records no owner to tell them apart. Nothing was changed; rename adaptive run "${component.run}" in this file.`;
}

/** Another environment of `backendEnvs` whose run of some name gives `component`'s stack name, and that run. */
function otherNamer(env: string, component: Owned, backendEnvs: readonly string[]): { env: string; run: string } | undefined {
  if (component.run === undefined) return undefined;
  const rest = component.stack.slice(component.project.length + 1);
  const other = backendEnvs.find((e) => e !== env && rest.startsWith(`${e}-`) && rest.length > e.length + 1);
  return other === undefined ? undefined : { env: other, run: rest.slice(other.length + 1) };
}

/**
 * For `validate`: a run whose stack name another environment of the same backend can also
 * produce, before either has deployed it. The owner record keeps the second `up` from touching
 * the first one's stack, but whichever environment comes second could never deploy that run,
 * so the name is rejected while it is still free to change. A stack this environment already
 * owns keeps its name.
 */
export function ambiguousRunName(env: string, component: Owned, state: Pick<StackState, 'owner' | 'exists'> | undefined, backendEnvs: readonly string[]): string | undefined {
  if (state?.exists) return undefined;
  const other = otherNamer(env, component, backendEnvs);
  if (!other) return undefined;
  return `adaptive run "${component.run}" would be stack ${component.stack}, which environment "${other.env}"'s adaptive run "${other.run}" on this backend would also be: whichever deploys second is refused. Rename adaptive run "${component.run}".`;
}
