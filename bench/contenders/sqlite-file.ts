import Database from 'better-sqlite3';
import type { ConnectOptions } from './contender.ts';

/** What every hand-written and ORM contender sets on its connection: WAL, the run's durability, a busy timeout. */
export function applyPragmas(db: Database.Database, options: ConnectOptions): void {
  db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
}

export function openSqliteFile(path: string, options: ConnectOptions): Database.Database {
  const db = new Database(path);
  applyPragmas(db, options);
  return db;
}

/**
 * Creates a database file (WAL), runs `schema` (DDL, may be empty) and `fill` in one transaction,
 * then folds the WAL in, so the file alone can serve as a template.
 */
export function seedSqliteFile(path: string, schema: string, fill: (db: Database.Database) => void): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(schema);
  db.transaction(() => fill(db))();
  closeForCopy(db);
}

/** Folds the WAL into the file and closes it, so the file alone can be copied as a template. */
export function closeForCopy(db: Database.Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
