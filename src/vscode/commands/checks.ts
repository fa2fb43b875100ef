/** ModelOps: Validate (reads stacks only, so allowed in Restricted Mode) and ModelOps: Health. */
import { requireTrust } from '../trust';
import type { Services } from './services';

export async function validate(s: Services): Promise<void> {
  await s.runner.run({ verb: 'validate', positionals: [], flags: [], targets: ['#validate'], title: 'Validate' });
}

export async function health(s: Services): Promise<void> {
  if (!(await requireTrust('Health'))) return;
  await s.runner.run({ verb: 'health', positionals: [], flags: [], targets: ['#health'], title: 'Health' });
}
