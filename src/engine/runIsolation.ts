/**
 * Pulumi's Node SDK runs the inline programs of several stacks in one process, and each run
 * adds process-wide `uncaughtException` and `unhandledRejection` listeners that fail that run
 * with whatever error reaches them (automation/server.js). A program that throws leaves
 * rejected promises nobody awaits (its Stack resource's outputs), so every stack running at
 * that moment failed with the other one's error ("One or more errors occurred: …"): a wrong
 * kubeconfig context failed the storage stack beside the cluster. Here a program's error is
 * marked with its stack, and a run's listeners ignore errors marked with another stack.
 */
type Listener = (...args: unknown[]) => void;
type Program = () => Promise<Record<string, unknown>>;

const EVENTS = new Set(['uncaughtException', 'unhandledRejection']);
const ownerOf = new WeakMap<object, string>();
const wrappedOf = new Map(Array.from(EVENTS, (event) => [event, new WeakMap<Listener, Listener>()]));
let currentStack: (() => string) | undefined;

/** `program`, whose error carries the stack of the run it failed in. */
export function markingErrors(program: Program, stackOfRun: () => string): Program {
  installOnce(stackOfRun);
  return async () => {
    try {
      return await program();
    } catch (error) {
      if (error !== null && typeof error === 'object') ownerOf.set(error, stackOfRun());
      throw error;
    }
  };
}

/** The stack of the run in whose async context a listener is added; undefined outside one. */
function stackHere(): string | undefined {
  try {
    return currentStack?.() || undefined;
  } catch {
    return undefined;
  }
}

function installOnce(stackOfRun: () => string): void {
  if (currentStack) return;
  currentStack = stackOfRun;
  const add = process.on.bind(process) as (event: string, listener: Listener) => NodeJS.Process;
  const remove = process.removeListener.bind(process) as (event: string, listener: Listener) => NodeJS.Process;
  const on = (event: string | symbol, listener: Listener): NodeJS.Process => {
    if (typeof event !== 'string' || !EVENTS.has(event)) return add(event as string, listener);
    const stack = stackHere();
    if (!stack) return add(event, listener);
    const wrapped: Listener = (reason, ...rest) => {
      const owner = reason !== null && typeof reason === 'object' ? ownerOf.get(reason) : undefined;
      if (owner === undefined || owner === stack) listener(reason, ...rest);
    };
    wrappedOf.get(event)!.set(listener, wrapped);
    return add(event, wrapped);
  };
  const off = (event: string | symbol, listener: Listener): NodeJS.Process => remove(event as string, (typeof event === 'string' ? wrappedOf.get(event)?.get(listener) : undefined) ?? listener);
  Object.assign(process, { on, addListener: on, off, removeListener: off });
}
