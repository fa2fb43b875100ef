/** What unblocks a stalled component, from the command the reconcile loop names. Pure. */

export type Unblock =
  /** One of our own commands, on this component. */
  | { kind: 'command'; command: 'modelopsInfra.repair' | 'modelopsInfra.upComponent' | 'modelopsInfra.previewComponent'; title: string }
  /** Something a person runs in a terminal (e.g. `pulumi cancel` once a run elsewhere is known to be dead). */
  | { kind: 'terminal'; text: string };

const OURS: Array<[RegExp, Extract<Unblock, { kind: 'command' }>['command'], string]> = [
  [/^mops-infra repair (?!.*--force-unlock)/, 'modelopsInfra.repair', 'Repair'],
  [/^mops-infra up /, 'modelopsInfra.upComponent', 'Up'],
  [/^mops-infra preview /, 'modelopsInfra.previewComponent', 'Preview'],
];

export function unblockFor(command: string | undefined): Unblock | undefined {
  if (!command) return undefined;
  for (const [pattern, id, title] of OURS) if (pattern.test(command)) return { kind: 'command', command: id, title };
  return { kind: 'terminal', text: command };
}
