import type pg from 'pg';
import { withPgClient } from '../../pg-schemas.ts';
import { SEED_VV } from '../../seed-data.ts';
import type { Layout, SeedSpec } from '../contender.ts';
import { seedRows } from '../seed-rows.ts';

/** Rows per INSERT … SELECT FROM unnest(…): well under PostgreSQL's limits, few round trips. */
const BATCH = 5000;

/** Columns of rows, for one `unnest` insert. */
export function columns<T, K extends keyof T>(rows: readonly T[], keys: readonly K[]): unknown[][] {
  return keys.map((k) => rows.map((r) => r[k]));
}

/** Runs `insert` with `rows` in batches, inside one transaction of `client`. */
export async function insertBatches<T>(
  client: pg.Client,
  rows: Iterable<T>,
  insert: (batch: T[]) => Promise<unknown>,
): Promise<void> {
  await client.query('BEGIN');
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH) {
      await insert(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await insert(batch);
  await client.query('COMMIT');
}

/** anchorage's PostgreSQL schema, created by its migrations (on open) and filled with plain SQL. */
export const anchoragePgLayout: Layout = {
  name: 'anchorage-pg',
  backend: 'postgres',
  async seed(url: string, spec: SeedSpec): Promise<void> {
    const { openRepository } = await import('../../../src/index.ts');
    await (await openRepository({ url, metrics: false })).close();
    await withPgClient(url, async (client) => {
      const vv = JSON.stringify(SEED_VV);
      const rows = [...seedRows(spec)].map((r) => ({ ...r, fields: JSON.stringify(r.fields) }));
      await insertBatches(client, rows, (batch) =>
        client.query(
          `INSERT INTO anchors (id, kind, type, root, fields, source, target, version, vv)
           SELECT id, kind, type, root, fields, source, target, 1, $8::jsonb
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
               AS t(id, kind, type, root, fields, source, target)`,
          [...columns(batch, ['id', 'kind', 'type', 'root', 'fields', 'source', 'target'] as const), vv],
        ),
      );
      const refs = rows.flatMap((r) => (r.edges ?? []).map((edge) => ({ node: r.id, edge })));
      await insertBatches(client, refs, (batch) =>
        client.query(
          'INSERT INTO edge_refs (node_id, edge_id) SELECT * FROM unnest($1::text[], $2::text[])',
          columns(batch, ['node', 'edge'] as const),
        ),
      );
    });
  },
};
