/**
 * Two stacks' inline programs run in one process, each run with its own process-wide error
 * listeners (as Pulumi's automation server adds them). A program's error must fail its own run
 * only. The runs here are AsyncLocalStorage contexts, as the SDK's are; the listeners are called
 * directly, since emitting a real unhandledRejection would fail mocha's own run.
 */
import { strict as assert } from 'node:assert';
import { AsyncLocalStorage } from 'node:async_hooks';
import { markingErrors } from '../../src/engine/runIsolation';

describe('a program error fails only its own stack', () => {
  const run = new AsyncLocalStorage<string>();
  const stackOfRun = () => run.getStore() ?? '';
  const heard = new Map<string, unknown[]>();
  const listeners = new Map<string, (error: unknown) => void>();

  /** What the SDK does at the start of a run: a listener for the run's uncaught errors. */
  const startRun = (stack: string) =>
    run.run(stack, () => {
      const listener = (error: unknown) => heard.set(stack, [...(heard.get(stack) ?? []), error]);
      listeners.set(stack, listener);
      process.on('unhandledRejection', listener);
    });
  const added = () => process.listeners('unhandledRejection').slice(-2) as Array<(error: unknown) => void>;

  afterEach(() => {
    for (const listener of listeners.values()) process.off('unhandledRejection', listener);
    heard.clear();
  });

  it("the cluster's error reaches the cluster's run, not the storage run beside it", async () => {
    // As in the engine: the program is made (and marking installed) before Pulumi starts its run.
    const failing = markingErrors(async () => {
      throw new Error('no context "elsewhere"');
    }, stackOfRun);
    startRun('modelops-infra-k8s');
    startRun('modelops-storage-k8s');
    const error = await run.run('modelops-infra-k8s', () => failing().then(() => undefined, (e: unknown) => e));
    for (const listener of added()) listener(error);
    assert.deepEqual(heard.get('modelops-infra-k8s'), [error]);
    assert.equal(heard.get('modelops-storage-k8s'), undefined, 'the storage run did not hear it');
  });

  it('an error no program marked (a crash elsewhere) still reaches every run', () => {
    startRun('modelops-infra-k8s');
    startRun('modelops-storage-k8s');
    const crash = new Error('out of memory');
    for (const listener of added()) listener(crash);
    assert.deepEqual([heard.get('modelops-infra-k8s'), heard.get('modelops-storage-k8s')], [[crash], [crash]]);
  });

  it("a run's listener comes off again, as the SDK removes it when the run ends", () => {
    const before = process.listenerCount('unhandledRejection');
    startRun('modelops-infra-k8s');
    assert.equal(process.listenerCount('unhandledRejection'), before + 1);
    process.off('unhandledRejection', listeners.get('modelops-infra-k8s')!);
    listeners.clear();
    assert.equal(process.listenerCount('unhandledRejection'), before);
  });
});
