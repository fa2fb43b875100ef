/**
 * Problems in the forms CI systems read: SARIF 2.1.0 (GitHub code scanning, Azure DevOps,
 * most scanners) and GitHub Actions workflow commands (annotations on the pull request).
 * Paths are relative to `root` (the repository), as both expect.
 */
import { relative } from 'node:path';
import type { Problem } from '../core/config/types';
import { CONFIG_PROBLEM_CODES } from '../core/config/codes';
import { MODEL_PROBLEM_CODES, READINESS_PROBLEM_CODES, type ProblemCode } from '../core/problemCodes';

/** What --format each verb that takes it prints (text by default). */
export const FORMATS = { validate: ['text', 'sarif', 'github'], status: ['text', 'openmetrics'] } as const;
export type Format = (typeof FORMATS)[keyof typeof FORMATS][number];

const DESCRIPTIONS: Readonly<Record<string, string>> = { ...CONFIG_PROBLEM_CODES, ...READINESS_PROBLEM_CODES, ...MODEL_PROBLEM_CODES };

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function uri(file: string, root: string): string {
  return relative(root, file).split('\\').join('/') || file;
}

/** One SARIF log: a run of `mops-infra validate`, one rule per problem code it reports. */
export function toSarif(problems: readonly Problem[], root: string, version: string): object {
  const codes = [...new Set(problems.map((p) => p.code))].sort() as ProblemCode[];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mops-infra',
            version,
            informationUri: 'https://github.com/InstituteforDiseaseModeling/modelops',
            rules: codes.map((id) => ({ id, shortDescription: { text: DESCRIPTIONS[id] ?? id } })),
          },
        },
        results: problems.map((p) => ({
          ruleId: p.code,
          ruleIndex: codes.indexOf(p.code),
          level: LEVEL[p.severity],
          message: { text: p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uri(p.file, root) },
                region: { startLine: p.range.start.line, startColumn: p.range.start.column, endLine: p.range.end.line, endColumn: Math.max(p.range.end.column, p.range.start.column) },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** GitHub's escaping of a workflow command's message and of its properties. */
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=azure.yaml,line=4,col=1,title=component-failed::workspace is failed: …`, one line per problem. */
export function toGithubAnnotations(problems: readonly Problem[], root: string): string[] {
  const command = { error: 'error', warning: 'warning', info: 'notice' } as const;
  return problems.map((p) => {
    const props = [`file=${escapeProperty(uri(p.file, root))}`, `line=${p.range.start.line}`, `col=${p.range.start.column}`, `endLine=${p.range.end.line}`, `title=${escapeProperty(p.code)}`];
    return `::${command[p.severity]} ${props.join(',')}::${escapeData(p.message)}`;
  });
}
