/** What Rollback asks before it runs, from its dry run: a modal's text, or that there is nothing to roll back. Pure. */
import type { ComponentPreview, PlannedStep } from '../../core/events';

export type RollbackPrompt = { kind: 'nothing'; message: string } | { kind: 'confirm'; detail: string };

export function rollbackPrompt(name: string, step: PlannedStep | undefined, preview: ComponentPreview | undefined): RollbackPrompt {
  const stack = step?.stack ?? name;
  const changing = preview && !preview.note ? preview.resources.filter((r) => r.op !== 'same' && r.op !== 'read') : undefined;
  // A version that deploys what is deployed now: nothing to roll back, so nothing to confirm.
  if (changing?.length === 0) return { kind: 'nothing', message: `ModelOps: nothing to roll back: ${step?.reason ?? 'that version'} — its preview changes nothing in ${stack}.` };
  // The engine says when the version's spec is azure.yaml's own: then there is nothing to revert.
  const sameAsFile = /same spec as azure\.yaml$/.test(step?.reason ?? '');
  const previewLine = changing ? `\n\nPreview: ${changing.map((r) => `${r.op} ${r.urn.slice(r.urn.lastIndexOf('::') + 2)}`).join(', ')}` : '';
  return {
    kind: 'confirm',
    detail:
      `${stack} is updated with the spec of its earlier update: ${step?.reason ?? ''}.\n\nIts program runs again with that spec (no old state is imported; data never rolls back), then what depends on it is verified.` +
      previewLine +
      (sameAsFile ? '' : '\n\nazure.yaml keeps the newer spec: revert it to keep the rollback.'),
  };
}
