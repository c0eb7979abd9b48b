import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FieldPolicy, type NodeAnchor, openRepository, type Repository } from '../../src/index.ts';
import { createScratchSchema, PG_URL, type ScratchSchema } from '../support/postgres-database.ts';

const counter: FieldPolicy = (base, mine, theirs) => (theirs as number) + (mine as number) - (base as number);
const policies = { Counter: { n: counter } };

/**
 * Round trips are what a hot row's writers wait on (the row is locked from the lock's answer to
 * COMMIT): these cases pin how many a one-row commit costs, so a change that adds one shows.
 */
describe.skipIf(!PG_URL)('PostgreSQL: round trips of a one-row commit', () => {
  let scratch: ScratchSchema;
  let pool: pg.Pool;
  let counted: Repository;
  let other: Repository;
  let trips = 0;
  beforeEach(async () => {
    scratch = await createScratchSchema();
    pool = new pg.Pool({ connectionString: scratch.url, max: 1 });
    // Every query call on a connection is one round trip (several statements in one simple query too).
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        trips++;
        return query(...args);
      };
    });
    counted = await openRepository({ pool, policies, metrics: false });
    other = await openRepository({ url: scratch.url, policies, metrics: false });
  });
  afterEach(async () => {
    await counted.close();
    await other.close();
    await pool.end();
    await scratch.drop();
  });

  const newCounter = async () => {
    const s = other.session();
    const c = s.create('Counter', { n: 0 });
    await s.commit();
    return c.id;
  };
  /** Trips of one increment by `counted`, each part counted; `meanwhile` runs between its read and its commit. */
  const increment = async (id: string, meanwhile?: () => Promise<void>) => {
    const s = counted.session();
    trips = 0;
    const c = (await s.get(id)) as NodeAnchor;
    const load = trips;
    await meanwhile?.();
    c.fields.n = (c.fields.n as number) + 1;
    trips = 0;
    await s.commit();
    return { load, commit: trips };
  };
  const byOther = (id: string) => async () => {
    const s = other.session();
    const c = (await s.get(id)) as NodeAnchor;
    c.fields.n = (c.fields.n as number) + 10;
    await s.commit();
  };

  it('costs one trip to load and one to commit when nobody wrote in between, three after a conflict, two once the row is contended', async () => {
    // Warm up the connection: statements are prepared once per connection, on first use.
    const warm = await newCounter();
    await increment(warm, byOther(warm));
    await increment(warm, byOther(warm));

    const id = await newCounter();
    expect(await increment(id)).toEqual({ load: 1, commit: 1 }); // one autocommit CAS
    // A miss: the CAS, then BEGIN + commit record + row lock, then the rebased write + COMMIT.
    expect(await increment(id, byOther(id))).toEqual({ load: 1, commit: 3 });
    // The row is contended now: lock first (with BEGIN), write with COMMIT.
    expect(await increment(id, byOther(id))).toEqual({ load: 1, commit: 2 });
    expect(await increment(id)).toEqual({ load: 1, commit: 2 }); // no conflict: not contended any more
    expect(await increment(id)).toEqual({ load: 1, commit: 1 });

    const s = other.session();
    expect(((await s.get(id)) as NodeAnchor).fields.n).toBe(25);
  });

  it("locks a new edge's rows in the opening trip and does not ask for them again", async () => {
    const warm = await newCounter();
    await increment(warm, byOther(warm));
    const id = await newCounter();
    const s = counted.session();
    const c = (await s.get(id)) as NodeAnchor;
    s.connect(c, s.create('Item', {}));
    trips = 0;
    await s.commit();
    // BEGIN + record + locks; the inserts; their edge-list rows; the endpoint's version; record + COMMIT.
    expect(trips).toBe(5);
  });

  it('replaces a connection whose prepared statements were dropped (a pooler reset it), and commits', async () => {
    const id = await newCounter();
    await increment(id, byOther(id)); // prepares the statements; the row is contended now
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements');
    const lockRow = rows.map((r) => r.name).filter((name) => /^anchorage_x_lock_row_[0-9a-f]+$/.test(name));
    expect(lockRow).toHaveLength(1);
    await pool.query(`DEALLOCATE ${lockRow[0]}`);
    await increment(id, byOther(id));
    const s = other.session();
    expect(((await s.get(id)) as NodeAnchor).fields.n).toBe(22);
  });
});
