import type pg from 'pg';
import type { WriteResult, WriteSet } from '../../core/write-set.ts';
import { beginRecordedSql, commitRecorded, landedBefore } from './commit-record.ts';
import { type CommitWith, FINAL_STATEMENTS } from './final-cas.ts';
import { LOCK_STATEMENTS, Locked, lockRows } from './lock-rows.ts';
import { applyOptimistic } from './optimistic-write.ts';
import { PREPARED_STATEMENT_MISSING, sqlState, toStorageError, UNIQUE_VIOLATION } from './postgres-errors.ts';
import { prepareOn, sendTogether } from './server-statements.ts';

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/**
 * The one-row autocommit attempt, on `client` (released here). A lost connection leaves its
 * outcome unknown, as a lost COMMIT does, and is as safe to retry: the statement records the
 * commit id. A unique violation says the id is recorded already: undefined, so the transaction
 * path fetches what that earlier attempt wrote.
 */
export async function optimisticAttempt(client: pg.PoolClient, ws: WriteSet): Promise<WriteResult | undefined> {
  let broken: Error | undefined;
  try {
    return await applyOptimistic(client, ws);
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) return undefined;
    broken = asError(error);
    throw toStorageError(error, 'commit', { committing: true });
  } finally {
    client.release(broken);
  }
}

/**
 * One transaction on `client` (released here), its commit id recorded first: when an earlier
 * attempt of the same commit landed, the result it recorded, with nothing applied again.
 * Otherwise it locks the rows `ws` depends on, in BEGIN's round trip (with `recordAlone`, only
 * after the record was looked at: a commit whose earlier attempt may have landed must not wait
 * in a row's lock queue to learn it), and commits when `fn`, given those locks, succeeds
 * (recording what it wrote); it rolls back when `fn` returns stale rows or throws. A unique
 * violation is rethrown as is, for the caller to turn into stale rows; other driver errors
 * become StorageErrors (a lost COMMIT: retryable, `ambiguous`).
 */
export async function recordedAttempt(
  client: pg.PoolClient,
  ws: WriteSet,
  options: { readonly recordAlone: boolean },
  fn: (locked: Locked, commitWith: CommitWith) => Promise<WriteResult>,
): Promise<WriteResult> {
  let committing = false;
  let committed = false;
  let broken: Error | undefined;
  // `fn` may send its last statement with COMMIT (and the record's result) itself.
  const commitWith: CommitWith = async (last) => {
    committing = true;
    const results = await sendTogether(client, [last, 'COMMIT']);
    committed = true;
    return results.at(-2)?.rows ?? [];
  };
  try {
    // Before BEGIN, for the whole attempt: a PREPARE that fails then leaves no transaction aborted.
    await prepareOn(client, ...LOCK_STATEMENTS, ...FINAL_STATEMENTS);
    const locked = new Locked();
    const opening = beginRecordedSql(ws);
    const [, record] = options.recordAlone ? await sendTogether(client, opening) : await lockRows(client, ws, locked, opening);
    const landed = await landedBefore(client, ws, record);
    if (landed) {
      await client.query('ROLLBACK');
      return landed;
    }
    const result = await fn(locked, commitWith);
    if (committed) return result;
    committing = result.ok;
    if (result.ok) await commitRecorded(client, ws.commitId, result);
    else await client.query('ROLLBACK');
    return result;
  } catch (error) {
    if (!committing) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    else broken = asError(error);
    // Its prepared statements are gone (a pooler reset the session): the pool replaces it.
    if (sqlState(error) === PREPARED_STATEMENT_MISSING) broken ??= asError(error);
    if (!committing && sqlState(error) === UNIQUE_VIOLATION) throw error;
    throw toStorageError(error, 'commit', { committing });
  } finally {
    client.release(broken);
  }
}
