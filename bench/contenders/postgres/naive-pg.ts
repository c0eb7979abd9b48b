import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SYSTEM_ROOT } from '../../../src/core/row.ts';
import { withPgClient } from '../../pg-schemas.ts';
import type { ConnectOptions, Contender, ContenderConnection, Layout, SeedSpec, Think } from '../contender.ts';
import { type Blob, seedBlobs } from '../naive.ts';
import { bumpField } from '../sql-connection.ts';
import { columns, insertBatches } from './anchorage-pg-layout.ts';

const read = (id: string) => ({ name: 'naive_read', text: 'SELECT data FROM blobs WHERE id = $1', values: [id] });
// The original bug on PostgreSQL: the whole row written back from a private copy.
const upsert = (id: string, blob: Blob) => ({
  name: 'naive_upsert',
  text: 'INSERT INTO blobs (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data',
  values: [id, JSON.stringify(blob)],
});

const naivePgLayout: Layout = {
  name: 'naive-pg-blobs',
  backend: 'postgres',
  async seed(url: string, spec: SeedSpec): Promise<void> {
    await withPgClient(url, async (client) => {
      await client.query('CREATE TABLE blobs (id text PRIMARY KEY, data text NOT NULL)');
      const rows = [...seedBlobs(spec)].map(([id, blob]) => ({ id, data: JSON.stringify(blob) }));
      await insertBatches(client, rows, (batch) =>
        client.query(
          'INSERT INTO blobs (id, data) SELECT * FROM unnest($1::text[], $2::text[])',
          columns(batch, ['id', 'data'] as const),
        ),
      );
    });
  },
};

/** The seed's bug on PostgreSQL: read a blob, change a private copy, upsert the whole row. */
class NaivePgConnection implements ContenderConnection {
  readonly #client: pg.Client;

  constructor(client: pg.Client) {
    this.#client = client;
  }

  async #load(id: string): Promise<Blob> {
    const row = (await this.#client.query<{ data: string }>(read(id))).rows[0];
    if (!row) throw new Error(`anchor ${id} not found`);
    return JSON.parse(row.data) as Blob;
  }

  async #write(rows: ReadonlyArray<readonly [string, Blob]>): Promise<void> {
    await this.#client.query('BEGIN');
    try {
      for (const [id, blob] of rows) await this.#client.query(upsert(id, blob));
      await this.#client.query('COMMIT');
    } catch (error) {
      await this.#client.query('ROLLBACK');
      throw error;
    }
  }

  async increment(ids: readonly string[], field: string, think: Think): Promise<void> {
    const rows: Array<readonly [string, Blob]> = [];
    for (const id of ids) rows.push([id, await this.#load(id)]);
    await think();
    for (const [, blob] of rows) bumpField(blob.fields, field);
    await this.#write(rows);
  }

  async addChild(parent: string, think: Think): Promise<string> {
    const blob = await this.#load(parent);
    await think();
    const child = randomUUID();
    const edge = randomUUID();
    (blob.edges ??= []).push(edge);
    await this.#write([
      [child, { type: 'Child', root: SYSTEM_ROOT, fields: { name: 'child' }, edges: [edge] }],
      [edge, { type: 'Edge', root: SYSTEM_ROOT, fields: {}, source: parent, target: child }],
      [parent, blob],
    ]);
    return edge;
  }

  close(): Promise<void> {
    return this.#client.end();
  }

  async getCold(id: string): Promise<unknown> {
    return (await this.#load(id)).fields;
  }

  async openSession(ids: readonly string[]): Promise<(id: string) => unknown> {
    const held = new Map<string, Blob>();
    for (const id of ids) held.set(id, await this.#load(id));
    return (id) => held.get(id);
  }

  async neighbors(id: string): Promise<number> {
    let count = 0;
    for (const edgeId of (await this.#load(id)).edges ?? []) if ((await this.#load(edgeId)).source === id) count++;
    return count;
  }

  async storedFields(id: string): Promise<Record<string, unknown> | undefined> {
    const row = (await this.#client.query<{ data: string }>(read(id))).rows[0];
    return row && (JSON.parse(row.data) as Blob).fields;
  }

  async storedEdgeIds(id: string): Promise<readonly string[]> {
    return (await this.#load(id)).edges ?? [];
  }
}

export const naivePg: Contender = {
  name: 'naive-pg',
  summary: "the seed's bug on PostgreSQL: read a blob row, change a private copy, upsert the whole row (loses writes)",
  layout: naivePgLayout,
  async connect(url: string, _options: ConnectOptions): Promise<ContenderConnection> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new NaivePgConnection(client);
  },
};
