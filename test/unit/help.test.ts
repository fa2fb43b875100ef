/**
 * The help is made from the verb, flag and exit-code tables (src/core), wrapped to fit a terminal,
 * and the README shows it as the CLI prints it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { USAGE } from '../../src/cli/args';
import { EXIT } from '../../src/core/exitCodes';
import { helpTable, wrap } from '../../src/core/helpText';

describe('the help', () => {
  it('wraps words at the width and never splits one', () => {
    assert.deepEqual(wrap('one two three four', 9), ['one two', 'three', 'four']);
    assert.deepEqual(wrap('  spaced   out  ', 40), ['spaced out']);
    assert.deepEqual(wrap('a-word-longer-than-the-width b', 5), ['a-word-longer-than-the-width', 'b']);
  });

  it('puts the text beside a short usage and below a long one, each line at most 100 columns', () => {
    const table = helpTable([
      { usage: '--short', text: 'a text '.repeat(20) },
      { usage: '--a-usage-as-long-as-the-column', text: 'below' },
    ]);
    const lines = table.split('\n');
    assert.match(lines[0]!, /^ {2}--short {16}a text a text/);
    assert.ok(lines.every((l) => l.length <= 100), table);
    assert.deepEqual(lines.slice(-2), ['  --a-usage-as-long-as-the-column', `${' '.repeat(25)}below`]);
  });

  it('fits a terminal 100 columns wide and names every exit code', () => {
    const long = USAGE.split('\n').filter((l) => l.length > 100);
    assert.deepEqual(long, []);
    for (const code of Object.values(EXIT)) assert.match(USAGE, new RegExp(`^  ${code} +\\S`, 'm'), `exit code ${code}`);
  });

  it("is in the README's CLI section as the CLI prints it", () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The CLI'));
    assert.ok(section.includes(`\`\`\`text\n${USAGE}\n\`\`\``), 'README.md "The CLI": paste the output of `mops-infra --help` into its text block');
  });
});
