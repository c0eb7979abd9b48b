import type Database from 'better-sqlite3';
import { asc, gte, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { CommitStats } from '../../core/commit-stats.ts';
import { decodeStats, encodeStats } from '../stats-record.ts';
import type { JournalQuery, JournalRetention } from '../storage-port.ts';
import { pruneRows } from './prune-rows.ts';
import { commitStats } from './schema.ts';

const ph = sql.placeholder;

/** The `commit_stats` table: appended by metrics flushes, read by dashboard exports. */
export class SqliteStats {
  readonly #sqlite: Database.Database;
  readonly #db: BetterSQLite3Database;
  readonly #insert;

  constructor(sqlite: Database.Database, db: BetterSQLite3Database) {
    this.#sqlite = sqlite;
    this.#db = db;
    this.#insert = db
      .insert(commitStats)
      .values({
        startAt: sql`${ph('startAt')}`,
        endAt: sql`${ph('endAt')}`,
        writer: sql`${ph('writer')}`,
        data: sql`${ph('data')}`,
      })
      .prepare();
  }

  append(rows: readonly CommitStats[]): void {
    if (rows.length === 0) return;
    this.#sqlite
      .transaction(() => {
        for (const row of rows) this.#insert.run({ ...encodeStats(row) });
      })
      .immediate();
  }

  read(query: JournalQuery): CommitStats[] {
    return this.#db
      .select()
      .from(commitStats)
      .where(gte(commitStats.startAt, query.since ?? 0))
      .orderBy(asc(commitStats.seq))
      .limit(query.limit ?? -1)
      .all()
      .map(decodeStats);
  }

  prune(retention: JournalRetention): number {
    return pruneRows(this.#sqlite, { name: 'commit_stats', at: 'start_at' }, retention);
  }
}
