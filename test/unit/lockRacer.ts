/** A child of the lock contention test: `node lockRacer.js ROOT LOG ROUNDS` (ROOT: a file backend's folder). */
import { appendFileSync } from 'node:fs';
import { FileStore } from '../../src/engine/backends/stateStore';
import { OperationLocks, StackBusyError } from '../../src/engine/operationLock';

const [root, log, rounds] = process.argv.slice(2);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function race(): Promise<void> {
  const locks = new OperationLocks(new FileStore(root), 'racers-machine');
  for (let i = 0; i < Number(rounds); i++) {
    try {
      const release = await locks.acquire(['modelops-infra-race'], 'race');
      appendFileSync(log, `+${process.pid}\n`);
      await pause(1);
      appendFileSync(log, `-${process.pid}\n`);
      await release();
    } catch (error) {
      if (!(error instanceof StackBusyError)) throw error;
    }
    await pause(Math.random());
  }
}

race().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
