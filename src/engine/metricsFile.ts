/**
 * `reconcile --metrics-file PATH`: after each pass, the environment's gauges (core/metrics.ts)
 * written whole and renamed over the file, as node_exporter's textfile collector needs (it may
 * read at any moment; a temporary name without `.prom` is never read). Readable by others (0644):
 * the collector runs as its own user, and nothing in it is secret. A failed write is said, and
 * the loop goes on.
 */
import { readinessMetrics } from '../core/metrics';
import type { ComponentReadiness } from '../core/readiness';
import type { Engine } from './engine';
import { writeAtomically } from './userFiles';

export function writeMetricsFile(engine: Engine, path: string, readiness: readonly ComponentReadiness[]): void {
  try {
    writeAtomically(path, readinessMetrics(engine.setup.env, readiness, Date.now()), false, 0o644);
  } catch (error) {
    engine.emit({ type: 'log', level: 'warn', message: `could not write the metrics to ${path}: ${(error as Error).message.split('\n')[0]}` });
  }
}
