/** ModelOps: Select Environment — known environments plus "Other…", stored in the `modelopsInfra.environment` setting. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_ENVIRONMENT } from '../../core/config/rules';
import { environmentProblem } from '../../core/model';
import { modelopsHome } from '../../core/paths';
import { readSettings, setEnvironment } from '../settings';
import type { Services } from './services';

/** Environments that have a cluster stack config on this machine (`Pulumi.modelops-infra-<env>.yaml`). */
function environmentsOnDisk(): string[] {
  const dir = join(modelopsHome(process.env), 'pulumi', 'infra');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^Pulumi\.modelops-infra-(.+)\.yaml$/.exec(f)?.[1])
    .filter((e): e is string => !!e && !environmentProblem(e));
}

export async function selectEnvironment(s: Services): Promise<void> {
  const current = readSettings().environment;
  const known = [...new Set([s.store.env, DEFAULT_ENVIRONMENT, ...environmentsOnDisk()].filter((e): e is string => !!e))];
  const items = [
    { label: 'From azure.yaml', description: current === '' ? 'current' : '`environment:` in the file, else dev', env: '' },
    ...known.map((env) => ({ label: env, description: env === current ? 'current' : env === s.store.env ? 'in use' : '', env })),
    { label: 'Other…', description: '', env: undefined as string | undefined },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'ModelOps environment' });
  if (!picked) return;
  let env = picked.env;
  if (env === undefined) {
    env = await vscode.window.showInputBox({
      title: 'ModelOps environment',
      prompt: 'A short lowercase name (letters, digits, -), e.g. dev, staging, prod',
      validateInput: (v) => environmentProblem(v.trim()),
    });
    if (env === undefined) return;
  }
  await setEnvironment(env.trim());
  await s.refresher.refresh('settings', true);
}
