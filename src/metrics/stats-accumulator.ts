import type { AttemptOutcome, CommitOutcome, CommitStats, RetryReason } from '../core/commit-stats.ts';
import type { AttemptEvent, CommitEvent, RetryEvent } from '../repository/observer.ts';
import { bucketIndex, toBucketCounts } from './bucket-counts.ts';
import { ATTEMPT_BUCKETS, DURATION_BUCKETS } from './metric-catalog.ts';

/**
 * Counts commits and attempts in memory, cheaply (a few additions per event), until `take()`
 * turns them into a `CommitStats` row and starts over.
 */
export class StatsAccumulator {
  #commits: Record<CommitOutcome, number> = { committed: 0, conflict: 0, exhausted: 0, error: 0 };
  #attempts: Record<AttemptOutcome, number> = { committed: 0, conflict: 0, busy: 0, error: 0 };
  #retries: Record<RetryReason, number> = { conflict: 0, busy: 0 };
  #backoffMs = 0;
  #busyWaitMs = 0;
  #durationMs = 0;
  #durations: number[] = new Array(DURATION_BUCKETS.length + 1).fill(0);
  #attemptCounts: number[] = new Array(ATTEMPT_BUCKETS.length + 1).fill(0);
  #events = 0;

  attempt(e: AttemptEvent): void {
    this.#attempts[e.outcome]++;
    if (e.outcome === 'busy') this.#busyWaitMs += e.durationMs;
    this.#events++;
  }

  retry(e: RetryEvent): void {
    this.#retries[e.reason]++;
    this.#events++;
  }

  commit(e: CommitEvent): void {
    this.#commits[e.outcome]++;
    this.#backoffMs += e.backoffMs;
    this.#busyWaitMs += e.lockWaitMs;
    this.#durationMs += e.durationMs;
    (this.#durations[bucketIndex(DURATION_BUCKETS, e.durationMs / 1000)] as number)++;
    (this.#attemptCounts[bucketIndex(ATTEMPT_BUCKETS, e.attempts)] as number)++;
    this.#events++;
  }

  /** Whether nothing was counted since the last `take()`. */
  get empty(): boolean {
    return this.#events === 0;
  }

  /** The counts so far as a row for `[start, end)`, without resetting them. */
  peek(writer: string, backend: string, start: number, end: number): CommitStats {
    return {
      writer,
      backend,
      start,
      end,
      commits: { ...this.#commits },
      attempts: { ...this.#attempts },
      retries: { ...this.#retries },
      backoffMs: this.#backoffMs,
      busyWaitMs: this.#busyWaitMs,
      durationMs: this.#durationMs,
      durationHist: toBucketCounts(DURATION_BUCKETS, this.#durations),
      attemptsHist: toBucketCounts(ATTEMPT_BUCKETS, this.#attemptCounts),
    };
  }

  /** The counts so far as a row, and a fresh start. */
  take(writer: string, backend: string, start: number, end: number): CommitStats {
    const row = this.peek(writer, backend, start, end);
    this.#commits = { committed: 0, conflict: 0, exhausted: 0, error: 0 };
    this.#attempts = { committed: 0, conflict: 0, busy: 0, error: 0 };
    this.#retries = { conflict: 0, busy: 0 };
    this.#backoffMs = 0;
    this.#busyWaitMs = 0;
    this.#durationMs = 0;
    this.#durations.fill(0);
    this.#attemptCounts.fill(0);
    this.#events = 0;
    return row;
  }
}
