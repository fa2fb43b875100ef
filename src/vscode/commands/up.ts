/** ModelOps: Up — every component (palette, view title); Up Component — one and what it needs (its row, a quick fix, or a pick). */
import { runWithDataGuard } from './allowReplace';
import { pickComponent } from './pickComponent';
import type { Services } from './services';

export async function up(s: Services): Promise<void> {
  await runWithDataGuard(s, { verb: 'up', positionals: [], flags: {}, targets: 'all', title: 'Up' });
}

export async function upComponent(s: Services, arg?: unknown): Promise<void> {
  const component = await pickComponent(s.store, arg, 'Up which component?');
  if (!component) return;
  await runWithDataGuard(s, { verb: 'up', positionals: [component], flags: {}, targets: [component], title: `Up ${component}` });
}
