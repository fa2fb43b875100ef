/** One component: status icon and words from the status table, a spinner and timer while an operation runs. */
import * as vscode from 'vscode';
import { componentContextValue } from '../view/contextValue';
import { GROUP_ICON } from '../view/statusTable';
import { describeRow } from '../view/format';
import { describeReadiness, waitingOn, type ComponentReadiness } from '../../core/readiness';
import { describePhase, phaseWord, type ComponentPhase } from '../view/runPhase';
import { componentTooltip } from '../view/tooltip';
import type { RunningOperation } from '../operations/runningOperations';
import type { HealthCheck } from '../readiness/readinessStore';
import { DependencyNode } from './dependencyNode';
import { HealthNode, healthSummary } from './healthNode';
import { GroupNode } from './groupNode';
import type { TreeNode } from './node';
import { OutputNode } from './outputNode';
import { PreviewResourceNode } from './previewNode';
import { describeChanges } from '../../core/plan';
import type { ComponentPreview } from '../../core/events';
import { conditionIcon, driftedIcon, healthIcon, queuedIcon, runningIcon, statusIcon } from './statusIcons';
import { describeHealthProblem, healthProblemLines } from '../view/health';
import { DriftNode } from './driftNode';
import { describeDrift } from '../../core/drift';
import { formatAt } from '../view/format';

export class ComponentNode implements TreeNode {
  readonly id: string;

  constructor(
    public readiness: ComponentReadiness,
    private readonly statusOf: (name: string) => string | undefined,
    private readonly phaseOf: (name: string) => { op: RunningOperation; phase: ComponentPhase } | undefined,
    private readonly healthOf: (name: string) => readonly HealthCheck[],
    private readonly previewOf: (name: string) => ComponentPreview | undefined,
    private readonly loopStepOf: (name: string) => string | undefined = () => undefined,
  ) {
    this.id = `component:${readiness.name}`;
  }

  get name(): string {
    return this.readiness.name;
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.readiness;
    // A row in this window's run shows where the run is, never "busy" with our own lock.
    const own = this.phaseOf(r.name);
    const phase = own?.phase;
    const inFlight = phase !== undefined && phase.kind !== 'done';
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const health = this.healthOf(r.name);
    const healthProblem = r.status === 'ready' ? describeHealthProblem(health) : undefined;
    item.iconPath = phase?.kind === 'running' ? runningIcon() : phase?.kind === 'queued' ? queuedIcon() : this.restingIcon(healthProblem !== undefined);
    const shown = this.withOwnRunNamed(r);
    const preview = this.previewOf(r.name);
    item.description = phase ? describePhase(phase, describeReadiness(shown)) : describeRow(shown, healthProblem, preview && !preview.note ? preview.changes : undefined);
    item.contextValue = componentContextValue({
      status: r.status,
      running: inFlight,
      cancelling: inFlight && (own?.op.process.cancelCount ?? 0) > 0,
      hasOutputs: r.outputs.some((o) => o.present),
      specChanged: r.spec === 'changed',
      drifted: r.drift?.state === 'drifted',
      stalled: r.reconcile?.condition === 'stalled',
    });
    return item;
  }

  /** A blocked row waiting on a component of this window's run names what the run does to it, not the "busy" its lock reads as. */
  private withOwnRunNamed(r: ComponentReadiness): ComponentReadiness {
    if (r.status !== 'blocked') return r;
    const notReady = r.dependsOn.filter((d) => this.statusOf(d) !== 'ready' || phaseWord(this.phaseOf(d)?.phase) !== undefined);
    if (!notReady.some((d) => phaseWord(this.phaseOf(d)?.phase))) return r;
    return { ...r, reason: waitingOn(notReady.map((d) => ({ name: d, state: phaseWord(this.phaseOf(d)?.phase) ?? this.statusOf(d) ?? 'unknown' }))) };
  }

  /** Built when hovered, so a status re-read that only verified the row again sends VS Code nothing (see shown.ts). */
  resolveTooltip(): vscode.MarkdownString {
    const tooltip = new vscode.MarkdownString(this.tooltipText(true), true);
    tooltip.isTrusted = false;
    return tooltip;
  }

  /** The tooltip as its row's look counts it: all but when the row was verified. */
  tooltipLook(): string {
    return this.tooltipText(false);
  }

  private tooltipText(verified: boolean): string {
    const r = this.readiness;
    const health = this.healthOf(r.name);
    const problem = r.status === 'ready' && describeHealthProblem(health) !== undefined;
    return componentTooltip(this.withOwnRunNamed(r), this.statusOf, Date.now(), problem ? healthProblemLines(health) : [], verified);
  }

  /**
   * Outside this window's runs: a spinner while the reconcile loop heals it, stalled when it gave
   * up; a ready row the last checks found a problem in says so (unhealthy, then drifted); else its status.
   */
  private restingIcon(unhealthy: boolean): vscode.ThemeIcon {
    const r = this.readiness;
    if (r.reconcile?.condition === 'reconciling' && this.loopStepOf(r.name)) return conditionIcon('reconciling');
    if (r.reconcile?.condition === 'stalled') return conditionIcon('stalled');
    if (!r.reconcile && unhealthy) return healthIcon('unhealthy');
    if (!r.reconcile && r.status === 'ready' && r.drift?.state === 'drifted') return driftedIcon();
    return statusIcon(r.status);
  }

  getChildren(): TreeNode[] {
    const r = this.readiness;
    const outputs = r.outputs.map((o) => new OutputNode(r.name, o));
    const present = r.outputs.filter((o) => o.present && !o.empty).length;
    const deps = r.dependsOn.map((d) => new DependencyNode(r.name, d, this.statusOf(d)));
    const health = this.healthOf(r.name);
    const preview = this.previewOf(r.name);
    const changing = preview?.resources.filter((c) => c.op !== 'same' && c.op !== 'read' && c.op !== 'refresh') ?? [];
    const drift = r.drift && r.drift.state !== 'unchecked' ? r.drift : undefined;
    return [
      ...(preview ? [new GroupNode(`${this.id}/preview`, 'Preview', GROUP_ICON.preview, preview.note ?? describeChanges(preview.changes), changing.map((c) => new PreviewResourceNode(r.name, c)))] : []),
      ...(drift ? [new GroupNode(`${this.id}/drift`, 'Drift', GROUP_ICON.drift, `${describeDrift(drift.resources)} · checked ${formatAt(drift.checkedAt)}`, drift.resources.map((x) => new DriftNode(r.name, x)))] : []),
      new GroupNode(`${this.id}/outputs`, 'Outputs', GROUP_ICON.outputs, `${present}/${r.outputs.length}`, outputs),
      new GroupNode(`${this.id}/depends`, 'Depends on', GROUP_ICON.dependsOn, deps.length ? '' : 'nothing', deps),
      ...(health.length ? [new GroupNode(`${this.id}/health`, 'Health', GROUP_ICON.health, healthSummary(health), health.map((h) => new HealthNode(r.name, h)))] : []),
    ];
  }
}
