import type { AttemptOutcome, CommitOutcome, RetryReason } from '../core/commit-stats.ts';
import type { JournalEntry } from '../core/journal.ts';

/** One write attempt (one database transaction) and how it ended. */
export interface AttemptEvent {
  readonly backend: string;
  readonly attempt: number;
  readonly outcome: AttemptOutcome;
  /** Time inside the attempt; for `busy`, mostly the wait for the database lock. */
  readonly durationMs: number;
}

/**
 * One conflict, reported once its commit's fate is known: with the commit that resolved it
 * (`rebased`, `merged`, `lww`: written in that commit's transaction), or with the commit that
 * failed on it (`rejected`, `exhausted`: journaled on their own). Rebases of attempts that were
 * later abandoned are reported only as `exhausted`.
 */
export type ConflictReport = JournalEntry & { readonly backend: string };

export interface RetryEvent {
  readonly backend: string;
  /** The attempt that failed. */
  readonly attempt: number;
  readonly reason: RetryReason;
  readonly delayMs: number;
}

/** One `commit()`/`put()` from first attempt to outcome. */
export interface CommitEvent {
  readonly backend: string;
  readonly outcome: CommitOutcome;
  readonly attempts: number;
  readonly durationMs: number;
  readonly backoffMs: number;
  /** Time its attempts waited for the database's write lock before they ran (see `WriteResult`). */
  readonly lockWaitMs: number;
  /** Rows in the write set (inserts, updates, deletes). */
  readonly rows: number;
}

/**
 * The observer port: the repository reports what happens; metrics and journals listen.
 * The repository never knows metric names. Observers must be fast and must not throw
 * (a throwing observer is ignored, never fails a commit).
 */
export interface RepositoryObserver {
  onAttempt?(event: AttemptEvent): void;
  onConflict?(event: ConflictReport): void;
  onRetry?(event: RetryEvent): void;
  onCommit?(event: CommitEvent): void;
  /** The repository is closing; the storage is still open (flush what you buffered). */
  onClose?(): Promise<void> | void;
}

/** Calls one observer hook, swallowing anything it throws. */
export function notify<K extends keyof RepositoryObserver>(
  observers: readonly RepositoryObserver[],
  hook: K,
  event: Parameters<NonNullable<RepositoryObserver[K]>>[0],
): void {
  for (const o of observers) {
    try {
      (o[hook] as ((e: typeof event) => void) | undefined)?.call(o, event);
    } catch {
      // An observer never breaks a commit.
    }
  }
}
