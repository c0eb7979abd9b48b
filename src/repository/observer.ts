import type { ConflictEvent } from '../core/commit-plan.ts';

/** One write attempt (one database transaction) and how it ended. */
export interface AttemptEvent {
  readonly backend: string;
  readonly attempt: number;
  readonly outcome: 'committed' | 'conflict' | 'busy' | 'error';
}

export interface RetryEvent {
  readonly backend: string;
  /** The attempt that failed. */
  readonly attempt: number;
  readonly reason: 'conflict' | 'busy';
  readonly delayMs: number;
}

/** One `commit()`/`put()` from first attempt to outcome. */
export interface CommitEvent {
  readonly backend: string;
  readonly outcome: 'committed' | 'conflict' | 'exhausted' | 'error';
  readonly attempts: number;
  readonly durationMs: number;
  readonly backoffMs: number;
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
  onConflict?(event: ConflictEvent & { readonly backend: string }): void;
  onRetry?(event: RetryEvent): void;
  onCommit?(event: CommitEvent): void;
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
