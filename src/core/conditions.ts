/** The reconcile loop's own state of a component, beside its readiness (as the Pulumi Kubernetes Operator's conditions). */
export type Condition = 'ready' | 'reconciling' | 'stalled';

/** The condition as `status --json` and the tree show it. */
export interface ConditionReport {
  condition: Condition;
  reason: string;
  message: string;
  /** The attempt in progress or the last one made (1-based), and the budget. */
  attempt: number;
  maxAttempts: number;
  /** For `stalled`: what a person runs to unblock it. */
  command?: string;
  at: string;
  /** When it entered this condition (the reconcile records in the backend keep it, so every machine and pass agrees). */
  since?: string;
  /** Until when it says anything (a passing condition, e.g. waiting on a busy stack); none: until the spec changes or a person acts. */
  until?: string;
}
