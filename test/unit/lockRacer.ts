/** A child of the lock contention test: `node lockRacer.js HOME LOG ROUNDS`. */
import { appendFileSync } from 'node:fs';
import { acquireOperationLocks, StackBusyError } from '../../src/engine/operationLock';

const [home, log, rounds] = process.argv.slice(2);
const hold = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

for (let i = 0; i < Number(rounds); i++) {
  try {
    const release = acquireOperationLocks(home, ['modelops-infra-race'], 'race');
    appendFileSync(log, `+${process.pid}\n`);
    hold(1);
    appendFileSync(log, `-${process.pid}\n`);
    release();
  } catch (error) {
    if (!(error instanceof StackBusyError)) throw error;
  }
  hold(Math.random());
}
