import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** Runs `fn` with a client of its own, ended afterwards whatever happens. */
export async function withPgClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh schema on the server at `url`, for one run: every contender connects to the returned
 * url, whose `search_path` is that schema. `drop()` removes it with everything in it.
 */
export async function createSchema(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `anchorage_bench_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await withPgClient(url, (c) => c.query(`CREATE SCHEMA ${c.escapeIdentifier(schema)}`));
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    drop: () =>
      withPgClient(url, async (c) => void (await c.query(`DROP SCHEMA IF EXISTS ${c.escapeIdentifier(schema)} CASCADE`))),
  };
}

/** The server's durability settings, printed beside its figures: they apply to every contender alike. */
export async function serverDurability(url: string): Promise<string> {
  return withPgClient(url, async (c) => {
    const show = async (name: string) => ((await c.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[name];
    return `PostgreSQL ${await show('server_version')}, fsync=${await show('fsync')}, synchronous_commit=${await show('synchronous_commit')}`;
  });
}
