/** The consent modal's words for what the data guard refused (no `vscode` here: it is tested as text). */
import { describeChange } from '../../core/dataGuard';
import type { RefusedChanges } from '../../core/events';

export function refusedChangesDetail(title: string, refused: readonly RefusedChanges[]): { message: string; detail: string } {
  const blocks = refused.map((r) => {
    const why = r.why === 'made-elsewhere' ? `${r.component}: ${r.stack} was made outside mops-infra (no spec of ours recorded)` : `${r.component} — ${r.holdsData ?? 'holds data'}`;
    return [`${why}:`, ...r.changes.map((c) => `  • ${describeChange(c)}`)].join('\n');
  });
  const verbs = [...new Set(refused.flatMap((r) => r.changes.map((c) => c.op)))].join(' and ');
  const what = refused.every((r) => r.why === 'holds-data') ? 'what holds data' : 'resources of a stack made outside mops-infra';
  const names = refused.map((r) => r.component).join(', ');
  return {
    message: `${title} would ${verbs} ${what}. Nothing of ${names} has been changed.`,
    detail: `${blocks.join('\n\n')}\n\nWhat a replaced or deleted resource holds is lost. Replace Anyway runs it again with --allow-replace; Preview shows the whole plan first.`,
  };
}
