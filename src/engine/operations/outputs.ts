/** A component's stack outputs through the Pulumi CLI; secret values only when asked for. */
import type { Component } from '../../core/components';
import { isSecretOutputName } from '../../core/components';
import { loadAutomation, workspaceFor } from '../automation';
import type { Engine } from '../engine';
import { SECRET_MASK } from '../../core/protocol';
import { PulumiCommandError, UnknownStackError } from '../../core/errors';
import { describePulumiError, passphraseErrorOf } from '../pulumiErrors';

export interface OutputValue {
  value: unknown;
  secret: boolean;
}

export async function readOutputs(engine: Engine, component: Component, showSecrets: boolean): Promise<Record<string, OutputValue>> {
  const auto = await loadAutomation();
  const ws = await workspaceFor(engine.setup.settings, engine.cliPath(), component, async () => ({}), 'read');
  const stack = await auto.Stack.select(component.stack, ws).catch((error: unknown) => {
    if (error instanceof auto.StackNotFoundError) throw new UnknownStackError(component);
    throw new PulumiCommandError(describePulumiError(error, component.stack));
  });
  const outputs = await stack.outputs().catch((error: unknown) => {
    throw passphraseErrorOf(error, component.stack) ?? new PulumiCommandError(describePulumiError(error, component.stack));
  });
  return Object.fromEntries(
    Object.entries(outputs).map(([name, o]) => {
      const secret = o.secret || isSecretOutputName(name);
      return [name, { secret, value: secret && !showSecrets ? SECRET_MASK : o.value }];
    }),
  );
}
