// npm run mutation: mutants of the Azure programs against their mock tests (not part of npm test).
// The score is printed by `npm run bench`; the survivors kept are listed in docs/azure.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  mutate: ['src/engine/programs/azure/**/*.ts'],
  buildCommand: 'tsc -p tsconfig.test.json',
  mochaOptions: { config: 'test/azure/mutation.mocharc.json' },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20000,
  ignorePatterns: ['out', 'dist', '.vscode-test', '.engine', '.cache', '.test-home', '.demo-home', 'media/screenshots', 'reports', '*.vsix'],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: 80 },
  tempDirName: '.stryker-tmp',
};
