import { z } from 'zod';

const count = z.number().nonnegative();
/** A ratio or share in [0, 1] (conflict ratio can reach 1); null when its denominator is zero. */
const ratio = z.number().min(0).nullable();
const kind = z.enum(['edge', 'field', 'delete']);
const resolution = z.enum(['rebased', 'merged', 'lww', 'rejected', 'exhausted']);

const byResolution = z.object({ rebased: count, merged: count, lww: count, rejected: count, exhausted: count });

export const totalsSchema = z.object({
  commits: z.object({ committed: count, conflict: count, exhausted: count, error: count, total: count }),
  casAttempts: z.object({ committed: count, conflict: count, busy: count, error: count, total: count }),
  /** Retries after a failed attempt: rebased onto a conflict (`conflict`), or the database was busy. */
  retries: z.object({ conflict: count, busy: count }),
  conflicts: z.object({
    total: count,
    /** Rejected plus exhausted: conflicts that reached the caller as a ConflictError. */
    escaped: count,
    byKind: z.object({ edge: count, field: count, delete: count }),
    byResolution,
  }),
  /** Share of compare-and-swap attempts that met a conflict. */
  conflictRatio: ratio,
  retryBackoffSeconds: count,
  busyWaitSeconds: count,
  /** Sum of commit durations. */
  commitSeconds: count,
  /** Share of commit time spent in backoff. */
  backoffShare: ratio,
});

/** Percentiles as the upper bound of the histogram bucket holding them; null when nothing was counted. */
export const percentilesSchema = z.object({ count, p50: count.nullable(), p90: count.nullable(), p99: count.nullable() });

/** A Prometheus-style histogram: cumulative counts per `le` (`+Inf` last), sum and count. */
export const histogramSchema = z.object({
  buckets: z.array(z.object({ le: z.string(), count })),
  sum: count,
  count,
});

export const hotAnchorSchema = z.object({
  anchorId: z.string(),
  type: z.string(),
  count,
  /** How much `count` may overcount (bounded top-K); 0 when exact. */
  error: count,
  kinds: z.object({ edge: count, field: count, delete: count }),
});

/** What both the live snapshot and the exported document carry. */
export const summarySchema = z.object({
  backend: z.string(),
  totals: totalsSchema,
  resolutionBreakdown: z.array(z.object({ kind, resolution, count })),
  hotAnchors: z.array(hotAnchorSchema),
  hotTypes: z.array(z.object({ type: z.string(), count })),
  /** `counts[i][j]`: conflicts writer i met against writes of writer j (busiest writers; the rest are `(other)`). */
  writerPairs: z.object({ writers: z.array(z.string()), counts: z.array(z.array(count)) }),
  commitLatencySeconds: percentilesSchema,
  commitAttempts: percentilesSchema,
  histograms: z.object({ commitDurationSeconds: histogramSchema, commitAttempts: histogramSchema }),
});

/** One time bucket of the series, starting at `start` (ms since the epoch). */
export const seriesPointSchema = z.object({
  start: count,
  commits: count,
  casAttempts: count,
  conflictAttempts: count,
  conflicts: count,
  escaped: count,
  resolutions: byResolution,
  conflictRatio: ratio,
  backoffShare: ratio,
  p99Attempts: count.nullable(),
  p99LatencySeconds: count.nullable(),
});

export const DASHBOARD_FORMAT = 'anchorage-metrics';
export const DASHBOARD_VERSION = 1;

/**
 * The `anchorage metrics --format json` document, version 1: totals, rates over time buckets,
 * top conflicted anchors and types, writer-pair matrix, resolution breakdown, latency and attempts
 * percentiles. Built from a database's conflict journal and commit stats alone. A later version
 * changes `version`; readers check it.
 */
export const dashboardSchema = summarySchema.extend({
  format: z.literal(DASHBOARD_FORMAT),
  version: z.literal(DASHBOARD_VERSION),
  generatedAt: z.iso.datetime(),
  /** `since`: the export's lower bound, if one was given; `first`/`last`: the data found (ms since the epoch). */
  range: z.object({ since: count.nullable(), first: count.nullable(), last: count.nullable() }),
  bucketMs: z.number().int().positive(),
  writers: count,
  series: z.array(seriesPointSchema),
});

export type DashboardTotals = z.infer<typeof totalsSchema>;
export type MetricsSummary = z.infer<typeof summarySchema>;
export type SeriesPoint = z.infer<typeof seriesPointSchema>;
export type DashboardDocument = z.infer<typeof dashboardSchema>;

/** `repo.metrics.snapshot()`: this repository's counts since it opened. */
export const snapshotSchema = summarySchema.extend({
  writer: z.string(),
  /** When counting began and when the snapshot was taken (ms since the epoch). */
  since: count,
  at: count,
});

export type MetricsSnapshot = z.infer<typeof snapshotSchema>;
