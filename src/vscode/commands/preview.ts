/** ModelOps: Preview — what an Up would change: every component (palette, view title) or one row's. Read-only, so it holds nothing. */
import { pickComponent } from './pickComponent';
import type { Services } from './services';

export async function preview(s: Services): Promise<void> {
  await s.runner.run({ verb: 'preview', positionals: [], flags: {}, targets: [], title: 'Preview' });
}

export async function previewComponent(s: Services, arg?: unknown): Promise<void> {
  const component = await pickComponent(s.store, arg, 'Preview which component?');
  if (!component) return;
  await s.runner.run({ verb: 'preview', positionals: [component], flags: {}, targets: [], title: `Preview ${component}` });
}
