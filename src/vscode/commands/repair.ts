/** ModelOps: Repair Component — from a row, a quick fix, or the palette (QuickPick with status). */
import { runWithDataGuard } from './allowReplace';
import { pickComponent } from './pickComponent';
import type { Services } from './services';

export async function repair(s: Services, arg?: unknown): Promise<void> {
  // From the palette any component can be repaired: a ready one picks up an edited azure.yaml.
  const component = await pickComponent(s.store, arg, 'Repair which component?');
  if (!component) return;
  await runWithDataGuard(s, { verb: 'repair', positionals: [component], flags: {}, targets: [component], title: `Repair ${component}` });
}
