/**
 * The process Pulumi starts for our dynamic providers (the local provider's resources),
 * through the `pulumi-resource-pulumi-nodejs` plugin the engine puts first on Pulumi's PATH:
 * Pulumi's own host, plus a check that its Pulumi is still there. Pulumi starts plugins in
 * process groups of their own, so when Pulumi is killed nothing else ends this one (it
 * lingered ~15 minutes). Gone means: the parent changed, the parent was already gone when this
 * started (a kill while Pulumi was starting it), or the engine's address (Pulumi passes it as
 * the first argument) stopped answering.
 */
import { connect } from 'node:net';

const parent = process.ppid;
const engine = /^([\w.-]+):(\d+)$/.exec(process.argv[2] ?? '');

function engineAnswers(): Promise<boolean> {
  if (!engine) return Promise.resolve(true);
  return new Promise((answer) => {
    const socket = connect({ host: engine[1], port: Number(engine[2]) });
    const done = (up: boolean) => {
      socket.destroy();
      answer(up);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(2000, () => done(true)); // busy, not gone
  });
}

if (parent === 1) process.exit(0);
let ticks = 0;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
  if (++ticks % 10 === 0) void engineAnswers().then((up) => up || process.exit(0));
}, 500).unref();

require('@pulumi/pulumi/cmd/dynamic-provider');
