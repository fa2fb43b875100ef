/** ModelOps: Check Drift — a read-only refresh of every component (view title) or of one row's; it holds nothing. */
import { pickComponent } from './pickComponent';
import type { Services } from './services';

export async function checkDrift(s: Services): Promise<void> {
  await s.runner.run({ verb: 'drift', positionals: [], flags: {}, targets: [], title: 'Check Drift' });
}

export async function checkDriftComponent(s: Services, arg?: unknown): Promise<void> {
  const component = await pickComponent(s.store, arg, 'Check drift of which component?');
  if (!component) return;
  await s.runner.run({ verb: 'drift', positionals: [component], flags: {}, targets: [], title: `Check Drift of ${component}` });
}
