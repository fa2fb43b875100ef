#!/usr/bin/env node
// The in-host suite on desktop VS Code, through @vscode/test-electron: the way extension
// authors run it on their machines and in CI. It downloads VS Code (stable, or the version in
// VSCODE_VERSION) into .vscode-test/ unless VSCODE_EXECUTABLE names one already installed;
// on Linux without a display, run it under `xvfb-run -a`. Here (no download, no display) the
// same suite runs through code-server instead: test/integration/run.mjs.
//
//   npm run test:electron                                  (builds first)
//   VSCODE_EXECUTABLE=/usr/share/code/code npm run test:electron
import { readFileSync, rmSync } from 'node:fs';
import { pulumiCliPath } from '../../scripts/setup/pulumi-cli.mjs';
import { prepareWorkspace, repoRoot, suiteDir } from './workspace.mjs';

const { runTests } = await import('@vscode/test-electron');

let failed = 0;
for (const session of ['trusted', 'restricted']) {
  const ws = prepareWorkspace(session, { pulumi: process.env.MOPS_PULUMI || pulumiCliPath() });
  process.stdout.write(`\nin-host suite, ${session} session (desktop VS Code)\n`);
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      version: process.env.VSCODE_VERSION || undefined,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suiteDir(repoRoot),
      extensionTestsEnv: ws.env,
      launchArgs: [ws.folder, '--user-data-dir', ws.userDataDir, '--extensions-dir', ws.extDir, '--disable-extensions', ...(session === 'trusted' ? ['--disable-workspace-trust'] : [])],
    });
  } catch (error) {
    failed++;
    process.stdout.write(`  ${error.message}\n`);
  } finally {
    process.stdout.write(readFileSync(ws.report, 'utf8'));
    if (process.env.MOPS_KEEP !== '1') rmSync(ws.root, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
