/** Commit durations, in seconds: sub-millisecond SQLite commits up to a 10 s stall. */
export const DURATION_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Attempts per commit: exact up to 6, then coarser; 31 is the default budget (30 retries). */
export const ATTEMPT_BUCKETS: readonly number[] = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 31];

export interface MetricSpec {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly labelNames: readonly string[];
  readonly buckets?: readonly number[];
}

/**
 * Every metric anchorage exports, live (prom-client) and after the fact (`anchorage metrics
 * --format prom`): one table, so the two expositions cannot drift apart. Prometheus naming:
 * counters end in `_total`, durations are seconds, no anchor id is ever a label.
 */
export const METRICS = {
  commits: {
    name: 'anchorage_commits_total',
    help: 'Commits and puts by outcome: committed, conflict (a conflict no merge resolves), exhausted (retry budget spent), error.',
    type: 'counter',
    labelNames: ['backend', 'outcome'],
  },
  casAttempts: {
    name: 'anchorage_cas_attempts_total',
    help: 'Compare-and-swap write attempts (one database transaction pass each) by outcome: committed, conflict, busy, error.',
    type: 'counter',
    labelNames: ['backend', 'outcome'],
  },
  conflicts: {
    name: 'anchorage_conflicts_total',
    help: 'Conflicts met by commits, by kind (edge, field, delete) and resolution (rebased, merged, lww, rejected, exhausted).',
    type: 'counter',
    labelNames: ['backend', 'kind', 'resolution'],
  },
  commitAttempts: {
    name: 'anchorage_commit_attempts',
    help: 'Write attempts per commit, first attempt to outcome.',
    type: 'histogram',
    labelNames: ['backend'],
    buckets: ATTEMPT_BUCKETS,
  },
  commitDuration: {
    name: 'anchorage_commit_duration_seconds',
    help: 'Commit duration, first attempt to outcome, including backoff.',
    type: 'histogram',
    labelNames: ['backend'],
    buckets: DURATION_BUCKETS,
  },
  retryBackoff: {
    name: 'anchorage_retry_backoff_seconds_total',
    help: 'Time commits spent waiting between attempts (jittered backoff).',
    type: 'counter',
    labelNames: ['backend'],
  },
  retries: {
    name: 'anchorage_retries_total',
    help: 'Retries after a failed attempt, by reason: conflict (rebased, trying again) or busy (database locked).',
    type: 'counter',
    labelNames: ['backend', 'reason'],
  },
  busyWait: {
    name: 'anchorage_busy_wait_seconds_total',
    help: "Time writers waited for the database's write lock: attempts that found it busy, and waits before attempts that got it.",
    type: 'counter',
    labelNames: ['backend'],
  },
} as const satisfies Record<string, MetricSpec>;
