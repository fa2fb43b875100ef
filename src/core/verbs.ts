/** The verbs of the CLI, each the name of the operation it runs (in events, documents and the editor). */
export const VERBS = ['status', 'validate', 'up', 'preview', 'down', 'history', 'rollback', 'repair', 'health', 'drift', 'reconcile', 'outputs', 'state', 'environments', 'migrate'] as const;
export type Verb = (typeof VERBS)[number];
