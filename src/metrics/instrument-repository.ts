import { Registry } from 'prom-client';
import type { RepositoryObserver } from '../repository/observer.ts';
import type { StoragePort } from '../storage/storage-port.ts';
import { registerLiveMetrics } from './collected-metric.ts';
import { MetricsObserver } from './metrics-observer.ts';
import type { ResolvedMetricsOptions, ResolvedRetentionOptions } from './metrics-options.ts';
import { RepositoryMetrics } from './repository-metrics.ts';
import { RetentionTask } from './retention-task.ts';

export interface InstrumentOptions {
  readonly writerId: string;
  readonly observers: readonly RepositoryObserver[];
  readonly metrics: ResolvedMetricsOptions | false;
  readonly journalRetention: ResolvedRetentionOptions | false;
}

/**
 * What `openRepository` plugs into the observer port: the user's observers, then metrics (unless
 * `metrics: false`) and journal retention (unless `journalRetention: false`).
 */
export function instrumentRepository(
  storage: StoragePort,
  options: InstrumentOptions,
  clock: () => number = Date.now,
): { observers: RepositoryObserver[]; metrics: RepositoryMetrics | undefined } {
  const observers = [...options.observers];
  let metrics: RepositoryMetrics | undefined;
  if (options.metrics) {
    const registry = options.metrics.registry ?? new Registry();
    const { topK, flushIntervalMs } = options.metrics;
    const observer = new MetricsObserver(storage, { writer: options.writerId, topK, flushIntervalMs, clock });
    registerLiveMetrics(registry, () => observer.summary(topK));
    observers.push(observer);
    metrics = new RepositoryMetrics(registry, observer, topK, clock);
  }
  if (options.journalRetention) observers.push(new RetentionTask(storage, options.journalRetention, clock));
  return { observers, metrics };
}
