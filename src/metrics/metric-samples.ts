import { ATTEMPT_OUTCOMES, COMMIT_OUTCOMES } from '../core/commit-stats.ts';
import { KINDS, RESOLUTIONS } from './conflict-tally.ts';
import type { MetricsSummary } from './dashboard/dashboard-schema.ts';
import type { METRICS } from './metric-catalog.ts';

/** One exposed value: `metricName` only where it differs from the family's (`_bucket`, `_sum`, `_count`). */
export interface Sample {
  readonly metricName?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export type MetricKey = keyof typeof METRICS;

function histogram(name: string, backend: string, h: MetricsSummary['histograms']['commitAttempts']): Sample[] {
  return [
    ...h.buckets.map((b) => ({ metricName: `${name}_bucket`, labels: { le: b.le, backend }, value: b.count })),
    { metricName: `${name}_sum`, labels: { backend }, value: h.sum },
    { metricName: `${name}_count`, labels: { backend }, value: h.count },
  ];
}

/**
 * Every anchorage metric's samples for one summary: the single source of both expositions (live
 * through prom-client, and `anchorage metrics --format prom`). Every label combination is listed,
 * zeros included, so rates exist before the first event.
 */
export function metricSamples(summary: MetricsSummary): Record<MetricKey, Sample[]> {
  const { backend, totals } = summary;
  const count = (kind: string, resolution: string) =>
    summary.resolutionBreakdown.find((r) => r.kind === kind && r.resolution === resolution)?.count ?? 0;
  return {
    commits: COMMIT_OUTCOMES.map((outcome) => ({ labels: { backend, outcome }, value: totals.commits[outcome] })),
    casAttempts: ATTEMPT_OUTCOMES.map((outcome) => ({ labels: { backend, outcome }, value: totals.casAttempts[outcome] })),
    conflicts: KINDS.flatMap((kind) =>
      RESOLUTIONS.map((resolution) => ({ labels: { backend, kind, resolution }, value: count(kind, resolution) })),
    ),
    commitAttempts: histogram('anchorage_commit_attempts', backend, summary.histograms.commitAttempts),
    commitDuration: histogram('anchorage_commit_duration_seconds', backend, summary.histograms.commitDurationSeconds),
    retryBackoff: [{ labels: { backend }, value: totals.retryBackoffSeconds }],
    retries: (['conflict', 'busy'] as const).map((reason) => ({ labels: { backend, reason }, value: totals.retries[reason] })),
    busyWait: [{ labels: { backend }, value: totals.busyWaitSeconds }],
  };
}
