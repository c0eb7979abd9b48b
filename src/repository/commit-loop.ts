import { type CommitPlan, type ConflictEvent, rebasePlan, toWriteSet } from '../core/commit-plan.ts';
import { ConflictError, hasCode, StorageError } from '../core/errors.ts';
import { exhaustedEntries, type JournalEntry } from '../core/journal.ts';
import type { PolicyTable } from '../core/merge-policy.ts';
import type { WriteResult } from '../core/write-set.ts';
import type { RebaseInPlace, StoragePort } from '../storage/storage-port.ts';
import { type AttemptEvent, notify, type RepositoryObserver } from './observer.ts';
import { type RetryConfig, saysRetryable, withRetries } from './retry-policy.ts';

export interface CommitLoopContext {
  readonly storage: StoragePort;
  readonly writer: string;
  readonly policies: PolicyTable;
  readonly retry: RetryConfig;
  readonly observers: readonly RepositoryObserver[];
  readonly newId: () => string;
  readonly random: () => number;
  /** Monotonic milliseconds, for durations. */
  readonly now: () => number;
  /** Wall-clock milliseconds since the epoch, stamped on journal entries. */
  readonly clock: () => number;
}

export type Committed = Extract<WriteResult, { ok: true }> & { readonly plan: CommitPlan; readonly attempts: number };

/** The attempt found stale rows and rebased onto them: try again. */
class RebasedAttempt extends Error {
  readonly retryable = true;
}

/** A storage failure after which the attempt may or may not have been written (a lost COMMIT). */
function isAmbiguous(error: unknown): boolean {
  return hasCode(error, 'storage') && error.context.ambiguous === true;
}

function rowsOf(plan: CommitPlan): number {
  return plan.inserts.length + plan.updates.length + plan.deletes.length;
}

/**
 * The one write path: apply the plan as one atomic attempt; on a compare-and-swap miss, rebase
 * onto the rows found stale and try again, with bounded jittered backoff. Busy databases are
 * retried too. A conflict that cannot merge ends the loop with that ConflictError; a spent
 * budget ends it with `retries_exhausted`. Either way nothing of the commit was written. An
 * attempt whose COMMIT was lost is retried with the same commit id, which storage uses to write a
 * commit at most once; should the budget run out before any retry gets an answer, the commit
 * fails with a StorageError whose `context.ambiguous` says it may have been written.
 */
export async function runCommit(ctx: CommitLoopContext, initial: CommitPlan): Promise<Committed> {
  const { storage, observers } = ctx;
  const backend = storage.backend;
  const commitId = ctx.newId();
  const started = ctx.now();
  let plan = initial;
  // Conflicts rebased so far: written in the transaction of the attempt that succeeds.
  const journal: JournalEntry[] = [];
  let attempts = 0;
  let passStarted = started;
  let backoffMs = 0;
  let lockWaitMs = 0;
  const finish = (outcome: 'committed' | 'conflict' | 'exhausted' | 'error') =>
    notify(observers, 'onCommit', {
      backend,
      outcome,
      attempts,
      durationMs: ctx.now() - started,
      backoffMs,
      lockWaitMs,
      rows: rowsOf(plan),
    });

  const attempted = (outcome: AttemptEvent['outcome']) => {
    const now = ctx.now();
    notify(observers, 'onAttempt', { backend, attempt: attempts, outcome, durationMs: now - passStarted });
    passStarted = now;
  };
  const stamp = (e: ConflictEvent): JournalEntry => ({ ...e, commitId, at: ctx.clock(), writer: ctx.writer });
  // Conflicts are reported once their commit's fate is known, so counts match the journal.
  const report = (entries: readonly JournalEntry[]) => {
    for (const entry of entries) notify(observers, 'onConflict', { ...entry, backend });
  };
  // A commit that wrote nothing journals its conflicts on their own; the commit's error matters more.
  const journalAlone = async (entries: readonly JournalEntry[]) => {
    report(entries);
    if (entries.length > 0) await storage.appendJournal(entries).catch(() => undefined);
  };

  const writeSet = () => toWriteSet(plan, { writer: ctx.writer, commitId, at: ctx.clock(), journal });
  /** Rebases the plan onto stale rows; a conflict that cannot merge is kept in `rejected`. */
  let rejected: unknown;
  let rejectedEntries: JournalEntry[] = [];
  const rebaseOnto = (stale: Parameters<RebaseInPlace>[0]): boolean => {
    attempted('conflict');
    const outcome = rebasePlan(plan, stale, { policies: ctx.policies });
    if (!outcome.ok) {
      rejected = outcome.error;
      rejectedEntries = outcome.events.filter((e) => e.resolution === 'rejected').map(stamp);
      return false;
    }
    plan = outcome.plan;
    journal.push(...outcome.events.map(stamp));
    return true;
  };
  // Backends that can rebase while holding their locks get the rebase as a callback.
  const inPlace: RebaseInPlace = (stale) => {
    if (!rebaseOnto(stale)) return undefined;
    attempts++;
    return writeSet();
  };

  // A lost COMMIT leaves the commit's fate unknown until a later attempt (same commit id) gets an
  // answer from storage, which then knows it: should none, the caller is told so.
  let unknownOutcome: unknown;
  const attempt = async (): Promise<Committed> => {
    attempts++;
    passStarted = ctx.now();
    let result: WriteResult;
    try {
      result = await storage.apply(writeSet(), inPlace);
    } catch (error) {
      if (isAmbiguous(error)) unknownOutcome = error;
      attempted(saysRetryable(error) ? 'busy' : 'error');
      throw error;
    }
    unknownOutcome = undefined;
    lockWaitMs += result.lockWaitMs ?? 0;
    if (result.ok) {
      attempted('committed');
      report(journal);
      report(result.edgeConflicts);
      return { ...result, plan, attempts };
    }
    if (rejected === undefined && rebaseOnto(result.stale)) throw new RebasedAttempt(`attempt ${attempts} was stale; rebased`);
    throw rejected;
  };

  try {
    const committed = await withRetries(
      ctx.retry,
      {
        random: ctx.random,
        retryable: saysRetryable,
        onRetry: (error, n, delayMs) => {
          backoffMs += delayMs;
          notify(observers, 'onRetry', {
            backend,
            attempt: n,
            reason: error instanceof RebasedAttempt ? 'conflict' : 'busy',
            delayMs,
          });
        },
      },
      attempt,
    );
    finish('committed');
    return committed;
  } catch (error) {
    if (unknownOutcome !== undefined) {
      finish('error');
      throw new StorageError(
        `commit ${commitId}: a connection was lost while it committed, and no later attempt (of ${attempts}) could tell whether it was written`,
        { cause: error, context: { ambiguous: true, commitId, attempts } },
      );
    }
    if (saysRetryable(error)) {
      await journalAlone(exhaustedEntries(journal, ctx.clock()));
      finish('exhausted');
      throw new ConflictError('retries_exhausted', `commit gave up after ${attempts} attempts; nothing was written`, {
        cause: error,
        context: { attempts, backoffMs },
      });
    }
    await journalAlone(rejectedEntries);
    finish(hasCode(error, 'field_conflict', 'deleted_concurrently', 'read_conflict') ? 'conflict' : 'error');
    throw error;
  }
}
