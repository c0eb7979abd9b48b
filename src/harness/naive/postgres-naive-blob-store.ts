import pg from 'pg';
import { type NaiveBlob, type NaiveBlobStore, rootBlob } from './naive-blob-store.ts';

/** Its own table, so it never meets anchorage's tables in a shared database. */
const TABLE = 'anchorage_naive_anchors';

/**
 * The naive table on PostgreSQL: the same whole-row writes as on SQLite, as
 * `INSERT … ON CONFLICT (id) DO UPDATE SET data = excluded.data`, each statement autocommitted
 * on a pooled connection, no version check.
 */
export class PostgresNaiveBlobStore implements NaiveBlobStore {
  readonly #pool: pg.Pool;
  /** The table is created (if absent) on open, so opening stays synchronous as on SQLite; statements wait for it. */
  readonly #table: Promise<unknown>;

  /** `poolSize`: anchorage's default, so the two modes' latencies compare. */
  constructor(url: string, poolSize = 10) {
    this.#pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'anchorage-naive' });
    // Idle-connection errors are dropped here: the next statement reports them.
    this.#pool.on('error', () => {});
    this.#table = this.#pool.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id TEXT PRIMARY KEY, data TEXT NOT NULL)`);
    this.#table.catch(() => {}); // reported by the first statement, or by close()
  }

  async #rows<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    await this.#table;
    return (await this.#pool.query<R>(sql, params)).rows;
  }

  async read(id: string): Promise<NaiveBlob | undefined> {
    const [row] = await this.#rows<{ data: string }>(`SELECT data FROM ${TABLE} WHERE id = $1`, [id]);
    return row ? (JSON.parse(row.data) as NaiveBlob) : undefined;
  }

  async replace(id: string, blob: NaiveBlob): Promise<void> {
    const sql = `INSERT INTO ${TABLE} (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = excluded.data`;
    await this.#rows(sql, [id, JSON.stringify(blob)]);
  }

  async ensureRoot(id: string): Promise<void> {
    const sql = `INSERT INTO ${TABLE} (id, data) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`;
    await this.#rows(sql, [id, JSON.stringify(rootBlob(id))]);
  }

  async remove(id: string): Promise<void> {
    await this.#rows(`DELETE FROM ${TABLE} WHERE id = $1`, [id]);
  }

  async page(after: string, limit: number): Promise<Array<{ id: string; blob: NaiveBlob }>> {
    const sql = `SELECT id, data FROM ${TABLE} WHERE id > $1 ORDER BY id LIMIT $2`;
    const rows = await this.#rows<{ id: string; data: string }>(sql, [after, limit]);
    return rows.map((r) => ({ id: r.id, blob: JSON.parse(r.data) as NaiveBlob }));
  }

  /** Also reports a failure to create the table, which nothing else may have awaited. */
  async close(): Promise<void> {
    try {
      await this.#table;
    } finally {
      await this.#pool.end();
    }
  }
}
