import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WriteResult, WriteSet } from '../../src/core/write-set.ts';
import type { StoragePort } from '../../src/storage/storage-port.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { newNode, writeSet } from '../support/write-sets.ts';

const W = 'writer1';
const ws = (parts: Partial<WriteSet>): WriteSet => writeSet({ writer: W, ...parts });
const node = newNode;
const edge = (id: string, source: string, target: string) => ({
  kind: 'edge' as const,
  id,
  type: 'E',
  root: 'r',
  fields: {},
  source,
  target,
});
const ok = (r: WriteResult) => {
  if (!r.ok) throw new Error(`expected success, got stale ${JSON.stringify(r.stale)}`);
  return r;
};

describe.each(backends)('storage port on $name', (backend) => {
  let db: TestDatabase;
  let s: StoragePort;
  beforeEach(async () => {
    db = await backend.create();
    s = await db.storage();
  });
  afterEach(async () => db.cleanup());

  const version = async (id: string) => (await s.load([id])).get(id)?.version;

  it('inserts rows at version 1 with the writer counted once', async () => {
    ok(await s.apply(ws({ inserts: [node('a', { x: 1 })] })));
    const a = (await s.load(['a', 'missing'])).get('a');
    expect(a).toMatchObject({ kind: 'node', id: 'a', type: 'T', root: 'r', fields: { x: 1 }, version: 1, vv: { [W]: 1 } });
    expect((await s.load(['missing'])).size).toBe(0);
  });

  it('adds an inserted edge to both endpoints, in creation order, and moves their versions once', async () => {
    ok(await s.apply(ws({ inserts: [node('a'), node('b')] })));
    const r = ok(await s.apply(ws({ inserts: [edge('e1', 'a', 'b'), edge('e2', 'a', 'b')] })));
    expect(await s.loadEdgeIds('a')).toEqual(['e1', 'e2']);
    expect(await s.loadEdgeIds('b')).toEqual(['e1', 'e2']);
    expect(await version('a')).toBe(2);
    expect(r.written.get('a')).toEqual({ version: 2, vv: { [W]: 2 } });
    const e = (await s.load(['e1'])).get('e1');
    expect(e).toMatchObject({ kind: 'edge', source: 'a', target: 'b', version: 1 });
  });

  it('loads a node with its edge ids where the backend brings them, the same as loadEdgeIds', async () => {
    ok(await s.apply(ws({ inserts: [node('a'), node('b'), node('c')] })));
    ok(await s.apply(ws({ inserts: [edge('e1', 'a', 'b'), edge('e2', 'c', 'a')] })));
    const rows = await s.load(['a', 'b', 'c', 'e1']);
    for (const id of ['a', 'b', 'c']) {
      const brought = rows.get(id)?.edgeIds;
      if (brought !== undefined) expect(brought).toEqual(await s.loadEdgeIds(id));
    }
    expect(rows.get('e1')?.edgeIds).toBeUndefined();
    if (!s.capabilities.syncReads) expect(rows.get('a')?.edgeIds).toEqual(['e1', 'e2']);
  });

  it('lists a self-loop once', async () => {
    ok(await s.apply(ws({ inserts: [node('a'), edge('e', 'a', 'a')] })));
    expect(await s.loadEdgeIds('a')).toEqual(['e']);
  });

  it('compare-and-swaps an update and returns the stale row, writing nothing, on a miss', async () => {
    ok(await s.apply(ws({ inserts: [node('a', { x: 1 }), node('b')] })));
    ok(await s.apply(ws({ updates: [{ id: 'a', expect: 1, fields: { x: 2 } }] })));
    const miss = await s.apply(
      ws({ updates: [{ id: 'a', expect: 1, fields: { x: 3 } }], inserts: [node('c'), edge('e', 'b', 'c')] }),
    );
    expect(miss.ok).toBe(false);
    if (miss.ok) return;
    expect(miss.stale).toEqual([{ id: 'a', current: expect.objectContaining({ version: 2, fields: { x: 2 } }) }]);
    // Atomic: the insert that came with the missed update is not there.
    expect((await s.load(['c', 'e'])).size).toBe(0);
    expect(await s.loadEdgeIds('b')).toEqual([]);
    expect(await version('b')).toBe(1);
  });

  it('reports a deleted row as stale with current null', async () => {
    ok(await s.apply(ws({ inserts: [node('a')] })));
    ok(await s.apply(ws({ deletes: [{ id: 'a', expect: 1 }] })));
    const miss = await s.apply(ws({ updates: [{ id: 'a', expect: 1, fields: {} }] }));
    expect(miss).toMatchObject({ ok: false, stale: [{ id: 'a', current: null }] });
  });

  it('refuses an edge to a missing endpoint as stale', async () => {
    ok(await s.apply(ws({ inserts: [node('a')] })));
    const miss = await s.apply(ws({ inserts: [edge('e', 'a', 'gone')] }));
    expect(miss).toMatchObject({ ok: false, stale: [{ id: 'gone', current: null }] });
    expect(await s.loadEdgeIds('a')).toEqual([]);
  });

  it('refuses an insert whose id exists, as stale', async () => {
    ok(await s.apply(ws({ inserts: [node('a', { x: 1 })] })));
    const miss = await s.apply(ws({ inserts: [node('a', { x: 2 })] }));
    expect(miss.ok).toBe(false);
    expect((await s.load(['a'])).get('a')?.fields).toEqual({ x: 1 });
  });

  it('deletes a node with its edges, from both endpoints, moving the other endpoints', async () => {
    ok(
      await s.apply(
        ws({ inserts: [node('a'), node('b'), node('c'), edge('ab', 'a', 'b'), edge('cb', 'c', 'b'), edge('ac', 'a', 'c')] }),
      ),
    );
    const before = await version('a');
    const r = ok(await s.apply(ws({ deletes: [{ id: 'b', expect: (await version('b')) as number }] })));
    expect(new Set(r.deleted)).toEqual(new Set(['b', 'ab', 'cb']));
    expect((await s.load(['b', 'ab', 'cb'])).size).toBe(0);
    expect(await s.loadEdgeIds('a')).toEqual(['ac']);
    expect(await s.loadEdgeIds('c')).toEqual(['ac']);
    expect(await version('a')).toBe((before as number) + 1);
  });

  it('deletes an edge from both endpoints', async () => {
    ok(await s.apply(ws({ inserts: [node('a'), node('b'), edge('e', 'a', 'b')] })));
    ok(await s.apply(ws({ deletes: [{ id: 'e', expect: 1 }] })));
    expect(await s.loadEdgeIds('a')).toEqual([]);
    expect(await s.loadEdgeIds('b')).toEqual([]);
  });

  it('checks versions, including absence, without writing', async () => {
    ok(await s.apply(ws({ inserts: [node('a')] })));
    ok(
      await s.apply(
        ws({
          checks: [
            { id: 'a', expect: 1 },
            { id: 'x', expect: null },
          ],
        }),
      ),
    );
    const miss = await s.apply(
      ws({
        checks: [
          { id: 'a', expect: 2 },
          { id: 'x', expect: null },
        ],
      }),
    );
    expect(miss).toMatchObject({ ok: false, stale: [{ id: 'a' }] });
    ok(await s.apply(ws({ inserts: [node('x')] })));
    expect((await s.apply(ws({ checks: [{ id: 'x', expect: null }] }))).ok).toBe(false);
  });

  it('journals an edge rebase when an endpoint moved since its base, in the same write', async () => {
    ok(await s.apply(ws({ inserts: [node('a'), node('b'), node('c')] })));
    ok(await s.apply({ ...ws({ inserts: [edge('e1', 'a', 'b')] }), writer: 'other' }));
    const r = ok(
      await s.apply(
        ws({ inserts: [edge('e2', 'a', 'c')], endpoints: [{ id: 'a', type: 'T', expect: 1, vv: { [W]: 1 }, edges: ['e2'] }] }),
      ),
    );
    expect(r.edgeConflicts).toMatchObject([{ anchorId: 'a', kind: 'edge', resolution: 'rebased', writers: ['other'] }]);
    expect(await s.readJournal({})).toMatchObject([{ anchorId: 'a', kind: 'edge', commitId: expect.any(String) }]);
  });

  describe('journal rows of an attempt that misses', () => {
    const carried = (commitId: string, anchorId: string, resolution: 'lww' | 'merged') => ({
      commitId,
      at: 1_700_000_000_000,
      writer: W,
      anchorId,
      type: 'T',
      kind: 'field' as const,
      resolution,
      fields: ['x'],
      edges: [],
      writers: ['other'],
    });
    /** a at version 2 (a base-1 update of it is stale), d at 1; another writer moved b's edge list. */
    const setUp = async () => {
      ok(await s.apply(ws({ inserts: [node('a', { x: 1 }), node('b'), node('c'), node('d', { x: 1 })] })));
      ok(await s.apply(ws({ updates: [{ id: 'a', expect: 1, fields: { x: 2 } }] })));
      ok(await s.apply({ ...ws({ inserts: [edge('e1', 'b', 'c')] }), writer: 'other' }));
    };
    const staleA = { id: 'a', expect: 1, fields: { x: 3 } };
    const shapes: Array<[string, Partial<WriteSet>]> = [
      // PostgreSQL sends a one-row write set as one autocommit statement, journal rows included.
      ['one stale update', { updates: [staleA] }],
      ['two updates, one of them stale', { updates: [staleA, { id: 'd', expect: 1, fields: { x: 3 } }] }],
      [
        'a stale update beside an edge insert at an endpoint moved since its base',
        {
          updates: [staleA],
          endpoints: [{ id: 'b', type: 'T', expect: 1, vv: { [W]: 1 }, edges: ['e2'] }],
          inserts: [edge('e2', 'b', 'c')],
        },
      ],
    ];

    it.each(shapes)('writes none, carried or found, for %s', async (_, parts) => {
      await setUp();
      const commitId = `miss-${parts.updates?.length}-${parts.inserts?.length ?? 0}`;
      const missing = {
        ...ws({ ...parts, journal: [carried(commitId, 'a', 'lww'), carried(commitId, 'b', 'merged')] }),
        commitId,
      };
      // On its own, then with a rebase that gives up: the stale row is reported and nothing is written.
      const gaveUp: string[][] = [];
      for (const rebase of [undefined, (stale: ReadonlyArray<{ id: string }>) => void gaveUp.push(stale.map((r) => r.id))]) {
        const miss = await s.apply(missing, rebase);
        expect(miss).toMatchObject({ ok: false, stale: [{ id: 'a', current: { version: 2 } }] });
        expect(await s.readJournal({})).toEqual([]);
        const rows = await s.load(['a', 'b', 'd', 'e2']);
        expect([rows.get('a')?.fields, rows.get('d')?.version, rows.has('e2')]).toEqual([{ x: 2 }, 1, false]);
        expect(await s.loadEdgeIds('b')).toEqual(['e1']);
      }
      if (s.capabilities.rebaseInPlace) expect(gaveUp).toEqual([['a']]);

      // The same write set, no longer stale, writes its journal rows (and any edge rebase) with it.
      const updates = missing.updates.map((u) => (u.id === 'a' ? { ...u, expect: 2 } : u));
      ok(await s.apply({ ...missing, updates }));
      const written = await s.readJournal({});
      expect(written.map((e) => `${e.anchorId} ${e.kind} ${e.resolution}`).sort()).toEqual(
        ['a field lww', 'b field merged', ...(parts.inserts ? ['b edge rebased'] : [])].sort(),
      );
      expect(written.every((e) => e.commitId === commitId)).toBe(true);
    });
  });

  it('creates a root once and never touches an existing one', async () => {
    await s.ensureRoot('root1', W);
    await s.ensureRoot('root1', 'someone-else');
    expect((await s.load(['root1'])).get('root1')).toMatchObject({ type: 'Root', version: 1, vv: { [W]: 1 } });
  });

  it('scans by type and root with keyset paging', async () => {
    ok(await s.apply(ws({ inserts: [node('n3'), node('n1'), node('n2'), { ...node('m1'), type: 'M' }] })));
    expect((await s.scan({ type: 'T', limit: 2 })).map((r) => r.id)).toEqual(['n1', 'n2']);
    expect((await s.scan({ type: 'T', after: 'n2', limit: 10 })).map((r) => r.id)).toEqual(['n3']);
    expect((await s.scan({ limit: 10 })).map((r) => r.id)).toEqual(['m1', 'n1', 'n2', 'n3']);
    expect(await s.scan({ type: 'T', root: 'other', limit: 10 })).toEqual([]);
  });

  it('appends, reads and prunes the journal by age and by count', async () => {
    const entry = (at: number) => ({
      commitId: `c${at}`,
      at,
      writer: W,
      anchorId: 'a',
      type: 'T',
      kind: 'field' as const,
      resolution: 'rejected' as const,
      fields: ['x'],
      edges: [],
      writers: ['w2'],
    });
    await s.appendJournal([entry(10), entry(20), entry(30), entry(40)]);
    expect((await s.readJournal({ since: 20 })).map((e) => e.at)).toEqual([20, 30, 40]);
    expect(await s.pruneJournal({ before: 15 })).toBe(1);
    expect(await s.pruneJournal({ keep: 2 })).toBe(1);
    expect(await s.readJournal({})).toEqual([entry(30), entry(40)]);
  });
});
