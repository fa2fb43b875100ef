/**
 * What `--config` may name: a regular file or a pipe, read up to the size limit and no further.
 * `validate --config /dev/zero` once read until the kernel killed it (23 GB resident).
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../../src/core/errors';
import { loadSetup } from '../../src/engine/setup';

function refusal(configFile: string): string {
  try {
    loadSetup({ configFile, processEnv: { MODELOPS_HOME: tmpdir() } });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((p) => `${p.code}: ${p.message}`).join('\n');
  }
  return 'read';
}

describe('reading the config file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mops-config-read-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a device at once, naming it, instead of reading it without end', () => {
    assert.equal(refusal('/dev/zero'), 'config-unreadable: /dev/zero is a device, not a config file. Pass --config with the path of your azure.yaml.');
  });

  it('refuses a directory, naming it', () => {
    assert.match(refusal(dir), /^config-unreadable: .* is a directory, not a config file\./);
  });

  it('reads a file over the limit only as far as it needs to say so', () => {
    const big = join(dir, 'azure.yaml');
    writeFileSync(big, `provider: local\n# ${'x'.repeat(3 * 1024 * 1024)}\n`);
    assert.match(refusal(big), /^file-too-large: /);
  });

  it('reads a pipe a user names on purpose', () => {
    const fifo = join(dir, 'config.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const writer = spawn('sh', ['-c', `printf 'provider: local\\n' > '${fifo}'`]);
    try {
      assert.equal(loadSetup({ configFile: fifo, processEnv: { MODELOPS_HOME: dir } }).config.provider, 'local');
    } finally {
      writer.kill();
    }
  });
});

describe('a backend given outside the file', () => {
  it('--backend or PULUMI_BACKEND_URL with an unknown scheme is bad usage (exit 2), named, not an access-token error on every component', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mops-backend-'));
    try {
      writeFileSync(join(dir, 'azure.yaml'), 'provider: local\n');
      const setup = (backend?: string, env: Record<string, string> = {}) => () => loadSetup({ configFile: join(dir, 'azure.yaml'), backend, processEnv: { MODELOPS_HOME: dir, ...env } });
      assert.throws(setup('foo://x'), (e: Error) => e instanceof UsageError && /^--backend: "foo:\/\/x" is not a Pulumi backend URL/.test(e.message));
      assert.throws(setup(undefined, { PULUMI_BACKEND_URL: 'foo://x' }), (e: Error) => e instanceof UsageError && /^PULUMI_BACKEND_URL: /.test(e.message));
      assert.equal(setup(`file://${dir}/backend`)().config.provider, 'local');
      // Only the backend that is used is checked: one --backend overrides is not read.
      assert.equal(setup(`file://${dir}/backend`, { PULUMI_BACKEND_URL: 'http://localhost:8080' })().config.provider, 'local');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
