// The workspace both launchers of the in-host suite open (run.mjs here through code-server,
// electron.mjs on desktop VS Code): a temp folder with the e2e suite's azure.yaml (local
// provider: cluster, storage, workspace, adaptive-default), a fresh MODELOPS_HOME, a
// user-data-dir with quiet settings and the Pulumi CLI, and the variables the suite reads.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeUserSettings } from '../../scripts/vscode-server.mjs';
import { baseSettings, configYaml, machineSettings, PASSPHRASE } from '../vscode/lib/harness.mjs';
import { repoRoot } from '../../scripts/setup/env.mjs';

export { repoRoot };

/** The compiled suite: VS Code requires this folder's index.js and calls its run(). */
export const suiteDir = (repo) => join(repo, 'out', 'test', 'integration');

/**
 * A fresh workspace for one session (`trusted`, `restricted` or `originals`); `home`: an earlier session's
 * MODELOPS_HOME, so this one sees the stacks that one made (Restricted Mode on stored state).
 * @returns {{root, folder, home, userDataDir, extDir, report, env}}
 */
export function prepareWorkspace(session, { pulumi, node = process.execPath, home }) {
  const root = mkdtempSync(join(tmpdir(), `mops-inhost-${session}-`));
  const folder = join(root, 'workspace');
  home ??= join(root, 'home');
  const userDataDir = join(root, 'data');
  const extDir = join(root, 'ext');
  for (const dir of [folder, home, userDataDir, extDir]) mkdirSync(dir, { recursive: true });
  const yaml = configYaml({ environment: 'inhost' });
  // Originals: no azure.yaml; ~/.modelops/modelops.yaml as `mops init` writes it (test/original/, with a subscription GUID).
  if (session === 'originals') writeFileSync(join(home, 'modelops.yaml'), readFileSync(join(repoRoot, 'test', 'original', 'modelops.yaml'), 'utf8').replace('00000000-0000-0000-0000-000000000000', '12345678-90ab-cdef-1234-567890abcdef'));
  // Restricted: the workers changed since the trusted session's Up, so an Up would have work to do.
  else writeFileSync(join(folder, 'azure.yaml'), session === 'restricted' ? yaml.replace('replicas: 2', 'replicas: 3') : yaml);
  // Restricted Mode without the startup question (which nobody answers in a test run).
  writeUserSettings(userDataDir, { ...baseSettings(), 'security.workspace.trust.startupPrompt': 'never' }, machineSettings(pulumi));
  const report = join(root, 'report.txt');
  writeFileSync(report, '');
  const env = {
    MODELOPS_HOME: home,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    MOPS_PULUMI: pulumi,
    MOPS_NODE: node,
    MOPS_INTEGRATION_SESSION: session,
    MOPS_INTEGRATION_REPORT: report,
    MOPS_INTEGRATION_USER_DATA: userDataDir,
    MOPS_INTEGRATION_BACKEND: join(home, 'pulumi', 'backend'),
  };
  return { root, folder, home, userDataDir, extDir, report, env };
}
