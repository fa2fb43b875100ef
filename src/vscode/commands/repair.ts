/** ModelOps: Repair Component — from a node, a quick fix, or the palette (QuickPick with status). */
import { statusLook } from '../pure/statusTable';
import { requireTrust } from '../trust';
import { pickComponent } from './pickComponent';
import type { Services } from './services';

export async function repair(s: Services, arg?: unknown): Promise<void> {
  if (!(await requireTrust('Repair'))) return;
  const component = await pickComponent(s.store, arg, 'Repair which component?', (status) => statusLook(status).repairable || status === 'blocked' || status === 'absent');
  if (!component) return;
  await s.runner.run({ verb: 'repair', positionals: [component], flags: [], targets: [component], title: `Repair ${component}` });
}
