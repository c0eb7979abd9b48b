import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FieldPolicy, type NodeAnchor, openRepository, type Repository } from '../../src/index.ts';
import { createScratchSchema, PG_URL, type ScratchSchema } from '../support/postgres-database.ts';

/** Writers as separate servers would be: each repository has its own pool and writer id. */
const WRITERS = 8;
const sum: FieldPolicy = (base, mine, theirs) => (theirs as number) + (mine as number) - (base as number);

describe.skipIf(!PG_URL)('PostgreSQL under concurrent writers (8 pools)', () => {
  let scratch: ScratchSchema;
  let repos: Repository[];
  beforeEach(async () => {
    scratch = await createScratchSchema();
    repos = [];
    for (let i = 0; i < WRITERS; i++) {
      repos.push(await openRepository({ url: scratch.url, poolSize: 2, policies: { Tally: { n: sum } } }));
    }
  });
  afterEach(async () => {
    for (const r of repos) await r.close();
    await scratch.drop();
  });

  const first = () => repos[0] as Repository;
  const newNode = async (type: string, fields = {}) => {
    const s = first().session();
    const n = s.create(type, fields);
    await s.commit();
    return n.id;
  };
  const each = (fn: (r: Repository, i: number) => Promise<void>) => Promise.all(repos.map((r, i) => fn(r, i)));

  it('loses no increment when 8 servers run read-modify-write transactions on one field', async () => {
    const id = await newNode('Counter', { n: 0 });
    await each(async (r) => {
      for (let k = 0; k < 3; k++) {
        await r.transaction(async (tx) => {
          const c = (await tx.get(id)) as NodeAnchor;
          c.fields.n = (c.fields.n as number) + 1;
        });
      }
    });
    expect((await first().session().get(id))?.fields.n).toBe(WRITERS * 3);
  });

  it('merges concurrent increments of a field that has a merge policy', async () => {
    const id = await newNode('Tally', { n: 0 });
    await each(async (r) => {
      for (let k = 0; k < 10; k++) {
        const s = r.session();
        const t = (await s.get(id)) as NodeAnchor;
        t.fields.n = (t.fields.n as number) + 1;
        await s.commit();
      }
    });
    expect((await first().session().get(id))?.fields.n).toBe(WRITERS * 10);
  });

  it('keeps every edge when 8 servers add edges to one node at once, each moving its version once', async () => {
    const hub = await newNode('Hub');
    const added: string[][] = [];
    await each(async (r, i) => {
      added[i] = [];
      for (let k = 0; k < 5; k++) {
        const s = r.session();
        const h = (await s.get(hub)) as NodeAnchor;
        const e = s.connect(h, s.create('Leaf', { by: i, k }));
        await s.commit();
        added[i]?.push(e.id);
      }
    });
    const s = first().session();
    const h = (await s.get(hub)) as NodeAnchor;
    expect([...h.edgeIds].sort()).toEqual(added.flat().sort());
    expect(h.version).toBe(1 + WRITERS * 5);
    // Each writer's own edges stay in the order it added them.
    for (const mine of added) expect(h.edgeIds.filter((e) => mine.includes(e))).toEqual(mine);
    expect(await s.neighbors(h)).toHaveLength(WRITERS * 5);
  });

  it('makes one profile when 8 servers find-or-create it at once in serializable transactions', async () => {
    const ids = await Promise.all(
      repos.map((r) =>
        r.transaction(
          async (tx) => {
            const root = await tx.root();
            const [found] = await tx.neighbors(root, { type: 'Profile' });
            if (found) return found.id;
            const created = tx.create('Profile', {});
            tx.connect(root, created);
            return created.id;
          },
          { root: 'user-1', mode: 'serializable' },
        ),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    const s = first().session({ root: 'user-1' });
    expect(await s.neighbors(await s.root(), { type: 'Profile' })).toHaveLength(1);
  });

  it('leaves no dangling edge when a node is deleted while others connect to it', async () => {
    const target = await newNode('Target');
    // Every session holds the target before any commits (else a late one finds it gone at get()).
    const loaded = await Promise.all(
      repos.map(async (r) => {
        const s = r.session();
        return { s, t: (await s.get(target)) as NodeAnchor };
      }),
    );
    const outcomes = await Promise.allSettled(
      loaded.map(async ({ s, t }, i) => {
        if (i === 0) s.destroy(t);
        else s.connect(s.create('Source', { i }), t);
        await s.commit();
      }),
    );
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'deleted_concurrently' });
    const check = first().session();
    expect(await check.get(target)).toBeUndefined();
    // Every edge left joins two nodes that exist, and both list it.
    const sources = await first().storage.scan({ type: 'Source', limit: 100 });
    for (const src of sources) {
      for (const edgeId of await first().storage.loadEdgeIds(src.id)) {
        const edge = (await first().storage.load([edgeId])).get(edgeId);
        expect(edge?.kind).toBe('edge');
        if (edge?.kind !== 'edge') continue;
        expect((await first().storage.load([edge.source, edge.target])).size).toBe(2);
      }
    }
    expect(await first().storage.scan({ type: 'Edge', limit: 100 })).toEqual([]);
  });
});
