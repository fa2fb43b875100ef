/**
 * ModelOps: Up with Force Recreate. Asks the CLI for the plan first
 * (`up --force-recreate --dry-run --json`), lists what will be destroyed in
 * order in a modal, and only then runs with `--yes`.
 */
import * as vscode from 'vscode';
import { destroyList } from '../pure/statusReport';
import { requireTrust } from '../trust';
import { componentArg } from './pickComponent';
import type { Services } from './services';

const CONFIRM = 'Destroy and Recreate';

async function chooseScope(s: Services, arg: unknown): Promise<string[] | undefined> {
  const given = componentArg(arg);
  if (given) return [given];
  const all = { label: '$(layers) All components', description: 'destroy everything, then provision again', names: [] as string[] };
  const picked = await vscode.window.showQuickPick(
    [all, ...s.store.components.map((c) => ({ label: c.name, description: `${c.status} · also recreates what depends on it`, names: [c.name] }))],
    { title: 'Force recreate what?' },
  );
  return picked?.names;
}

export async function forceRecreate(s: Services, arg?: unknown): Promise<void> {
  if (!(await requireTrust('Up with Force Recreate'))) return;
  const components = await chooseScope(s, arg);
  if (!components) return;
  const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'ModelOps: planning force recreate' }, () =>
    s.cli.forceRecreatePlan(components),
  );
  const destroys = destroyList(plan);
  const scope = components.length ? components.join(', ') : 'all components';
  const detail = destroys
    ? `These stacks will be destroyed, in this order, with all their resources and outputs:\n\n${destroys}\n\nThen they are provisioned again.`
    : 'Nothing exists yet, so nothing is destroyed; the stacks are provisioned.';
  const choice = await vscode.window.showWarningMessage(`Force recreate ${scope}?`, { modal: true, detail }, CONFIRM);
  if (choice !== CONFIRM) return;
  await s.runner.run({
    verb: 'up',
    positionals: components,
    flags: ['--force-recreate', '--yes'],
    targets: components.length ? [...new Set([...components, ...plan.map((p) => p.component)])] : ['*'],
    title: `Force recreate ${scope}`,
  });
}
