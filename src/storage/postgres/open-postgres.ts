import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { StorageError } from '../../core/errors.ts';
import { toStorageError } from './postgres-errors.ts';

export const POSTGRES_MIGRATIONS = fileURLToPath(new URL('../../../drizzle/postgres', import.meta.url));
const MIGRATIONS_TABLE = '__drizzle_migrations';

export interface PostgresPoolOptions {
  /** `postgres://…` or `postgresql://…`. */
  readonly url: string;
  /** Most connections this process opens. */
  readonly poolSize: number;
  /** How long a writer waits for a row lock before the attempt fails as busy (and is retried). */
  readonly lockTimeoutMs: number;
}

/** A pool of our own for a url. Idle-connection errors are dropped here: the next query reports them. */
export function createPool(options: PostgresPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    application_name: 'anchorage',
    // 0 would mean "wait forever" on PostgreSQL, the opposite of SQLite's busy_timeout = 0.
    lock_timeout: Math.max(1, Math.floor(options.lockTimeoutMs)),
  });
  pool.on('error', () => {});
  return pool;
}

function latestKnownMigration(): number {
  const journal = JSON.parse(readFileSync(`${POSTGRES_MIGRATIONS}/meta/_journal.json`, 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  return Math.max(...journal.entries.map((e) => e.when));
}

async function refuseNewerSchema(client: pg.PoolClient, table: string): Promise<void> {
  const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  if (!exists.rows[0]?.t) return;
  const res = await client.query<{ latest: string | null }>(`SELECT max(created_at)::text AS latest FROM ${table}`);
  const latest = res.rows[0]?.latest;
  if (latest !== null && latest !== undefined && Number(latest) > latestKnownMigration()) {
    throw new StorageError(
      `this database was migrated by a newer anchorage (schema ${latest}, this one knows up to ${latestKnownMigration()}); upgrade anchorage to open it`,
      { context: { schema: Number(latest) } },
    );
  }
}

/**
 * Applies pending migrations to the connection's current schema (the first of its search_path),
 * under a session advisory lock keyed by that schema: servers starting at once wait for the
 * first, which migrates; the others then find nothing to do. A schema migrated by a newer
 * anchorage is refused with a StorageError. The migrations table lives in the same schema, so
 * one database can hold several anchorage schemas.
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (cause) {
    throw toStorageError(cause, 'connect to PostgreSQL');
  }
  let broken: Error | undefined;
  try {
    const current = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    const schema = current.rows[0]?.schema;
    if (!schema) throw new StorageError('PostgreSQL has no current schema: set a search_path that names an existing schema');
    const lockKey = `anchorage.migrate:${schema}`;
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
    try {
      await refuseNewerSchema(client, `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(MIGRATIONS_TABLE)}`);
      await migrate(drizzle(client), {
        migrationsFolder: POSTGRES_MIGRATIONS,
        migrationsSchema: schema,
        migrationsTable: MIGRATIONS_TABLE,
      });
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
    }
  } catch (error) {
    // A connection in doubt is closed, which also releases the advisory lock.
    broken = error instanceof Error ? error : new Error(String(error));
    throw toStorageError(error, 'migrate the PostgreSQL database');
  } finally {
    client.release(broken);
  }
}
