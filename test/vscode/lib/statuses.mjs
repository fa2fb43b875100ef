// The status words the tree may show (src/core/readiness.ts STATUSES), as a user reads them.
export const STATUS_WORDS = ['ready', 'outputs-missing', 'failed', 'interrupted', 'busy', 'absent', 'blocked', 'unknown'];
