import { strict as assert } from 'node:assert';
import { parseCliArgs, UsageError, type CliArgs } from '../../src/cli/args';

function parse(...argv: string[]): CliArgs {
  const args = parseCliArgs(argv);
  assert.notEqual(args, 'help');
  return args as CliArgs;
}

describe('parseCliArgs', () => {
  it('defaults: no config named (the run looks for one), no flags set', () => {
    assert.deepEqual(parse('status'), {
      verb: 'status',
      component: undefined,
      env: undefined,
      json: false,
      events: false,
      yes: false,
      forceRecreate: false,
      dryRun: false,
      showSecrets: false,
      pulumi: undefined,
      backend: undefined,
      retryAttempts: undefined,
      retryDelayMs: undefined,
    });
  });

  it('no command, --help and -h mean help', () => {
    assert.equal(parseCliArgs([]), 'help');
    assert.equal(parseCliArgs(['status', '--help']), 'help');
    assert.equal(parseCliArgs(['-h']), 'help');
  });

  it('options are read', () => {
    const args = parse('up', '--config', 'infra/azure.yaml', '--env', 'staging', '--json', '--force-recreate', '-y', '--dry-run', '--pulumi', '/bin/pulumi', '--backend', 'file:///tmp/b');
    assert.equal(args.config, 'infra/azure.yaml');
    assert.equal(args.env, 'staging');
    assert.equal(args.json, true);
    assert.equal(args.forceRecreate, true);
    assert.equal(args.yes, true);
    assert.equal(args.dryRun, true);
    assert.equal(args.pulumi, '/bin/pulumi');
    assert.equal(args.backend, 'file:///tmp/b');
    assert.equal(parse('outputs', 'cluster', '--show-secrets').showSecrets, true);
  });

  it('repair needs exactly one component', () => {
    assert.equal(parse('repair', 'cluster').component, 'cluster');
    for (const argv of [['repair'], ['repair', 'cluster', 'storage']]) {
      assert.throws(() => parseCliArgs(argv), (e: unknown) => e instanceof UsageError && /needs exactly one COMPONENT/.test(e.message), argv.join(' '));
    }
  });

  it('up takes components; up alone takes all', () => {
    const some = parse('up', 'workspace', 'adaptive-default');
    assert.deepEqual(some.components, ['workspace', 'adaptive-default']);
    assert.equal(some.component, undefined);
    assert.equal('components' in parse('up'), false);
  });

  it('status, validate and health take no arguments', () => {
    for (const verb of ['status', 'validate', 'health']) {
      assert.throws(() => parseCliArgs([verb, 'cluster']), (e: unknown) => e instanceof UsageError && e.message === `${verb} takes no arguments`);
    }
  });

  it('an unknown verb is refused, listing the commands', () => {
    assert.throws(
      () => parseCliArgs(['destroy']),
      (e: unknown) => e instanceof UsageError && /unknown command "destroy"; commands: status, validate, up, preview, down, history, rollback, repair, health, drift, reconcile, outputs/.test(e.message),
    );
  });

  it('an unknown option is refused', () => {
    assert.throws(() => parseCliArgs(['status', '--verbose']), (e: unknown) => (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION');
  });

  it('--json with --events is refused', () => {
    assert.throws(() => parseCliArgs(['up', '--json', '--events']), (e: unknown) => e instanceof UsageError && /--json and --events/.test(e.message));
    assert.equal(parse('up', '--events').events, true);
  });

  it('numeric options must be whole numbers ≥ 0', () => {
    const args = parse('up', '--retry-attempts', '3', '--retry-delay-ms', '250');
    assert.equal(args.retryAttempts, 3);
    assert.equal(args.retryDelayMs, 250);
    assert.equal(parse('up', '--retry-delay-ms', '0').retryDelayMs, 0);
    for (const bad of ['x', '1.5', '-1', 'Infinity']) {
      assert.throws(
        () => parseCliArgs(['up', `--retry-attempts=${bad}`]),
        (e: unknown) => e instanceof UsageError && e.message.includes('--retry-attempts must be a whole number'),
        `--retry-attempts=${bad}`,
      );
    }
    assert.throws(() => parseCliArgs(['up', '--retry-delay-ms=soon']), (e: unknown) => e instanceof UsageError && e.message.includes('--retry-delay-ms'));
  });
});

describe("the original's `mops infra` shapes", () => {
  const args = (line: string) => parse(...line.split(' '));
  const fails = (line: string, message: RegExp) => assert.throws(() => parse(...line.split(' ')), message);
  it('a YAML path is the config; -c lists components; -e names the environment', () => {
    assert.equal(args('up ~/.modelops/modelops.yaml').config, '~/.modelops/modelops.yaml');
    assert.deepEqual(args('up infra.yml -c cluster,storage -e prod').components, ['cluster', 'storage']);
    assert.equal(args('up infra.yml -c cluster,storage -e prod').env, 'prod');
    assert.deepEqual(args('down workspace -c adaptive-default').components, ['workspace', 'adaptive-default']);
    fails('up a.yaml --config b.yaml', /given twice/);
    fails('status -c cluster', /--components goes with/);
    fails('down -c ,', /needs at least one component/);
  });

  it('outputs takes one component, or none for all of them', () => {
    assert.equal(args('outputs').component, undefined);
    assert.equal(args('outputs storage').component, 'storage');
    fails('outputs storage cluster', /or none for all of them/);
  });

  it('up --plan is preview', () => {
    assert.equal(args('up --plan -c workspace').verb, 'preview');
    fails('down --plan', /--plan goes with up/);
    fails('up --plan --force-recreate', /does not go with --plan/);
  });

  it("down's --destroy-storage, --destroy-registry and --delete-rg add what down keeps; --destroy-all is --all", () => {
    assert.deepEqual(args('down --destroy-storage --delete-rg').alsoDestroy, ['storage', 'resource-group']);
    assert.equal(args('down --destroy-all').all, true);
    fails('up --destroy-storage', /goes with down/);
    fails('down workspace --destroy-storage', /name storage too/);
  });

  it('--wait waits 30 min alone, else the duration it is given (with = or after it); a component after a bare --wait stays a component', () => {
    assert.equal(args('up --wait').waitMs, 30 * 60_000);
    assert.equal(args('up --wait=90s').waitMs, 90_000);
    assert.equal(args('down --wait 2h --yes').waitMs, 2 * 3_600_000);
    const named = args('up --wait storage');
    assert.deepEqual([named.waitMs, named.components], [30 * 60_000, ['storage']]);
    assert.equal(args('reconcile --once --wait=1m').waitMs, 60_000);
    assert.equal(args('up').waitMs, undefined);
    fails('up --wait=soon', /--wait takes a duration such as 90s, 10m or 2h/);
    fails('up --wait=0s', /--wait takes a duration/);
    fails('reconcile --wait', /--wait goes with reconcile --once/);
    fails('status --wait', /--wait goes with up or repair or down or rollback or reconcile, not status/);
  });

  it('--format: validate prints text, sarif or github; status text or openmetrics', () => {
    assert.equal(args('status --format openmetrics').format, 'openmetrics');
    assert.equal(args('validate --format sarif').format, 'sarif');
    fails('validate --format openmetrics', /validate --format must be one of text, sarif, github/);
    fails('status --format sarif', /status --format must be one of text, openmetrics/);
    fails('up --format text', /--format goes with validate or status/);
  });

  it('reconcile --metrics-file and --notify; --notify takes an http(s) URL', () => {
    const a = args('reconcile --once --metrics-file /var/lib/node_exporter/modelops.prom --notify https://hooks.slack.com/services/T/B/x');
    assert.deepEqual([a.metricsFile, a.notify], ['/var/lib/node_exporter/modelops.prom', 'https://hooks.slack.com/services/T/B/x']);
    fails('reconcile --notify hooks.slack.com/x', /--notify takes an http\(s\) URL/);
    fails('reconcile --notify file:///etc/passwd', /--notify takes an http\(s\) URL, not a file: one/);
    fails('up --notify https://x.test', /--notify goes with reconcile/);
  });
});
