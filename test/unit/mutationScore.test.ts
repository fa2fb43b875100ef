/** The mutation score `npm run bench` prints from Stryker's report. */
import { strict as assert } from 'node:assert';
import { mutationScore } from '../../bench/mutation';

const mutant = (status: string, line: number) => ({ status, mutatorName: 'StringLiteral', location: { start: { line } } });

describe('mutation score', () => {
  it("counts killed and timed-out mutants over those that compiled and ran, as Stryker's score does", () => {
    const report = {
      files: {
        'src/a.ts': { mutants: [mutant('Killed', 1), mutant('Timeout', 2), mutant('Survived', 3), mutant('CompileError', 4)] },
        'src/b.ts': { mutants: [mutant('NoCoverage', 5), mutant('Ignored', 6), mutant('RuntimeError', 7), mutant('Killed', 8)] },
      },
    };
    assert.deepEqual(mutationScore(report), { killed: 3, valid: 5, survived: ['src/a.ts:3 StringLiteral', 'src/b.ts:5 StringLiteral'] });
  });
});
