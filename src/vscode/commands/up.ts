/** ModelOps: Up — the whole graph from the palette or title bar, one component (and what it needs) from its node. */
import { requireTrust } from '../trust';
import { componentArg } from './pickComponent';
import type { Services } from './services';

export async function up(s: Services, arg?: unknown): Promise<void> {
  if (!(await requireTrust('Up'))) return;
  const component = componentArg(arg);
  await s.runner.run({
    verb: 'up',
    positionals: component ? [component] : [],
    flags: [],
    targets: component ? [component] : ['*'],
    title: component ? `Up ${component}` : 'Up',
  });
}
