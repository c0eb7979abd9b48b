/** How one `commit()`/`put()` ended. `conflict`: a conflict a merge cannot resolve; nothing written. */
export type CommitOutcome = 'committed' | 'conflict' | 'exhausted' | 'error';

/** How one write attempt (one database transaction) ended. */
export type AttemptOutcome = 'committed' | 'conflict' | 'busy' | 'error';

export const COMMIT_OUTCOMES: readonly CommitOutcome[] = ['committed', 'conflict', 'exhausted', 'error'];
export const ATTEMPT_OUTCOMES: readonly AttemptOutcome[] = ['committed', 'conflict', 'busy', 'error'];

/** Why a commit waited and tried again: it rebased onto a conflict, or the database was busy. */
export type RetryReason = 'conflict' | 'busy';

/**
 * A histogram as stored: bucket upper bound (`le`, as Prometheus prints it, `+Inf` last) → the
 * count of observations in that bucket alone (not cumulative). Absent buckets are zero.
 */
export type BucketCounts = Readonly<Record<string, number>>;

/**
 * What one writer's commits did over one interval `[start, end)`: the counts a dashboard needs
 * beside the conflict journal (which holds conflicts only) to compute ratios, rates and
 * percentiles. One row per writer per flush; rows add up.
 */
export interface CommitStats {
  readonly writer: string;
  readonly backend: string;
  /** Milliseconds since the epoch. */
  readonly start: number;
  readonly end: number;
  readonly commits: Readonly<Record<CommitOutcome, number>>;
  readonly attempts: Readonly<Record<AttemptOutcome, number>>;
  /** Retries after a failed attempt, by what failed it (an in-place rebase is not a retry). */
  readonly retries: Readonly<Record<RetryReason, number>>;
  /** Time spent waiting between attempts. */
  readonly backoffMs: number;
  /** Time spent in attempts that found the database busy (SQLite waits `busy_timeout` in them). */
  readonly busyWaitMs: number;
  /** Sum of commit durations, first attempt to outcome. */
  readonly durationMs: number;
  /** Commit durations in seconds. */
  readonly durationHist: BucketCounts;
  /** Attempts per commit. */
  readonly attemptsHist: BucketCounts;
}

function addCounts<K extends string>(a: Readonly<Record<K, number>>, b: Readonly<Record<K, number>>): Record<K, number> {
  const out = { ...a } as Record<K, number>;
  for (const k of Object.keys(b) as K[]) out[k] = (out[k] ?? 0) + (b[k] ?? 0);
  return out;
}

/** Adds two rows (of any writers and intervals): counts add, the interval spans both. */
export function addStats(a: CommitStats, b: CommitStats): CommitStats {
  return {
    writer: a.writer === b.writer ? a.writer : '*',
    backend: a.backend === b.backend ? a.backend : '*',
    start: Math.min(a.start, b.start),
    end: Math.max(a.end, b.end),
    commits: addCounts(a.commits, b.commits),
    attempts: addCounts(a.attempts, b.attempts),
    retries: addCounts(a.retries, b.retries),
    backoffMs: a.backoffMs + b.backoffMs,
    busyWaitMs: a.busyWaitMs + b.busyWaitMs,
    durationMs: a.durationMs + b.durationMs,
    durationHist: addCounts(a.durationHist, b.durationHist),
    attemptsHist: addCounts(a.attemptsHist, b.attemptsHist),
  };
}

/** A row with nothing counted. */
export function emptyStats(writer: string, backend: string, start: number, end = start): CommitStats {
  return {
    writer,
    backend,
    start,
    end,
    commits: { committed: 0, conflict: 0, exhausted: 0, error: 0 },
    attempts: { committed: 0, conflict: 0, busy: 0, error: 0 },
    retries: { conflict: 0, busy: 0 },
    backoffMs: 0,
    busyWaitMs: 0,
    durationMs: 0,
    durationHist: {},
    attemptsHist: {},
  };
}
