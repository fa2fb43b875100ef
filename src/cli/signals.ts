/**
 * Ctrl-C cancels gracefully (Pulumi finishes in-flight steps and saves state);
 * a second Ctrl-C kills what is left. In a terminal the first Ctrl-C already
 * reaches Pulumi through the process group, so it must not be signalled again.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Cancellation {
  /** Stops new work; the result becomes `cancelled`. */
  signal: AbortSignal;
  /** What Pulumi hears. */
  pulumiSignal: AbortSignal;
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) (found.push(child), visit(child));
  };
  visit(root);
  return found;
}

function killDescendants(): void {
  if (process.platform !== 'linux') return;
  for (const pid of descendants(process.pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function installCancellation(onFirst: (message: string) => void): Cancellation {
  const cancel = new AbortController();
  const fromTerminal = process.stdin.isTTY === true;
  let interrupts = 0;
  const handler = (): void => {
    interrupts++;
    if (interrupts === 1) {
      onFirst('cancelling gracefully: running Pulumi steps finish and save their state; press Ctrl-C again to kill them');
      cancel.abort();
    } else {
      killDescendants();
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return { signal: cancel.signal, pulumiSignal: fromTerminal ? new AbortController().signal : cancel.signal };
}
