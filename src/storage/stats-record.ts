import { z } from 'zod';
import type { CommitStats } from '../core/commit-stats.ts';
import { StorageError } from '../core/errors.ts';

/**
 * How SQL backends store a `CommitStats` row: the interval and writer as columns (for range
 * queries and pruning), the counts as one JSON document (so new counts need no migration).
 */
export interface StatsRecord {
  readonly startAt: number;
  readonly endAt: number;
  readonly writer: string;
  readonly data: string;
}

const count = z.number().nonnegative();
const buckets = z.record(z.string(), count);

/** The JSON document in `data`; validated on read, since another process (or version) wrote it. */
const statsDataSchema = z.object({
  backend: z.string(),
  commits: z.object({ committed: count, conflict: count, exhausted: count, error: count }),
  attempts: z.object({ committed: count, conflict: count, busy: count, error: count }),
  retries: z.object({ conflict: count, busy: count }),
  backoffMs: count,
  busyWaitMs: count,
  durationMs: count,
  durationHist: buckets,
  attemptsHist: buckets,
});

export function encodeStats(s: CommitStats): StatsRecord {
  const { writer, start, end, ...data } = s;
  return { startAt: start, endAt: end, writer, data: JSON.stringify(data) };
}

/** Parses a stored row; a row that is not what anchorage writes is a StorageError. */
export function decodeStats(r: StatsRecord): CommitStats {
  let data: unknown;
  try {
    data = JSON.parse(r.data);
  } catch (cause) {
    throw new StorageError(`commit_stats row of ${r.writer} at ${r.startAt} is not JSON`, { cause });
  }
  const parsed = statsDataSchema.safeParse(data);
  if (!parsed.success) {
    throw new StorageError(`commit_stats row of ${r.writer} at ${r.startAt} is malformed`, { cause: parsed.error });
  }
  return { writer: r.writer, start: r.startAt, end: r.endAt, ...parsed.data };
}
