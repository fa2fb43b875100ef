/** What a preview's engine events say each resource of a component would go through. */
import type * as automation from '@pulumi/pulumi/automation';
import type { Component } from '../core/components';
import type { ResourceChange } from '../core/events';
import { isStatefulResource } from '../core/dataGuard';
import { OP_OF } from '../core/plan';

export interface PlannedChanges {
  onEvent(event: automation.EngineEvent): void;
  /** Each resource once, in the order the preview reached them. */
  readonly changes: ResourceChange[];
}

/**
 * Collects the planned steps of a preview (or of the preview `pulumi up` runs first): a
 * replacement shows as several steps, and the strongest one stands for the resource.
 */
export function plannedChanges(kind: Component['kind']): PlannedChanges {
  const resources = new Map<string, ResourceChange>();
  return {
    onEvent(event) {
      const m = event.resourcePreEvent?.metadata;
      if (!m || m.type === 'pulumi:pulumi:Stack' || m.type === 'pulumi:pulumi:StackReference' || m.type.startsWith('pulumi:providers:')) return;
      const op = OP_OF[m.op] ?? 'update';
      if (resources.get(m.urn)?.op === 'replace') return;
      const reasons = op === 'replace' ? m.keys : op === 'update' ? m.diffs : undefined;
      resources.set(m.urn, { urn: m.urn, type: m.type, op, ...(op === 'replace' || op === 'delete' ? { stateful: isStatefulResource(kind, m.type) } : {}), ...(reasons?.length ? { reasons } : {}) });
    },
    get changes() {
      return [...resources.values()];
    },
  };
}
