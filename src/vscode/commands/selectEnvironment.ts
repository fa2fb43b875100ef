/**
 * ModelOps: Select Environment — the environments that have stacks in the backend (with how
 * ready each is) and those known on this machine, plus "Other…"; stored in the
 * `modelopsInfra.environment` setting. Switch to Environment (a row of the Environments view)
 * sets it directly.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_ENVIRONMENT } from '../../core/config/rules';
import { environmentProblem } from '../../core/model';
import { modelopsHome } from '../../core/paths';
import { readSettings, setEnvironment } from '../settings';
import { describeEnvironment, type EnvironmentSummary } from '../view/environments';
import type { Services } from './services';

/** Environments that have a cluster stack config on this machine (`Pulumi.modelops-infra-<env>.yaml`). */
function environmentsOnDisk(): string[] {
  const dir = join(modelopsHome(process.env), 'pulumi', 'infra');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^Pulumi\.modelops-infra-(.+)\.yaml$/.exec(f)?.[1])
    .filter((e): e is string => !!e && !environmentProblem(e));
}

async function inBackend(s: Services): Promise<readonly EnvironmentSummary[]> {
  if (s.environments.environments.length) return s.environments.environments;
  try {
    return (await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'ModelOps: reading environments' }, () => s.cli.environments())).environments;
  } catch (error) {
    s.log.warn(`environments: ${(error as Error).message}`);
    return [];
  }
}

export async function selectEnvironment(s: Services): Promise<void> {
  const current = readSettings().environment;
  const found = new Map((await inBackend(s)).map((e) => [e.name, e]));
  const known = [...new Set([s.store.env, ...found.keys(), DEFAULT_ENVIRONMENT, ...environmentsOnDisk()].filter((e): e is string => !!e))];
  const describe = (env: string) => [found.has(env) ? describeEnvironment({ ...found.get(env)!, current: false }) : '', env === current ? 'current' : env === s.store.env ? 'in use' : ''].filter(Boolean).join(' · ');
  const items = [
    { label: 'From azure.yaml', description: current === '' ? 'current' : 'environment: in the file, else dev', env: '' },
    ...known.map((env) => ({ label: env, description: describe(env), env })),
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

/** `arg`: the environment's name (a click on its row) or the row itself (its inline action). */
export async function switchEnvironment(s: Services, arg?: unknown): Promise<void> {
  const env = typeof arg === 'string' ? arg : (arg as { name?: unknown } | undefined)?.name;
  if (typeof env !== 'string' || environmentProblem(env)) return;
  await setEnvironment(env);
  await s.refresher.refresh('settings', true);
}
