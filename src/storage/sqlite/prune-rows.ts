import type Database from 'better-sqlite3';
import type { JournalRetention } from '../storage-port.ts';

/** An append-only table with a rowid `seq` and a time column in ms since the epoch. */
export interface PrunableTable {
  readonly name: 'conflict_journal' | 'commit_stats';
  readonly at: 'at' | 'start_at';
}

/**
 * Deletes rows older than `before`, then all but the newest `keep`, in one write transaction.
 * Runs periodically, never in a commit; both deletes use an index (`at`) or the rowid (`seq`).
 */
export function pruneRows(sqlite: Database.Database, table: PrunableTable, retention: JournalRetention): number {
  return sqlite
    .transaction(() => {
      let removed = 0;
      if (retention.before !== undefined) {
        removed += sqlite.prepare(`DELETE FROM ${table.name} WHERE ${table.at} < ?`).run(retention.before).changes;
      }
      if (retention.keep !== undefined) {
        removed += sqlite
          .prepare(`DELETE FROM ${table.name} WHERE seq <= (SELECT seq FROM ${table.name} ORDER BY seq DESC LIMIT 1 OFFSET ?)`)
          .run(retention.keep).changes;
      }
      return removed;
    })
    .immediate();
}
