import type { WriteResult, WriteSet } from '../../core/write-set.ts';
import { casUpdates } from './cas-updates.ts';
import type { Client } from './statements.ts';

/** A write set of one update (and its journal rows): atomic as one autocommit statement. */
export function isSingleRow(ws: WriteSet): boolean {
  return ws.updates.length === 1 && ws.checks.length + ws.inserts.length + ws.deletes.length + ws.endpoints.length === 0;
}

/**
 * A one-row write set, optimistically, outside any transaction: one autocommit compare-and-swap
 * statement that also records the commit id, so the row is locked for one statement, not for
 * round trips. On a miss it returns undefined, and the caller goes on with a transaction: that
 * one finds out whether the miss is an earlier attempt of this very commit (its record), and
 * otherwise locks the row and rebases under the lock (retrying optimistically measured slower on
 * a hot row, and can starve a writer).
 */
export async function applyOptimistic(client: Client, ws: WriteSet): Promise<WriteResult | undefined> {
  const written = await casUpdates(client, ws, ws.journal, true);
  return written.size === 1 ? { ok: true, written, deleted: [], edgeConflicts: [] } : undefined;
}
