import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AttemptEvent, openRepository, type Repository } from '../../src/index.ts';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.ts';
import { createScratchSchema, PG_URL, type ScratchSchema, waiterBehind } from '../support/postgres-database.ts';
import { newNode as node, writeSet as ws } from '../support/write-sets.ts';

/** Collects attempt outcomes, and calls `onBusy` at the first busy one. */
function attempts(onBusy: () => void = () => {}) {
  const seen: AttemptEvent['outcome'][] = [];
  return {
    seen,
    observer: {
      onAttempt: (e: AttemptEvent) => {
        seen.push(e.outcome);
        if (e.outcome === 'busy' && seen.filter((o) => o === 'busy').length === 1) onBusy();
      },
    },
  };
}

describe.skipIf(!PG_URL)('PostgreSQL failures', () => {
  let scratch: ScratchSchema;
  let other: pg.Client;
  const closing: Array<{ close(): Promise<void> }> = [];
  beforeEach(async () => {
    scratch = await createScratchSchema();
    await (await PostgresStorage.open({ url: scratch.url })).close(); // migrated
    other = new pg.Client({ connectionString: scratch.url });
    await other.connect();
  });
  afterEach(async () => {
    for (const c of closing.splice(0)) await c.close();
    await other.end();
    await scratch.drop();
  });
  const storage = async (options: { pool?: pg.Pool } = {}) => {
    const s = await PostgresStorage.open(options.pool ? { pool: options.pool } : { url: scratch.url, poolSize: 2 });
    closing.push(s);
    return s;
  };
  const repo = async (options: Parameters<typeof openRepository>[0]) => {
    const r = await openRepository(options);
    closing.push(r);
    return r;
  };
  const counter = async (r: Repository) => {
    const s = r.session();
    const c = s.create('Counter', { n: 0 });
    await s.commit();
    return c.id;
  };
  const increment = async (r: Repository, id: string) => {
    const s = r.session();
    const c = await s.get(id);
    if (!c) throw new Error('gone');
    c.fields.n = (c.fields.n as number) + 1;
    await s.commit();
  };

  it('reports a serialization failure (40001) as a retryable StorageError, and the commit loop retries it', async () => {
    const url = new URL(scratch.url); // options in the url win over those beside it: both go in it
    url.searchParams.set('options', `-c search_path=${scratch.schema} -c default_transaction_isolation=repeatable\\ read`);
    const pool = new pg.Pool({ connectionString: url.toString() });
    closing.push({ close: () => pool.end() });
    const s = await storage({ pool });
    await s.apply(ws({ inserts: [node('a'), node('b')] }));
    await other.query('BEGIN');
    await other.query("UPDATE anchors SET version = version + 1 WHERE id = 'b'");
    // Two rows: one transaction that locks both; it waits for 'b', which then changes under its snapshot.
    const attempt = s.apply(
      ws({
        updates: [
          { id: 'a', expect: 1, fields: { x: 1 } },
          { id: 'b', expect: 2, fields: { x: 1 } },
        ],
      }),
    );
    await waiterBehind(other);
    await other.query('COMMIT');
    await expect(attempt).rejects.toMatchObject({ code: 'storage', retryable: true, context: { sqlState: '40001' } });

    const { seen, observer } = attempts();
    const r = await repo({ pool, observers: [observer] });
    const id = await counter(r);
    await other.query('BEGIN');
    await other.query('UPDATE anchors SET version = version WHERE id = $1', [id]);
    const committing = increment(r, id);
    await waiterBehind(other);
    await other.query('COMMIT');
    await committing;
    expect(seen).toContain('busy');
    expect((await r.session().get(id))?.fields.n).toBe(1);
  });

  it('reports a deadlock (40P01) as a retryable StorageError', async () => {
    const s = await storage();
    await s.apply(ws({ inserts: [node('a'), node('b')] }));
    await other.query('BEGIN');
    // The other side waits longer before it looks for deadlocks: the attempt is the one aborted.
    await other.query("SET LOCAL deadlock_timeout = '30s'");
    await other.query("SELECT 1 FROM anchors WHERE id = 'b' FOR UPDATE");
    const attempt = s.apply(
      ws({
        updates: [
          { id: 'a', expect: 1, fields: {} },
          { id: 'b', expect: 1, fields: {} },
        ],
      }),
    );
    await waiterBehind(other); // the attempt holds 'a' (ids in order) and waits for 'b'
    const otherWaits = other.query("SELECT 1 FROM anchors WHERE id = 'a' FOR UPDATE");
    await expect(attempt).rejects.toMatchObject({ code: 'storage', retryable: true, context: { sqlState: '40P01' } });
    await otherWaits;
    await other.query('ROLLBACK');
    expect((await s.load(['a', 'b'])).get('a')?.version).toBe(1);
  });

  it('retries a write that waited too long for a row lock (55P03) until the lock is free', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const { seen, observer } = attempts(release);
    const r = await repo({ url: scratch.url, busyTimeoutMs: 50, observers: [observer] });
    const id = await counter(r);
    seen.length = 0;
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM anchors WHERE id = $1 FOR UPDATE', [id]);
    const committing = increment(r, id);
    await released;
    await other.query('COMMIT');
    await committing;
    expect(seen.slice(0, 1)).toEqual(['busy']);
    expect((await r.session().get(id))?.fields.n).toBe(1);
  });

  it('retries on a new connection when the server drops the one an attempt was using', async () => {
    const { seen, observer } = attempts();
    const r = await repo({ url: scratch.url, poolSize: 1, observers: [observer] });
    const id = await counter(r);
    await other.query('BEGIN');
    await other.query('SELECT 1 FROM anchors WHERE id = $1 FOR UPDATE', [id]);
    const committing = increment(r, id);
    await waiterBehind(other);
    const pid = await other.query('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [
      (await other.query('SELECT pg_backend_pid() AS p')).rows[0].p,
    ]);
    await other.query('SELECT pg_terminate_backend($1)', [pid.rows[0].pid]);
    await waiterBehind(other); // the retry, on a fresh connection
    await other.query('COMMIT');
    await committing;
    expect(seen).toContain('busy');
    expect((await r.session().get(id))?.fields.n).toBe(1);
  });

  it('reports an insert that lost a race for its id as a stale row, not an error', async () => {
    const s = await storage();
    await other.query('BEGIN');
    await other.query(
      `INSERT INTO anchors (id, kind, type, root, fields, version, vv) VALUES ('dup', 'node', 'Other', 'r', '{"mine":false}', 1, '{"o":1}')`,
    );
    const attempt = s.apply(ws({ inserts: [node('dup')] }));
    await waiterBehind(other); // blocked on the id's unique index entry
    await other.query('COMMIT');
    const result = await attempt;
    expect(result).toMatchObject({ ok: false, stale: [{ id: 'dup', current: { type: 'Other', fields: { mine: false } } }] });
  });
});
