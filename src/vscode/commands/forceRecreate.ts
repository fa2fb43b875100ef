/**
 * ModelOps: Up with Force Recreate (every component; palette and view title) and Force
 * Recreate Component (a row, or a pick). Asks the CLI for the plan first
 * (`up --force-recreate --dry-run --json`): the same plan the run will follow, made in core.
 * A modal names the environment, lists what will be destroyed in order and says which
 * stacks hold data; only then does it run with `--yes`.
 */
import * as vscode from 'vscode';
import { unprotectsNote } from '../../core/dataGuard';
import { besidesRecreate, destroyList, recreatedWith } from '../child/reports';
import { pickComponent } from './pickComponent';
import type { Services } from './services';

const CONFIRM = 'Destroy and Recreate';

async function confirmAndRun(s: Services, components: string[]): Promise<void> {
  const { env, plan } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'ModelOps: planning force recreate' }, () =>
    s.cli.forceRecreatePlan(components),
  );
  const destroys = destroyList(plan);
  const scope = components.length ? components.join(', ') : 'every component';
  const { updated, untouched } = besidesRecreate(plan);
  const besides = [
    ...(updated.length ? [`Also brought up to date: ${updated.join(', ')}.`] : []),
    ...(untouched.length ? [`Not touched: ${untouched.join(', ')}.`] : []),
  ].map((line) => `\n\n${line}`).join('');
  const detail = destroys
    ? `These stacks of environment "${env}" will be destroyed, in this order, with all their resources and outputs:\n\n${destroys}${[unprotectsNote(plan) ?? []].flat().map((n) => `\n\n${n}`).join('')}\n\nThen they are provisioned again.${besides}`
    : `Nothing of environment "${env}" exists yet, so nothing is destroyed; the stacks are provisioned.${besides}`;
  const choice = await vscode.window.showWarningMessage(`Force recreate ${scope} in environment "${env}"?`, { modal: true, detail }, CONFIRM);
  if (choice !== CONFIRM) return;
  const held = [...new Set(plan.map((p) => p.component))];
  await s.runner.run({
    verb: 'up',
    positionals: components,
    flags: { 'force-recreate': true, yes: true },
    targets: components.length ? held : 'all',
    title: `Force recreate ${scope}`,
  });
}

export async function forceRecreate(s: Services): Promise<void> {
  await confirmAndRun(s, []);
}

export async function forceRecreateComponent(s: Services, arg?: unknown): Promise<void> {
  const name = await pickComponent(s.store, arg, 'Force recreate which component? (and what depends on it)', (c) => {
    const dependents = recreatedWith(s.store.components, c.name);
    return dependents.length ? `also recreates what depends on it: ${dependents.join(', ')}` : 'nothing depends on it';
  });
  if (name) await confirmAndRun(s, [name]);
}
