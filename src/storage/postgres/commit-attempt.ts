import type pg from 'pg';
import type { QueryResult } from 'pg';
import type { WriteResult, WriteSet } from '../../core/write-set.ts';
import { beginRecorded, commitRecorded } from './commit-record.ts';
import type { CommitWith } from './final-cas.ts';
import { applyOptimistic } from './optimistic-write.ts';
import { sqlState, toStorageError, UNIQUE_VIOLATION } from './postgres-errors.ts';

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
 * Otherwise commit when `fn` succeeds (recording what it wrote), roll back when it returns stale
 * rows or throws. A unique violation is rethrown as is, for the caller to turn into stale rows;
 * other driver errors become StorageErrors (a lost COMMIT: retryable, `ambiguous`).
 */
export async function recordedAttempt(
  client: pg.PoolClient,
  ws: WriteSet,
  fn: (client: pg.PoolClient, commitWith: CommitWith) => Promise<WriteResult>,
): Promise<WriteResult> {
  let committing = false;
  let committed = false;
  let broken: Error | undefined;
  // `fn` may send its last statement with COMMIT (and the record's result) itself.
  const commitWith: CommitWith = async (last) => {
    committing = true;
    const results = (await client.query(`${last(client)}; COMMIT`)) as unknown as QueryResult[];
    committed = true;
    return { rows: results.at(-2)?.rows ?? [], connection: client };
  };
  try {
    const landed = await beginRecorded(client, ws);
    if (landed) {
      await client.query('ROLLBACK');
      return landed;
    }
    const result = await fn(client, commitWith);
    if (committed) return result;
    committing = result.ok;
    if (result.ok) await commitRecorded(client, ws.commitId, result);
    else await client.query('ROLLBACK');
    return result;
  } catch (error) {
    if (!committing) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    else broken = asError(error);
    if (!committing && sqlState(error) === UNIQUE_VIOLATION) throw error;
    throw toStorageError(error, 'commit', { committing });
  } finally {
    client.release(broken);
  }
}
