import type { WriteResult, WriteSet } from '../../core/write-set.ts';
import { casUpdates } from './cas-updates.ts';
import { staleRows } from './lock-rows.ts';
import type { Client } from './statements.ts';

/** A write set of one update (and its journal rows): atomic as one autocommit statement. */
export function isSingleRow(ws: WriteSet): boolean {
  return ws.updates.length === 1 && ws.checks.length + ws.inserts.length + ws.deletes.length + ws.endpoints.length === 0;
}

/**
 * A one-row write set, optimistically, outside any transaction: one autocommit compare-and-swap
 * statement, so the row is locked for one statement, not for round trips. On a miss it returns
 * undefined when the caller can rebase (it goes on with an attempt that locks the row first and
 * rebases under the lock: retrying optimistically measured slower on a hot row, and can starve a
 * writer), else the stale row.
 */
export async function applyOptimistic(client: Client, ws: WriteSet, canRebase: boolean): Promise<WriteResult | undefined> {
  const written = await casUpdates(client, ws, ws.journal);
  if (written.size === 1) return { ok: true, written, deleted: [], edgeConflicts: [] };
  if (canRebase) return undefined;
  return {
    ok: false,
    stale: await staleRows(
      client,
      ws.updates.map((u) => u.id),
    ),
  };
}
