/**
 * The in-host suite's entry: VS Code loads this module in the extension host (it is the
 * `extensionTestsPath`) and awaits `run()`. Mocha runs the session's test files here, with the
 * `vscode` API at hand; its report goes to the file the launcher named
 * (MOPS_INTEGRATION_REPORT), because this process's stdout reaches no terminal in a
 * browser-hosted workbench. The launcher prints that file and exits with mocha's verdict.
 */
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** `trusted` (the default), `restricted` or `originals`: which workspace the launcher opened. */
const SESSIONS = ['trusted', 'restricted', 'originals'] as const;
export const SESSION = SESSIONS.find((s) => s === process.env.MOPS_INTEGRATION_SESSION) ?? 'trusted';
/** The test file of each session but the trusted one, which runs all the others. */
const ONLY: Record<string, string> = { restricted: 'restricted.test.js', originals: 'originals.test.js' };

export function run(): Promise<void> {
  const report = process.env.MOPS_INTEGRATION_REPORT;
  if (report) Mocha.reporters.Base.consoleLog = (...args: unknown[]) => appendFileSync(report, `${format(...args)}\n`);
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 300_000 });
  for (const file of readdirSync(__dirname).sort()) {
    if (!file.endsWith('.test.js')) continue;
    if (SESSION === 'trusted' ? !Object.values(ONLY).includes(file) : file === ONLY[SESSION]) mocha.addFile(join(__dirname, file));
  }
  return new Promise((done, fail) => {
    mocha.run((failures) => (failures ? fail(new Error(`${failures} in-host test(s) failed`)) : done()));
  });
}
