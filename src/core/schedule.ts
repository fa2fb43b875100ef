/**
 * Runs a DAG of steps: each node starts as soon as everything it waits for has
 * succeeded, independent nodes run at the same time, a failure stops only what
 * waits on it, and an abort starts nothing new.
 */

export type NodeResult = 'succeeded' | 'failed' | 'cancelled' | 'skipped';

export interface NodeOutcome {
  result: NodeResult;
  /** For skipped nodes: why they were not started. */
  reason?: string;
}

export interface ScheduleOptions {
  signal?: AbortSignal;
  /** Most nodes running at once. */
  concurrency?: number;
  onSkip?: (node: string, reason: string) => void;
}

/**
 * @param order nodes in a valid order (ties start in this order)
 * @param waitsFor node → nodes that must succeed first (nodes outside `order` are ignored)
 */
export async function runInDependencyOrder(
  order: readonly string[],
  waitsFor: (node: string) => readonly string[],
  run: (node: string) => Promise<NodeResult>,
  options: ScheduleOptions = {},
): Promise<Map<string, NodeOutcome>> {
  const inPlan = new Set(order);
  const outcomes = new Map<string, NodeOutcome>();
  const running = new Map<string, Promise<void>>();
  const limit = options.concurrency ?? Infinity;
  const skip = (node: string, reason: string, result: NodeResult = 'skipped'): void => {
    outcomes.set(node, { result, reason });
    options.onSkip?.(node, reason);
  };

  while (outcomes.size < order.length) {
    for (const node of order) {
      if (outcomes.has(node) || running.has(node)) continue;
      const deps = waitsFor(node).filter((d) => inPlan.has(d));
      const stopped = deps.find((d) => outcomes.has(d) && outcomes.get(d)!.result !== 'succeeded');
      if (stopped) {
        skip(node, `not started: ${stopped} ${outcomes.get(stopped)!.result === 'skipped' ? 'was not started' : outcomes.get(stopped)!.result}`);
      } else if (options.signal?.aborted) {
        skip(node, 'not started: cancelled');
      } else if (deps.every((d) => outcomes.get(d)?.result === 'succeeded') && running.size < limit) {
        running.set(
          node,
          run(node).then(
            (result) => void outcomes.set(node, { result }),
            (error: unknown) => void outcomes.set(node, { result: 'failed', reason: String(error) }),
          ).finally(() => running.delete(node)),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return outcomes;
}
