/** A component's stack outputs through the Pulumi CLI; secret values only when asked for. */
import type { Component } from '../core/components';
import { isSecretOutputName } from '../core/components';
import { loadAutomation, workspaceFor } from './automation';
import type { Engine } from './engine';
import { SECRET_MASK } from '../core/protocol';
import { PulumiCommandError, UnknownStackError } from '../core/errors';
import { describePulumiError, passphraseErrorOf } from './pulumiErrors';
import { isFreshnessRecord } from '../core/freshness';

export interface OutputValue {
  value: unknown;
  secret: boolean;
}

/**
 * The component's stack, for reading (never created). A read-only workspace runs no `stack select`
 * (pulumiProcess.ts), so a stack that does not exist shows on the read itself: `readFailure`.
 */
export async function selectForReading(engine: Engine, component: Component) {
  const auto = await loadAutomation();
  const ws = await workspaceFor(engine.setup.settings, engine.cliPath(), component, async () => ({}), 'read');
  return auto.Stack.select(component.stack, ws);
}

/**
 * What a failed read of the stack says: no stack (a read-only workspace selects nothing first, so
 * a missing stack shows on the read itself: pulumiProcess.ts), a wrong passphrase in one line,
 * else Pulumi's own words.
 */
export function readFailure(component: Component): (error: unknown) => never {
  return (error) => {
    if ((error as Error | undefined)?.name === 'StackNotFoundError') throw new UnknownStackError(component);
    throw passphraseErrorOf(error, component.stack) ?? new PulumiCommandError(describePulumiError(error, component.stack));
  };
}

export async function readOutputs(engine: Engine, component: Component, showSecrets: boolean): Promise<Record<string, OutputValue>> {
  const stack = await selectForReading(engine, component);
  const outputs = await stack.outputs().catch(readFailure(component));
  return Object.fromEntries(
    Object.entries(outputs).filter(([name]) => !isFreshnessRecord(name)).map(([name, o]) => {
      const secret = o.secret || isSecretOutputName(name);
      return [name, { secret, value: secret && !showSecrets ? SECRET_MASK : o.value }];
    }),
  );
}
