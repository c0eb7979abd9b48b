import type { Registry } from 'prom-client';
import { z } from 'zod';
import { findNameClash } from './collected-metric.ts';

/** Defaults of `openRepository({ metrics })`. */
export const DEFAULT_METRICS = { topK: 20, flushIntervalMs: 1000 } as const;

/** Defaults of `openRepository({ journalRetention })`: a week, at most 100k rows per table, checked every minute. */
export const DEFAULT_RETENTION = { maxRows: 100_000, maxAgeMs: 7 * 24 * 3_600_000, intervalMs: 60_000 } as const;

/** The least (and default) time a commit record is kept: far beyond any sane retry budget. */
export const MIN_COMMIT_RECORD_AGE_MS = 3_600_000;

const isRegistry = (v: unknown): v is Registry =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Registry).registerMetric === 'function' &&
  typeof (v as Registry).getSingleMetric === 'function';

/** `metrics`: on unless `false`. */
export const metricsOptionsSchema = z.union([
  z.literal(false),
  z
    .object({
      /** A prom-client Registry to register anchorage's metrics in (default: a registry of the repository's own). */
      registry: z
        .custom<Registry>(isRegistry, 'must be a prom-client Registry')
        .refine((r) => findNameClash(r) === undefined, {
          error: (issue) => `already has a metric of its own named ${findNameClash(issue.input as Registry)}`,
        })
        .optional(),
      /** How many hot anchors and types `snapshot()` lists; the tracker keeps 4× as many candidates. */
      topK: z.number().int().min(1).max(10_000).default(DEFAULT_METRICS.topK),
      /** How often commit counts are written to the database for `anchorage metrics` (and at close). */
      flushIntervalMs: z.number().int().min(10).max(3_600_000).default(DEFAULT_METRICS.flushIntervalMs),
    })
    .strict(),
]);

/** `journalRetention`: on unless `false`; pruning runs every `intervalMs`, never in a commit. */
export const retentionOptionsSchema = z.union([
  z.literal(false),
  z
    .object({
      /** Rows kept per table (conflict journal, commit stats), newest first. */
      maxRows: z.number().int().min(1).default(DEFAULT_RETENTION.maxRows),
      /** Rows older than this go. */
      maxAgeMs: z.number().int().min(1).default(DEFAULT_RETENTION.maxAgeMs),
      intervalMs: z.number().int().min(10).default(DEFAULT_RETENTION.intervalMs),
      /**
       * How long commit records (PostgreSQL: a commit's id and what it wrote) are kept, by age only:
       * a retry after a lost COMMIT must still find its record. Never less than an hour.
       */
      commitRecordsMaxAgeMs: z.number().int().min(MIN_COMMIT_RECORD_AGE_MS).default(MIN_COMMIT_RECORD_AGE_MS),
    })
    .strict(),
]);

export type MetricsOptions = z.input<typeof metricsOptionsSchema>;
export type ResolvedMetricsOptions = Exclude<z.output<typeof metricsOptionsSchema>, false>;
export type RetentionOptions = z.input<typeof retentionOptionsSchema>;
export type ResolvedRetentionOptions = Exclude<z.output<typeof retentionOptionsSchema>, false>;
