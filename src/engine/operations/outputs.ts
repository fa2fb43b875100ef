/** A component's stack outputs through the Pulumi CLI; secret values only when asked for. */
import type { Component } from '../../core/components';
import { isSecretOutputName } from '../../core/components';
import { loadAutomation, workspaceFor } from '../automation';
import type { Engine } from '../engine';

export interface OutputValue {
  value: unknown;
  secret: boolean;
}

export const MASK = '[secret]';

export async function readOutputs(engine: Engine, component: Component, showSecrets: boolean): Promise<Record<string, OutputValue>> {
  const auto = await loadAutomation();
  const ws = await workspaceFor(engine.ctx.settings, engine.cliPath(), component, async () => ({}));
  const stack = await auto.Stack.select(component.stack, ws).catch((error: unknown) => {
    if (error instanceof auto.StackNotFoundError) throw new Error(`${component.name} has no stack yet (${component.stack} does not exist); run up first.`);
    throw error;
  });
  const outputs = await stack.outputs();
  return Object.fromEntries(
    Object.entries(outputs).map(([name, o]) => {
      const secret = o.secret || isSecretOutputName(name);
      return [name, { secret, value: secret && !showSecrets ? MASK : o.value }];
    }),
  );
}
