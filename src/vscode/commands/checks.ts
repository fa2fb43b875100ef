/** ModelOps: Validate (reads stacks only, so allowed in Restricted Mode) and ModelOps: Health. */
import type { Services } from './services';

export async function validate(s: Services): Promise<void> {
  await s.runner.run({ verb: 'validate', positionals: [], flags: {}, targets: [], title: 'Validate' });
}

export async function health(s: Services): Promise<void> {
  await s.runner.run({ verb: 'health', positionals: [], flags: {}, targets: [], title: 'Health' });
}
