import type { Pool } from 'pg';
import { z } from 'zod';
import type { FieldPolicy, PolicyTable } from '../core/merge-policy.ts';
import { metricsOptionsSchema, retentionOptionsSchema } from '../metrics/metrics-options.ts';
import { WRITER_ID } from '../storage/apply-order.ts';
import type { StoragePort } from '../storage/storage-port.ts';
import type { RepositoryObserver } from './observer.ts';
import { DEFAULT_RETRY } from './retry-policy.ts';

/** A writer id: a version vector's key. */
export const writerIdSchema = z.string().regex(WRITER_ID, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

const policySchema = z.union([z.literal('reject'), z.literal('lww'), z.custom<FieldPolicy>((v) => typeof v === 'function')]);

export const repositoryOptionsSchema = z
  .object({
    /** `sqlite:<path>`, `sqlite::memory:`, `memory:` (in-process Maps, for tests), or `postgres://…` / `postgresql://…`. */
    url: z
      .string()
      .regex(/^(sqlite:.+|memory:|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<path>, sqlite::memory:, memory: or postgres://…')
      .optional(),
    /** A node-postgres Pool the caller owns (and ends after `close()`), instead of `url`. */
    pool: z
      .custom<Pool>((v) => typeof v === 'object' && v !== null && 'connect' in v && 'query' in v, 'must be a pg.Pool')
      .optional(),
    /** Connections of the pool anchorage opens for a `postgres://` url. */
    poolSize: z.number().int().min(1).max(1000).default(10),
    /** A storage backend built by the caller (instead of `url`). */
    storage: z.custom<StoragePort>((v) => typeof v === 'object' && v !== null && 'apply' in v).optional(),
    /** `full` (default): a commit survives power loss. `normal`: survives process crashes only. */
    durability: z.enum(['full', 'normal']).default('full'),
    retry: z
      .object({
        retries: z.number().int().min(0).max(1000).default(DEFAULT_RETRY.retries),
        minDelayMs: z.number().min(0).max(60_000).default(DEFAULT_RETRY.minDelayMs),
        maxDelayMs: z.number().min(0).max(60_000).default(DEFAULT_RETRY.maxDelayMs),
        maxRetryTimeMs: z.number().min(0).default(DEFAULT_RETRY.maxRetryTimeMs),
      })
      .strict()
      .default(DEFAULT_RETRY),
    /** Per type and field: what happens when two sessions change the same field. */
    policies: z.record(z.string(), z.record(z.string(), policySchema)).default({}),
    /** Largest serialized `fields` of one anchor, in bytes. */
    maxAnchorBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    /** How long a writer waits for a lock (SQLite: the database; PostgreSQL: a row) before the attempt counts as busy. */
    busyTimeoutMs: z.number().int().min(0).default(5000),
    /** This repository's id in version vectors; random by default, one per process. */
    writerId: writerIdSchema.optional(),
    observers: z.array(z.custom<RepositoryObserver>((v) => typeof v === 'object' && v !== null)).default([]),
    /** Conflict metrics: prom-client, `repo.metrics`, commit counts for `anchorage metrics`. `false`: off. */
    metrics: metricsOptionsSchema.prefault({}),
    /** Bounds on the conflict journal and commit counts, applied periodically. `false`: keep everything. */
    journalRetention: retentionOptionsSchema.prefault({}),
  })
  .strict()
  .refine((o) => o.url !== undefined || o.storage !== undefined || o.pool !== undefined, {
    message: 'give url, storage or pool',
    path: ['url'],
  })
  // A retry after a lost COMMIT must still find the commit's record (PostgreSQL).
  .refine((o) => !o.journalRetention || o.retry.maxRetryTimeMs < o.journalRetention.commitRecordsMaxAgeMs, {
    message:
      'must be shorter than journalRetention.commitRecordsMaxAgeMs (a commit retried after its record went could be written twice)',
    path: ['retry', 'maxRetryTimeMs'],
  });

export type RepositoryOptions = z.input<typeof repositoryOptionsSchema>;
export type ResolvedOptions = z.output<typeof repositoryOptionsSchema> & { policies: PolicyTable };
