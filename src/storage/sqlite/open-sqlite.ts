import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { StorageError } from '../../core/errors.ts';
import { SYNC_BUSY_MS } from './write-lock-wait.ts';

export const SQLITE_MIGRATIONS = fileURLToPath(new URL('../../../drizzle/sqlite', import.meta.url));

export interface SqliteOpenOptions {
  /** A file path, or `:memory:`. */
  readonly path: string;
  /** `full`: a commit survives power loss (synchronous=FULL). `normal`: survives process crashes. */
  readonly durability: 'full' | 'normal';
  /** How long a writer waits for the database lock before the attempt fails as busy. */
  readonly busyTimeoutMs: number;
}

function latestKnownMigration(): number {
  const journal = JSON.parse(readFileSync(`${SQLITE_MIGRATIONS}/meta/_journal.json`, 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  return Math.max(...journal.entries.map((e) => e.when));
}

function refuseNewerSchema(sqlite: Database.Database): void {
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!table) return;
  const row = sqlite.prepare('SELECT max(created_at) AS latest FROM __drizzle_migrations').get() as { latest: number | null };
  if (row.latest !== null && Number(row.latest) > latestKnownMigration()) {
    throw new StorageError(
      `this database was migrated by a newer anchorage (schema ${row.latest}, this one knows up to ${latestKnownMigration()}); upgrade anchorage to open it`,
      { context: { schema: Number(row.latest) } },
    );
  }
}

/** Opens the file, sets WAL and durability, and applies pending migrations (safe when processes race). */
export function openSqlite(options: SqliteOpenOptions): { sqlite: Database.Database; db: BetterSQLite3Database } {
  let sqlite: Database.Database;
  try {
    // `sqlite:./data/app.db` on a fresh checkout: make the folder, as the file is made.
    if (options.path !== ':memory:' && options.path !== '') mkdirSync(dirname(options.path), { recursive: true });
    sqlite = new Database(options.path);
  } catch (cause) {
    throw new StorageError(`cannot open SQLite database ${options.path}`, { cause });
  }
  try {
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    // A commit's pass runs in a savepoint; with a file sub-journal every page it changes costs a
    // write() (measured: about 10 µs per row). In memory it is a copy, bounded by the write set.
    sqlite.pragma('temp_store = MEMORY');
    const db = drizzle(sqlite);
    refuseNewerSchema(sqlite);
    // Processes opening one new file at once race to create tables; the loser finds them done.
    for (let attempt = 1; ; attempt++) {
      try {
        migrate(db, { migrationsFolder: SQLITE_MIGRATIONS });
        break;
      } catch (cause) {
        if (attempt >= 10) throw new StorageError('cannot migrate the SQLite database', { cause });
      }
    }
    // From now on writes wait for the lock mostly asynchronously (whenUnlocked); reads in WAL
    // mode do not wait for writers.
    sqlite.pragma(`busy_timeout = ${Math.min(SYNC_BUSY_MS, Math.max(0, Math.floor(options.busyTimeoutMs)))}`);
    return { sqlite, db };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}
