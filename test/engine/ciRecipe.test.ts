/**
 * The CI recipe: the GitHub Actions workflow in examples/ passes actionlint (built by setup from
 * the Go module proxy), and a broken copy of it does not; `validate` prints SARIF for code
 * scanning and workflow annotations, with exact positions, on the real engine.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpToolPath } from '../tools';
import { localConfig, REPO, Sandbox } from './harness';

const WORKFLOW = join(REPO, 'examples', 'github-actions', 'modelops-infra.yml');

function actionlint(file: string): { code: number; output: string } {
  const r = spawnSync(setUpToolPath('actionlint'), ['-no-color', file], { encoding: 'utf8' });
  return { code: r.status ?? -1, output: r.stdout + r.stderr };
}

interface Sarif {
  version: string;
  runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }> }> }>;
}

describe('the CI recipe', function () {
  this.timeout(300_000);

  it('the example workflow passes actionlint, and a broken copy of it does not', () => {
    const ok = actionlint(WORKFLOW);
    assert.equal(ok.code, 0, ok.output);
    const text = readFileSync(WORKFLOW, 'utf8');
    assert.match(text, /cancel-in-progress: false/, 'a run is never cancelled midway');
    assert.match(text, /reconcile .*--once --heal/);
    const dir = mkdtempSync(join(tmpdir(), 'mops-ci-'));
    try {
      const broken = join(dir, 'broken.yml');
      writeFileSync(broken, text.replace('cancel-in-progress: false', 'cancel-in-progress: sometimes').replace('node-version: 22', 'node-versoin: 22'));
      const bad = actionlint(broken);
      assert.equal(bad.code, 1, bad.output);
      assert.match(bad.output, /node-versoin/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('validate for CI', () => {
    let box: Sandbox;
    beforeEach(() => (box = new Sandbox()));
    afterEach(() => box.dispose());

    it('prints SARIF 2.1.0 with one rule per code and each problem at its line and column', () => {
      box.write(localConfig().replace('environment: dev', 'enviroment: dev'));
      const r = box.run(['validate'], ['--format', 'sarif']);
      assert.equal(r.code, 2, r.stderr);
      const sarif = JSON.parse(r.stdout) as Sarif;
      assert.equal(sarif.version, '2.1.0');
      const run = sarif.runs[0];
      assert.equal(run.tool.driver.name, 'mops-infra');
      const typo = run.results.find((x) => /Did you mean `environment`\?/.test(x.message.text))!;
      assert.equal(typo.level, 'error');
      assert.deepEqual(typo.locations[0].physicalLocation.artifactLocation.uri, 'azure.yaml', 'relative to where it runs (the repository)');
      assert.deepEqual([typo.locations[0].physicalLocation.region.startLine, typo.locations[0].physicalLocation.region.startColumn], [3, 1]);
      assert.ok(run.tool.driver.rules.some((rule) => rule.id === typo.ruleId));
    });

    it('prints GitHub workflow annotations, and an azure.yaml that cannot be parsed still gets its annotation', () => {
      box.write(`${localConfig()}colour: blue\n`);
      const notReady = box.run(['validate'], ['--format', 'github']);
      assert.equal(notReady.code, 1, 'nothing is provisioned yet');
      assert.match(notReady.stdout, /^::warning file=azure\.yaml,line=\d+,col=1,endLine=\d+,title=unknown-key::.*colour/m);
      box.write('provider: local\nstorage: {\n');
      const broken = box.run(['validate'], ['--format', 'github']);
      assert.equal(broken.code, 2);
      assert.match(broken.stdout, /^::error file=azure\.yaml,line=\d+,col=\d+,endLine=\d+,title=[\w-]+::/m);
    });
  });
});
