/**
 * A stack belongs to one environment and one component, on the real engine: environment `dev`
 * with run `x-y` and environment `dev-x` with run `y` name the same stack
 * (`modelops-adaptive-dev-x-y`). Before owners were recorded, an `up` of the second replaced the
 * first's run, Postgres included, and exited 0.
 */
import { strict as assert } from 'node:assert';
import { localConfig, Sandbox, statusOf } from './harness';

const withRun = (env: string, run: string): string => localConfig().replace('environment: dev', `environment: ${env}`).replace('  default:\n', `  ${run}:\n`);

describe('a stack belongs to one environment and one component, on the real engine', function () {
  this.timeout(300_000);
  let box: Sandbox;
  beforeEach(() => (box = new Sandbox()));
  afterEach(() => box.dispose());

  it("environment dev-x's run y is refused on the stack environment dev's run x-y made (up, repair, down, reconcile --heal): exit 3, nothing changed", () => {
    box.write(withRun('dev', 'x-y'));
    box.ok(['up']);
    const runFiles = () => box.backendFiles((path) => path.includes('modelops-adaptive-dev-x-y'));
    const before = runFiles();
    assert.ok(before.size >= 2, 'the run has a checkpoint and history');

    box.write(withRun('dev-x', 'y'));
    const up = box.run(['up']);
    assert.equal(up.code, 3, `refused, not failed or done\n${up.stdout}${up.stderr}`);
    assert.match(up.stdout + up.stderr, /stack modelops-adaptive-dev-x-y belongs to environment "dev"'s adaptive-x-y, not to environment "dev-x"'s adaptive-y/);
    for (const verb of [['repair', 'adaptive-y'], ['down', 'adaptive-y', '--yes']]) {
      const r = box.run(verb);
      assert.equal(r.code, 3, `${verb.join(' ')} is refused too\n${r.stdout}${r.stderr}`);
    }
    const validate = box.json<{ problems: Array<{ code: string; component?: string }> }>(['validate']);
    assert.ok(validate.problems.some((p) => p.code === 'stack-owned-elsewhere' && p.component === 'adaptive-y'), JSON.stringify(validate.problems));
    const status = box.status();
    assert.equal(statusOf(status, 'adaptive-y'), 'unknown', 'the other environment\'s run never reads as this one\'s');
    assert.equal(statusOf(status, 'cluster'), 'absent', 'nothing of dev-x was created');
    // The loop heals dev-x's own components and leaves the run alone, saying why.
    const healed = box.run(['reconcile', '--once', '--heal']);
    assert.match(healed.stdout, /adaptive-y +reconciling +StateUnreadable: stack modelops-adaptive-dev-x-y belongs to environment "dev"'s adaptive-x-y/);
    assert.doesNotMatch(healed.stdout, /adaptive-y: up/, 'no up of the run');

    assert.deepEqual(runFiles(), before, "dev's run: no checkpoint, history entry or backup was written");
    box.write(withRun('dev', 'x-y'));
    assert.equal(statusOf(box.status(), 'adaptive-x-y'), 'ready', 'and it still reads ready where it belongs');
    box.ok(['up', 'adaptive-x-y']);
  });

  it('validate rejects a run whose stack name another environment of the backend also gives, before either deploys it', () => {
    box.write(withRun('dev', 'z'));
    box.ok(['up', 'cluster']);
    box.write(withRun('dev-x', 'y'));
    const validate = box.run(['validate', '--json']);
    assert.notEqual(validate.code, 0, 'rejected');
    const problems = (JSON.parse(validate.stdout) as { problems: Array<{ code: string; component?: string; message: string }> }).problems;
    const ambiguous = problems.filter((p) => p.code === 'stack-name-ambiguous');
    assert.deepEqual(ambiguous.map((p) => p.component), ['adaptive-y'], JSON.stringify(problems));
    assert.match(ambiguous[0].message, /environment "dev"'s adaptive run "x-y"/);
    assert.ok(!problems.some((p) => p.code === 'stack-owned-elsewhere'), 'nothing is owned elsewhere yet');
  });
});
