/**
 * The flag table (src/core/flags.ts) is the one declaration of every flag: the parser reads it,
 * the help shows it, and what the extension passes is built from it and parses back.
 */
import { strict as assert } from 'node:assert';
import { parseCliArgs, USAGE } from '../../src/cli/args';
import { FLAGS, flagArgs, type FlagValues } from '../../src/core/flags';
import { VERBS } from '../../src/core/verbs';

/** A value each flag that takes one accepts. */
const SAMPLE: Record<string, string> = { config: 'azure.yaml', env: 'dev', components: 'cluster', to: '1', format: 'text', interval: '60', 'max-attempts': '3', pulumi: '/p', backend: 'file:///b', 'retry-attempts': '2', 'retry-delay-ms': '10', wait: '10m', 'metrics-file': '/tmp/m.prom', notify: 'https://example.test/hook' };

describe('the flag table', () => {
  it('the help names every flag, each once, and a verb-bound flag with its verbs', () => {
    const oneLine = USAGE.replace(/\n +/g, ' ');
    for (const flag of FLAGS) {
      if (flag.name === 'help') continue;
      assert.equal(USAGE.split(`--${flag.name}`).length - 1 >= 1, true, `--${flag.name} in the help`);
      if ('verbs' in flag && 'help' in flag) assert.match(oneLine, new RegExp(`${flag.verbs.join(', ')}: ${flag.help.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });

  it('what flagArgs builds, the parser reads back, for every flag and every verb it goes with; elsewhere it is refused', () => {
    for (const flag of FLAGS) {
      if (flag.name === 'help' || flag.name === 'plan') continue;
      const value: FlagValues = { [flag.name]: flag.type === 'boolean' ? true : SAMPLE[flag.name] };
      const verbs = 'verbs' in flag ? flag.verbs : VERBS;
      for (const verb of verbs) {
        const positionals = ['history', 'rollback', 'repair', 'state'].includes(verb) ? ['cluster'] : [];
        const once = verb === 'reconcile' && flag.name === 'wait' ? ['--once'] : [];
        assert.doesNotThrow(() => parseCliArgs([verb, ...positionals, ...once, ...flagArgs(value)]), `${verb} --${flag.name}`);
      }
      if ('verbs' in flag) {
        const other = VERBS.find((v) => !(flag.verbs as readonly string[]).includes(v))!;
        assert.throws(() => parseCliArgs([other, ...flagArgs(value)]), new RegExp(`--${flag.name} goes with`), `${other} --${flag.name}`);
      }
    }
  });

  it('flagArgs leaves out a false switch and an undefined value, and keeps the table order', () => {
    assert.deepEqual(flagArgs({ yes: true, 'force-recreate': true, json: false, to: undefined, interval: 5 }), ['--force-recreate', '--interval', '5', '--yes']);
  });
});
