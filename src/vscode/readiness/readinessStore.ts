/**
 * The last known readiness (from `status --json` or an operation's readiness
 * event) and when it was verified. Views and diagnostics read it; nothing here
 * talks to Pulumi directly.
 */
import * as vscode from 'vscode';
import type { Problem } from '../../core/config/types';
import type { ComponentPreview, HealthResult } from '../../core/events';
import type { ComponentReadiness } from '../../core/readiness';
import type { StatusReport } from '../../core/protocol';
import type { ConditionReport } from '../../core/conditions';
import { currentChecks } from '../view/health';

/** One health check of one component, as the last Health run reported it. */
export type HealthCheck = Omit<HealthResult, 'component'> & { checkedAt: string };

export class ReadinessStore implements vscode.Disposable {
  private report: StatusReport | undefined;
  private health = new Map<string, HealthCheck[]>();
  private previews = new Map<string, ComponentPreview & { previewedAt: string }>();
  private lastError: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  get components(): readonly ComponentReadiness[] {
    return this.report?.components ?? [];
  }

  get env(): string | undefined {
    return this.report?.env || undefined;
  }

  get problems(): readonly Problem[] {
    return this.report?.problems ?? [];
  }

  /** Why the last status could not be read, if it could not. */
  get error(): string | undefined {
    return this.lastError;
  }

  get hasReport(): boolean {
    return this.report !== undefined;
  }

  find(name: string): ComponentReadiness | undefined {
    return this.components.find((c) => c.name === name);
  }

  /** The last Health run's checks of `name` that still describe its stack (empty before any run, or once it was deployed again). */
  healthOf(name: string): readonly HealthCheck[] {
    return currentChecks(this.health.get(name) ?? [], this.find(name)?.lastUpdate);
  }

  /** The last Preview of `name`, if one ran. */
  previewOf(name: string): (ComponentPreview & { previewedAt: string }) | undefined {
    return this.previews.get(name);
  }

  /** A preview run's results (of the components it previewed). */
  setPreviews(previews: readonly ComponentPreview[]): void {
    const at = new Date().toISOString();
    for (const p of previews) this.previews.set(p.name, { ...p, previewedAt: at });
    this.changed.fire();
  }

  /** Forgets previews that no longer describe what an Up would do (the stack or azure.yaml changed); all when none named. */
  clearPreviews(names?: readonly string[]): void {
    const before = this.previews.size;
    if (names) for (const n of names) this.previews.delete(n);
    else this.previews.clear();
    if (this.previews.size !== before) this.changed.fire();
  }

  /** Replaces every component's health with one run's results. */
  setHealth(results: ReadonlyArray<{ component: string } & HealthCheck>): void {
    this.health = new Map();
    for (const { component, ...check } of results) this.health.set(component, [...(this.health.get(component) ?? []), check]);
    this.changed.fire();
  }

  /**
   * The reconcile loop's condition of a component as it reports it, before its pass ends and
   * status reads it back: the row says "reconciling (attempt 2 of 3)" while the loop works.
   */
  setCondition(name: string, condition: ConditionReport): void {
    if (!this.report) return;
    this.report = { ...this.report, components: this.report.components.map((c) => (c.name === name ? { ...c, reconcile: condition } : c)) };
    this.changed.fire();
  }

  /**
   * A status report. Components in `heldBack` keep what is shown (a run of ours owns
   * them, and another process would read our own locks as "busy").
   */
  setReport(report: StatusReport, heldBack: (name: string) => boolean = () => false): void {
    this.report = { ...report, components: this.merge(report.components, heldBack) };
    this.lastError = undefined;
    this.changed.fire();
  }

  /** A snapshot from an operation's `readiness` event; `heldBack` as for setReport. */
  setComponents(components: ComponentReadiness[], heldBack: (name: string) => boolean = () => false): void {
    this.report = { env: this.report?.env ?? '', configFile: this.report?.configFile ?? '', problems: this.report?.problems ?? [], components: this.merge(components, heldBack) };
    this.changed.fire();
  }

  private merge(fresh: ComponentReadiness[], heldBack: (name: string) => boolean): ComponentReadiness[] {
    return fresh.map((c) => (heldBack(c.name) ? (this.find(c.name) ?? c) : c));
  }

  setError(message: string): void {
    this.lastError = message;
    this.changed.fire();
  }

  clear(): void {
    this.report = undefined;
    this.lastError = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
