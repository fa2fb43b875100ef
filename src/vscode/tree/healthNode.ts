/** One health check under a component's "Health" group: verdict icon, check name, reason. */
import * as vscode from 'vscode';
import type { HealthCheck } from '../readiness/readinessStore';
import type { TreeNode } from './node';
import { healthIcon } from './statusIcons';

export class HealthNode implements TreeNode {
  readonly id: string;

  constructor(component: string, private readonly health: HealthCheck) {
    this.id = `component:${component}/health/${health.check}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.health.check, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = healthIcon(this.health.verdict);
    item.description = `${this.health.verdict} — ${this.health.reason}`;
    item.tooltip = `${this.health.check}: ${this.health.verdict}\n${this.health.reason}\nchecked ${new Date(this.health.checkedAt).toLocaleString()}`;
    item.contextValue = 'health';
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

/** The group's description: how many checks passed, or the first verdict that is not healthy. */
export function healthSummary(checks: readonly HealthCheck[]): string {
  const bad = checks.filter((c) => c.verdict !== 'healthy');
  return bad.length ? `${bad.length} of ${checks.length} not healthy` : `${checks.length} healthy`;
}
