import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SYSTEM_ROOT } from '../../../src/core/row.ts';
import type { ContenderConnection, Think } from '../contender.ts';
import { CHILD_FIELDS, type LoadedRow } from '../sql-connection.ts';

/** A named query: node-postgres prepares it once per connection. */
const q = (name: string, text: string) => (values: unknown[]) => ({ name, text, values });

export const PG = {
  read: q('bench_read', 'SELECT id, fields, version FROM anchors WHERE id = $1'),
  readForUpdate: q('bench_read_lock', 'SELECT id, fields, version FROM anchors WHERE id = $1 FOR UPDATE'),
  cas: q('bench_cas', 'UPDATE anchors SET fields = $1, version = version + 1 WHERE id = $2 AND version = $3'),
  bump: q('bench_bump', 'UPDATE anchors SET version = version + 1 WHERE id = $1'),
  insert: q(
    'bench_insert',
    'INSERT INTO anchors (id, kind, type, root, fields, source, target, version, vv) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)',
  ),
  addRef: q('bench_add_ref', 'INSERT INTO edge_refs (node_id, edge_id) VALUES ($1, $2)'),
  edgeIds: q('bench_edge_ids', 'SELECT edge_id FROM edge_refs WHERE node_id = $1 ORDER BY seq'),
  outNeighbors: q(
    'bench_out_neighbors',
    `SELECT n.id, n.fields, n.version FROM edge_refs r JOIN anchors e ON e.id = r.edge_id JOIN anchors n ON n.id = e.target
      WHERE r.node_id = $1 AND e.source = $1 ORDER BY r.seq`,
  ),
};

interface Record {
  id: string;
  fields: string;
  version: number;
}

const parse = (r: Record): LoadedRow => ({ id: r.id, fields: JSON.parse(r.fields) as LoadedRow['fields'], version: r.version });

/** Serialization failures and deadlocks: PostgreSQL asks for another try. */
export function isRetryablePg(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

/**
 * The read side of the hand-written contenders on anchorage's PostgreSQL schema: one connection
 * per process, named (prepared) queries, `JSON.parse`. Subclasses add the write side.
 */
export abstract class PgConnection implements ContenderConnection {
  protected readonly client: pg.Client;
  protected readonly vv: string;

  protected constructor(client: pg.Client, name: string) {
    this.client = client;
    this.vv = JSON.stringify({ [name]: 1 });
  }

  protected static async open(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  }

  abstract increment(ids: readonly string[], field: string, think: Think): Promise<void>;
  abstract addChild(parent: string, think: Think): Promise<string>;

  protected async load(id: string, forUpdate = false): Promise<LoadedRow> {
    const res = await this.client.query<Record>((forUpdate ? PG.readForUpdate : PG.read)([id]));
    const row = res.rows[0];
    if (!row) throw new Error(`node ${id} not found`);
    return parse(row);
  }

  /** Runs `work` in a transaction; rolls back on any error. */
  protected async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      const result = await work();
      await this.client.query('COMMIT');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK');
      throw error;
    }
  }

  /** The writes of one edge add, inside the caller's transaction (see SqlConnection.insertChild). */
  protected async insertChild(parent: string): Promise<string> {
    const child = randomUUID();
    const edge = randomUUID();
    if ((await this.client.query(PG.bump([parent]))).rowCount === 0) throw new Error(`node ${parent} was deleted`);
    await this.client.query(PG.insert([child, 'node', 'Child', SYSTEM_ROOT, CHILD_FIELDS, null, null, this.vv]));
    await this.client.query(PG.insert([edge, 'edge', 'Edge', SYSTEM_ROOT, '{}', parent, child, this.vv]));
    await this.client.query(PG.addRef([parent, edge]));
    await this.client.query(PG.addRef([child, edge]));
    return edge;
  }

  async getCold(id: string): Promise<unknown> {
    return (await this.load(id)).fields;
  }

  async openSession(ids: readonly string[]): Promise<(id: string) => unknown> {
    const held = new Map<string, LoadedRow>();
    for (const id of ids) held.set(id, await this.load(id));
    return (id) => held.get(id);
  }

  async neighbors(id: string): Promise<number> {
    return (await this.client.query<Record>(PG.outNeighbors([id]))).rows.map(parse).length;
  }

  async storedFields(id: string): Promise<{ [key: string]: unknown } | undefined> {
    const row = (await this.client.query<Record>(PG.read([id]))).rows[0];
    return row && parse(row).fields;
  }

  async storedEdgeIds(id: string): Promise<readonly string[]> {
    return (await this.client.query<{ edge_id: string }>(PG.edgeIds([id]))).rows.map((r) => r.edge_id);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
