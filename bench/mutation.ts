/**
 * The mutation score of the Azure programs, from the report of the last `npm run mutation`
 * (StrykerJS over src/engine/programs/azure against their mock tests). A mutation run takes
 * minutes, so the bench reads its report rather than running it. Goal: 80 % or more killed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPORT = join(resolve(__dirname, '..', '..'), 'reports', 'mutation', 'mutation.json');

interface MutationReport {
  files: Record<string, { mutants: Array<{ status: string; mutatorName: string; location: { start: { line: number } } }> }>;
}

/** Stryker's score: killed (or timed out) over every mutant that compiled and ran. */
export function mutationScore(report: MutationReport): { killed: number; valid: number; survived: string[] } {
  let killed = 0;
  let valid = 0;
  const survived: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (['CompileError', 'RuntimeError', 'Ignored'].includes(m.status)) continue;
      valid++;
      if (m.status === 'Killed' || m.status === 'Timeout') killed++;
      else survived.push(`${file}:${m.location.start.line} ${m.mutatorName}`);
    }
  }
  return { killed, valid, survived };
}

export function benchMutation(): void {
  if (!existsSync(REPORT)) {
    console.log('mutation score, Azure programs   not measured yet: run `npm run mutation` (goal ≥ 80 % killed)');
    return;
  }
  const { killed, valid, survived } = mutationScore(JSON.parse(readFileSync(REPORT, 'utf8')) as MutationReport);
  const score = valid ? (100 * killed) / valid : 0;
  const when = statSync(REPORT).mtime.toISOString().slice(0, 16).replace('T', ' ');
  console.log(`mutation score, Azure programs   ${score.toFixed(1)} % killed (${killed} of ${valid}; ${survived.length} survived)   goal ≥ 80 %   (npm run mutation, ${when} UTC)`);
}
