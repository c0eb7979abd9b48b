import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FINAL_STATEMENTS, finalCas } from '../../src/storage/postgres/final-cas.ts';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.ts';
import { prepareOn } from '../../src/storage/postgres/server-statements.ts';
import { createScratchSchema, PG_URL, type ScratchSchema } from '../support/postgres-database.ts';
import { newNode, writeSet } from '../support/write-sets.ts';

describe.skipIf(!PG_URL)('PostgreSQL: the final compare-and-swap sent with COMMIT', () => {
  let scratch: ScratchSchema;
  let storage: PostgresStorage;
  let client: pg.Client;
  beforeEach(async () => {
    scratch = await createScratchSchema();
    storage = await PostgresStorage.open({ url: scratch.url });
    await storage.apply(writeSet({ inserts: [newNode('a', { x: 0 }), newNode('b', { x: 0 })] }));
    client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    await prepareOn(client, ...FINAL_STATEMENTS);
  });
  afterEach(async () => {
    await client.end();
    await storage.close();
    await scratch.drop();
  });

  const runFinal = async (ws: ReturnType<typeof writeSet>) => {
    await client.query(`BEGIN; INSERT INTO commits (id, at) VALUES ('${ws.commitId}', 1)`);
    return finalCas(ws, async (last) => {
      const results = (await client.query(`${last}; COMMIT`)) as unknown as pg.QueryResult[];
      return results.at(-2)?.rows ?? [];
    });
  };
  const stored = async () => {
    const rows = await storage.load(['a', 'b']);
    return [rows.get('a'), rows.get('b')].map((r) => ({ version: r?.version, x: r?.fields.x }));
  };

  it('writes every update, its journal rows and the commit record in one statement', async () => {
    const ws = writeSet({
      updates: [
        { id: 'a', expect: 1, fields: { x: 1 } },
        { id: 'b', expect: 1, fields: { x: 2 } },
      ],
      journal: [
        {
          commitId: 'j',
          at: 5,
          writer: 'w1',
          anchorId: 'a',
          type: 'T',
          kind: 'field',
          resolution: 'merged',
          fields: ['x'],
          edges: ['e9'],
          writers: ['w2'],
        },
      ],
    });
    await runFinal(ws);
    const journal = await client.query('SELECT anchor_id, fields, edges, writers FROM conflict_journal');
    expect(journal.rows).toEqual([{ anchor_id: 'a', fields: '["x"]', edges: '["e9"]', writers: '["w2"]' }]);
    expect(await stored()).toEqual([
      { version: 2, x: 1 },
      { version: 2, x: 2 },
    ]);
    const record = await client.query('SELECT result FROM commits WHERE id = $1', [ws.commitId]);
    expect(JSON.parse(record.rows[0].result).written).toHaveLength(2);
    // Prepared once on this connection (beforeEach): every commit executes them, nothing prepares again.
    await runFinal(
      writeSet({
        updates: [
          { id: 'a', expect: 2, fields: { x: 3 } },
          { id: 'b', expect: 2, fields: { x: 4 } },
        ],
      }),
    );
    await runFinal(writeSet({ updates: [{ id: 'a', expect: 3, fields: { x: 5 } }] }));
    const prepared = await client.query(
      "SELECT name FROM pg_prepared_statements WHERE name LIKE 'anchorage_x_final%' ORDER BY name",
    );
    expect(prepared.rows.map((r) => r.name.replace(/_[0-9a-f]+$/, ''))).toEqual([
      'anchorage_x_final_cas_many',
      'anchorage_x_final_cas_one',
    ]);
    expect(await stored()).toEqual([
      { version: 4, x: 5 },
      { version: 3, x: 4 },
    ]);
    expect(await storage.readJournal({})).toMatchObject([{ anchorId: 'a', resolution: 'merged' }]);
  });

  it('aborts the one-row statement too, COMMIT included, when its version does not match', async () => {
    const ws = writeSet({ updates: [{ id: 'a', expect: 7, fields: { x: 1 } }] });
    await expect(runFinal(ws)).rejects.toMatchObject({ code: '22012' });
    await client.query('ROLLBACK');
    expect((await stored())[0]).toEqual({ version: 1, x: 0 });
    expect((await client.query('SELECT 1 FROM commits WHERE id = $1', [ws.commitId])).rowCount).toBe(0);
  });

  it('aborts the whole transaction, COMMIT included, when a version does not match: nothing is written', async () => {
    const ws = writeSet({
      updates: [
        { id: 'a', expect: 1, fields: { x: 1 } },
        { id: 'b', expect: 7, fields: { x: 2 } },
      ],
    });
    await expect(runFinal(ws)).rejects.toMatchObject({ code: '22012' });
    await client.query('ROLLBACK');
    expect(await stored()).toEqual([
      { version: 1, x: 0 },
      { version: 1, x: 0 },
    ]);
    expect((await client.query('SELECT 1 FROM commits WHERE id = $1', [ws.commitId])).rowCount).toBe(0);
  });
});
