// test-all's reading of mocha's output (scripts/mochaReport.mjs): the counts decide the exit code,
// and the failing tests are repeated at the end, where the tail of a CI log shows them.
import assert from 'node:assert/strict';
import { counts, failureReports } from '../../scripts/mochaReport.mjs';

const failingRun = `
  provider: kubernetes
    ✔ up makes every component ready (31597ms)
    1) health turns unhealthy after the scheduler is scaled to 0

  59 passing (20m)
  1 failing

  1) provider: kubernetes
       health turns unhealthy after the scheduler is scaled to 0:
     AssertionError: expected unhealthy
      at Context.<anonymous> (out/test/engine/kubernetes.test.js:210:14)

`;

describe('test-all reads mocha output', () => {
  it('adds up several reports, as the in-host suite prints two', () => {
    assert.deepEqual(counts(`${failingRun}\n  2 passing (8s)\n  1 pending\n`), { passed: 61, failed: 1, pending: 1 });
  });

  it('repeats each failing report, naming the test and its error', () => {
    const [report, ...rest] = failureReports(failingRun);
    assert.equal(rest.length, 0);
    assert.match(report, /^ {2}1 failing/);
    assert.match(report, /health turns unhealthy after the scheduler is scaled to 0:\n\s+AssertionError: expected unhealthy/);
    assert.doesNotMatch(report, /59 passing/);
  });

  it('ends a report where the next session starts', () => {
    const [report] = failureReports(`${failingRun}\nin-host suite, restricted session\n\n    ✔ refuses Up\n\n  1 passing (8s)\n`);
    assert.match(report, /kubernetes\.test\.js:210:14\)$/);
  });

  it('finds nothing to repeat in a run that passed, nor in a test title that says "failing"', () => {
    assert.deepEqual(failureReports('    ✔ stalls a component that keeps failing\n\n  3 passing (1s)\n'), []);
  });

  it('cuts a long report and says where the rest is', () => {
    const long = `  1 failing\n\n  1) a:\n${Array.from({ length: 100 }, (_, i) => `      at frame ${i}`).join('\n')}\n`;
    const [report] = failureReports(long, 10);
    assert.equal(report.split('\n').length, 11);
    assert.match(report, /… 93 more lines in the suite's output above$/);
  });
});
