import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AttemptEvent,
  type FieldPolicy,
  type NodeAnchor,
  openRepository,
  type Repository,
  type RepositoryOptions,
} from '../../src/index.ts';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.ts';
import { bindOf, type CutMode, CuttingProxy, commitQuery } from '../support/cutting-proxy.ts';
import { createScratchSchema, PG_URL, type ScratchSchema } from '../support/postgres-database.ts';
import { newNode as node, writeSet as ws } from '../support/write-sets.ts';

const counter: FieldPolicy = (base, mine, theirs) => (theirs as number) + (mine as number) - (base as number);
const policies = { Counter: { n: counter } };

/** The two ways a commit reaches PostgreSQL, and the message after which its outcome is unknown. */
const paths = {
  // An increment and a new edge: a transaction, ended by the simple Query '…; COMMIT'.
  transaction: { on: commitQuery, withEdge: true },
  // An increment alone: one autocommit compare-and-swap statement.
  autocommit: { on: bindOf('anchorage_cas_one_recorded'), withEdge: false },
} as const;

describe.skipIf(!PG_URL)('PostgreSQL: a commit whose outcome is unknown', () => {
  let scratch: ScratchSchema;
  let proxy: CuttingProxy;
  let direct: Repository;
  const closing: Array<{ close(): Promise<void> }> = [];
  beforeEach(async () => {
    scratch = await createScratchSchema();
    const target = new URL(PG_URL as string);
    proxy = await CuttingProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    direct = await openRepository({ url: scratch.url, policies, metrics: false });
  });
  afterEach(async () => {
    for (const c of closing.splice(0)) await c.close();
    await direct.close();
    await proxy.close();
    await scratch.drop();
  });

  /** A repository whose connections go through the proxy, and the outcomes of its attempts. */
  const viaProxy = async (options: Partial<RepositoryOptions> = {}) => {
    const outcomes: AttemptEvent['outcome'][] = [];
    const repo = await openRepository({
      url: proxy.url(scratch.url),
      policies,
      metrics: false,
      observers: [{ onAttempt: (e) => void outcomes.push(e.outcome) }],
      ...options,
    });
    closing.push(repo);
    return { repo, outcomes };
  };
  const newCounter = async () => {
    const s = direct.session();
    const c = s.create('Counter', { n: 0 });
    await s.commit();
    return c.id;
  };
  const increment = async (repo: Repository, id: string, by: number) => {
    const s = repo.session();
    const c = (await s.get(id)) as NodeAnchor;
    c.fields.n = (c.fields.n as number) + by;
    await s.commit();
  };
  const stored = async (id: string) => {
    const s = direct.session();
    const c = (await s.get(id)) as NodeAnchor;
    return { n: c.fields.n, version: c.version, edges: await s.edges(c), items: (await s.list('Item')).anchors };
  };
  const journal = () => direct.storage.readJournal({});

  describe.each(Object.entries(paths))('on the %s path', (_, path) => {
    it.each<{ mode: CutMode; between: boolean; when: string }>([
      { mode: 'after-reply', between: false, when: 'after the server committed' },
      { mode: 'before', between: false, when: 'before COMMIT reached the server' },
      { mode: 'after-reply', between: true, when: 'after the server committed, and another writer commits before the retry' },
      { mode: 'before', between: true, when: 'before COMMIT reached the server, and another writer commits before the retry' },
    ])('writes it exactly once when the connection is cut $when', async ({ mode, between }) => {
      const id = await newCounter();
      const { repo, outcomes } = await viaProxy();
      const s = repo.session();
      const c = (await s.get(id)) as NodeAnchor;
      c.fields.n = (c.fields.n as number) + 1;
      if (path.withEdge) s.connect(c, s.create('Item', {}));
      proxy.cut({ mode, on: path.on, meanwhile: between ? () => increment(direct, id, 10) : undefined });

      await s.commit();

      expect(proxy.cuts).toBe(1);
      // Not landed, with another writer in between: the retry rebases onto that writer's commit.
      expect(outcomes).toEqual(mode === 'before' && between ? ['busy', 'conflict', 'committed'] : ['busy', 'committed']);
      const after = await stored(id);
      expect(after.n).toBe(between ? 11 : 1);
      expect(after.version).toBe(between ? 3 : 2);
      expect(after.edges).toHaveLength(path.withEdge ? 1 : 0);
      expect(after.items).toHaveLength(path.withEdge ? 1 : 0);
      // The session's anchor has what its commit wrote: landed first, or rebased onto the other writer.
      expect(c.version).toBe(mode === 'before' && between ? 3 : 2);
      // A retry that found its commit landed rebased onto nothing: no conflict was journaled.
      if (mode === 'after-reply') expect(await journal()).toEqual([]);
      // And the session goes on from there.
      c.fields.n = (c.fields.n as number) + 1;
      await s.commit();
      expect((await stored(id)).n).toBe(between ? 12 : 2);
    });

    it('writes it exactly once when the request reaches the server only after the retry began', async () => {
      const id = await newCounter();
      const { repo } = await viaProxy();
      const s = repo.session();
      const c = (await s.get(id)) as NodeAnchor;
      c.fields.n = 1;
      if (path.withEdge) s.connect(c, s.create('Item', {}));
      proxy.cut({ mode: 'in-flight', on: path.on, delayMs: 300 });
      await s.commit();
      await proxy.settled();
      await new Promise((resolve) => setTimeout(resolve, 300)); // the late request has run by now
      expect(proxy.cuts).toBe(1);
      expect(await stored(id)).toMatchObject({ n: 1, version: 2, edges: path.withEdge ? [expect.anything()] : [] });
      expect(c.version).toBe(2);
    });
  });

  it("finds a landed commit without waiting in its row's lock queue", async () => {
    const id = await newCounter();
    const { repo, outcomes } = await viaProxy({ busyTimeoutMs: 200, retry: { retries: 3, maxDelayMs: 5 } });
    // Another transaction takes the row once the commit landed, and keeps it.
    const holder = new pg.Client({ connectionString: scratch.url });
    await holder.connect();
    closing.push({ close: () => holder.end() });
    proxy.cut({
      mode: 'after-reply',
      on: commitQuery,
      meanwhile: async () => {
        await holder.query('BEGIN');
        await holder.query('SELECT 1 FROM anchors WHERE id = $1 FOR UPDATE', [id]);
      },
    });
    const s = repo.session();
    const c = (await s.get(id)) as NodeAnchor;
    c.fields.n = 1;
    s.connect(c, s.create('Item', {}));
    // A retry that locked first would time out on the held row (200 ms) every time, then give up.
    await s.commit();
    expect(outcomes).toEqual(['busy', 'committed']);
    expect(c.version).toBe(2);
    await holder.query('ROLLBACK');
    expect(await stored(id)).toMatchObject({ n: 1, version: 2 });
  });

  it('says the outcome is unknown when no retry could reach the database, and the commit was written once', async () => {
    const id = await newCounter();
    const { repo } = await viaProxy({ retry: { retries: 3, maxDelayMs: 5 } });
    proxy.cut({ mode: 'after-reply', on: commitQuery, meanwhile: async () => void (proxy.refuse = true) });
    const s = repo.session();
    const c = (await s.get(id)) as NodeAnchor;
    c.fields.n = 1;
    s.connect(c, s.create('Item', {}));
    await expect(s.commit()).rejects.toMatchObject({ code: 'storage', context: { ambiguous: true } });
    expect(await stored(id)).toMatchObject({ n: 1, version: 2 });
  });

  describe('commit records', () => {
    let storage: PostgresStorage;
    beforeEach(async () => {
      storage = await PostgresStorage.open({ url: scratch.url });
      closing.push(storage);
    });
    const records = async () => {
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      try {
        return (await client.query('SELECT id, at::float8 AS at, result IS NOT NULL AS has_result FROM commits ORDER BY at'))
          .rows;
      } finally {
        await client.end();
      }
    };

    it('applies a write set once, however often its commit id comes back, on both paths', async () => {
      const created = await storage.apply(ws({ commitId: 'create', inserts: [node('a'), node('b')] }));
      expect(await storage.apply(ws({ commitId: 'create', inserts: [node('a'), node('b')] }))).toEqual(created);
      const one = ws({ commitId: 'one-row', updates: [{ id: 'a', expect: 1, fields: { x: 1 } }] });
      const updated = await storage.apply(one);
      expect(updated).toMatchObject({ ok: true, written: new Map([['a', { version: 2, vv: { w1: 2 } }]]) });
      expect(await storage.apply(one)).toEqual(updated);
      expect(await storage.apply(one, () => undefined)).toEqual(updated);
      expect((await storage.load(['a'])).get('a')).toMatchObject({ version: 2, fields: { x: 1 } });
      // A one-row write whose CAS would match, under a recorded id: the record wins, nothing is written.
      const reused = ws({ commitId: 'create', updates: [{ id: 'b', expect: 1, fields: { x: 1 } }] });
      expect(await storage.apply(reused)).toEqual(created);
      expect((await storage.load(['b'])).get('b')).toMatchObject({ version: 1, fields: {} });
    });

    it('keeps what each commit wrote, and prunes records by age', async () => {
      const hour = 3_600_000;
      await storage.apply(ws({ commitId: 'old', at: 1_000, inserts: [node('a')] }));
      await storage.apply(ws({ commitId: 'new', at: 1_000 + 2 * hour, updates: [{ id: 'a', expect: 1, fields: {} }] }));
      expect(await records()).toEqual([
        { id: 'old', at: 1_000, has_result: true },
        { id: 'new', at: 1_000 + 2 * hour, has_result: true },
      ]);
      expect(await storage.pruneCommits(1_000 + hour)).toBe(1);
      expect((await records()).map((r) => r.id)).toEqual(['new']);
    });
  });
});
