import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The server the PostgreSQL tests run on (`.ci/services` starts one); unset: those tests skip. */
export const PG_URL = process.env.ANCHORAGE_PG_URL;

/** A schema of its own for one test case: anchorage migrates into a connection's current schema. */
export interface ScratchSchema {
  /** `PG_URL` with `search_path` set to this schema. */
  readonly url: string;
  readonly schema: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty schema (milliseconds, where a database takes a quarter of a second here);
 * `drop()` removes it with everything in it.
 */
export async function createScratchSchema(prefix = 'anchorage_t'): Promise<ScratchSchema> {
  if (!PG_URL) throw new Error('ANCHORAGE_PG_URL is not set');
  const schema = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((c) => c.query(`CREATE SCHEMA ${c.escapeIdentifier(schema)}`));
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    schema,
    drop: () => admin(async (c) => void (await c.query(`DROP SCHEMA IF EXISTS ${c.escapeIdentifier(schema)} CASCADE`))),
  };
}

/**
 * Resolves once another session waits for a lock that `holder` holds (so a test can release it
 * knowing the waiter is queued behind it). Polls; gives up after `limit` polls with an error.
 */
export async function waiterBehind(holder: pg.Client, limit = 1000): Promise<void> {
  const pid = ((await holder.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
  const probe = new pg.Client({ connectionString: PG_URL });
  await probe.connect();
  try {
    for (let i = 0; i < limit; i++) {
      const res = await probe.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [
        pid,
      ]);
      if ((res.rows[0] as { n: number }).n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no session ever waited behind backend ${pid}`);
  } finally {
    await probe.end();
  }
}
