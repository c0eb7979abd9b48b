import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommitEvent, ConflictEvent, EdgeAnchor, NodeAnchor, Repository, Session } from '../../src/index.ts';
import { backends, type TestDatabase } from '../support/backends.ts';

const USER = 'user-1';

describe.each(backends)('sessions on $name', (backend) => {
  let db: TestDatabase;
  let repo: Repository;
  beforeEach(async () => {
    db = await backend.create();
    repo = await db.repo({ writerId: 'A' });
  });
  afterEach(async () => db.cleanup());

  it('returns the same object for the same id within a session', async () => {
    const s = repo.session({ root: USER });
    const root = await s.root();
    expect(await s.get(root.id)).toBe(root);
    expect(await s.root()).toBe(root);
    const p = s.create('P', {});
    expect(await s.get(p.id)).toBe(p);
  });

  it('creates a root row once, idempotently, owned by itself', async () => {
    const [a, b] = await Promise.all([repo.session({ root: USER }).root(), repo.session({ root: USER }).root()]);
    expect(a.version).toBe(1);
    expect(b.version).toBe(1);
    expect(a).toMatchObject({ id: USER, kind: 'node', type: 'Root', root: USER });
  });

  it('put() writes the anchor with its new edges and their new endpoints, and leaves the rest staged', async () => {
    const s = repo.session({ root: USER });
    const root = await s.root();
    const msg = s.create('Message', { n: 1 });
    s.connect(root, msg);
    const unrelated = s.create('Unrelated', {});
    root.fields.touched = true;
    await s.put(root);

    const check = repo.session();
    expect(await check.get(msg.id)).toMatchObject({ version: 1 });
    expect(((await check.get(USER)) as NodeAnchor).edgeIds).toHaveLength(1);
    expect(await check.get(unrelated.id)).toBeUndefined();
    await s.commit();
    expect(await repo.session().get(unrelated.id)).toBeDefined();
  });

  it('re-baselines after a write: a later commit sends only what changed since', async () => {
    const s = repo.session({ root: USER });
    const p = s.create('P', { a: 1, b: 1 });
    await s.commit();
    expect(p.version).toBe(1);
    await s.commit(); // nothing staged: nothing written
    expect((await repo.session().get(p.id))?.version).toBe(1);

    const other = repo.session({ root: USER });
    ((await other.get(p.id)) as NodeAnchor).fields.b = 2;
    await other.commit();

    p.fields.a = 5; // only `a` changed since this session's base
    await s.commit();
    expect((await repo.session().get(p.id))?.fields).toEqual({ a: 5, b: 2 });
    expect(p.fields).toEqual({ a: 5, b: 2 });
  });

  it('treats an in-place change inside a field value as a change of that field', async () => {
    const s = repo.session({ root: USER });
    const p = s.create('P', { tags: ['a'], meta: { x: 1 } });
    await s.commit();
    (p.fields.tags as string[]).push('b');
    (p.fields.meta as Record<string, number>).y = 2;
    await s.commit();
    expect((await repo.session().get(p.id))?.fields).toEqual({ tags: ['a', 'b'], meta: { x: 1, y: 2 } });
  });

  it('stores fields named like Object.prototype members (toString, constructor, __proto__) as plain data', async () => {
    const s = repo.session({ root: USER });
    const p = s.create('P', {});
    await s.commit();
    const fields: Record<string, unknown> = p.fields;
    for (const [key, value] of [
      ['toString', 'a'],
      ['constructor', { b: 1 }],
      ['__proto__', [1]],
    ] as const) {
      fields[key] = value;
    }
    await s.commit();
    const stored = await repo.session().get(p.id);
    expect(Object.keys(stored?.fields ?? {}).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(stored?.fields.toString).toBe('a');
    expect(Object.getPrototypeOf(stored?.fields)).toBe(Object.prototype);
  });

  it('drops staged changes on abort', async () => {
    const s = repo.session({ root: USER });
    const p = s.create('P', { a: 1 });
    await s.commit();
    p.fields.a = 2;
    delete p.fields.nothing;
    const q = s.create('Q', {});
    s.connect(p, q);
    s.abort();
    expect(p.fields).toEqual({ a: 1 });
    expect(p.edgeIds).toEqual([]);
    expect(await s.get(q.id)).toBeUndefined();
    await s.commit();
    expect((await repo.session().get(p.id))?.version).toBe(1);
  });

  it('commits on close, then refuses further use', async () => {
    const s = repo.session({ root: USER });
    const p = s.create('P', {});
    await s.close();
    expect(await repo.session().get(p.id)).toBeDefined();
    await expect(s.get(p.id)).rejects.toMatchObject({ code: 'validation' });
    expect(() => s.create('P', {})).toThrow(expect.objectContaining({ code: 'validation' }));
  });

  it('follows edges by direction, node type and edge type', async () => {
    const s = repo.session({ root: USER });
    const a = s.create('A', {});
    const b = s.create('B', {});
    const c = s.create('C', {});
    s.connect(a, b, { type: 'likes' });
    s.connect(c, a, { type: 'follows', fields: { since: 2020 } });
    await s.commit();
    const t = repo.session({ root: USER });
    const ta = (await t.get(a.id)) as NodeAnchor;
    expect((await t.neighbors(ta)).map((n) => n.id)).toEqual([b.id]);
    expect((await t.neighbors(ta, { direction: 'in' })).map((n) => n.id)).toEqual([c.id]);
    expect((await t.neighbors(ta, { direction: 'both' })).map((n) => n.id)).toEqual([b.id, c.id]);
    expect((await t.neighbors(ta, { direction: 'both', type: 'C' })).map((n) => n.id)).toEqual([c.id]);
    expect((await t.neighbors(ta, { direction: 'both', edgeType: 'likes' })).map((n) => n.id)).toEqual([b.id]);
    const edges = await t.edges(ta);
    expect(edges.map((e: EdgeAnchor) => [e.type, e.fields])).toEqual([
      ['likes', {}],
      ['follows', { since: 2020 }],
    ]);
  });

  it('destroys a node with all its edges, even where the other endpoint was never loaded', async () => {
    const s = repo.session({ root: USER });
    const hub = s.create('Hub', {});
    const spokes = Array.from({ length: 5 }, () => s.create('Spoke', {}));
    for (const spoke of spokes) s.connect(hub, spoke);
    await s.commit();
    const t = repo.session({ root: USER });
    t.destroy((await t.get(hub.id)) as NodeAnchor);
    await t.commit();
    const check = repo.session();
    expect(await check.get(hub.id)).toBeUndefined();
    for (const spoke of spokes) expect(((await check.get(spoke.id)) as NodeAnchor).edgeIds).toEqual([]);
  });

  it('deletes two nodes joined by an edge in one attempt, with no conflict', async () => {
    const attempts: number[] = [];
    const watched = await db.repo({ writerId: 'D', observers: [{ onCommit: (e) => attempts.push(e.attempts) }] });
    const s = watched.session({ root: USER });
    const a = s.create('A', {});
    const b = s.create('B', {});
    s.connect(a, b);
    await s.commit();
    const t = watched.session({ root: USER });
    t.destroy((await t.get(a.id)) as NodeAnchor);
    t.destroy((await t.get(b.id)) as NodeAnchor);
    await t.commit();
    expect(attempts).toEqual([1, 1]);
    expect(await watched.session().get(a.id)).toBeUndefined();
    expect(await watched.session().get(b.id)).toBeUndefined();
  });

  it('applies lww and merge-function policies per type and field', async () => {
    const merged = await db.repo({
      writerId: 'M',
      policies: {
        Counter: { n: (base, mine, theirs) => (theirs as number) + (mine as number) - (base as number) },
        Doc: { title: 'lww' },
      },
    });
    const s = merged.session({ root: USER });
    const counter = s.create('Counter', { n: 0 });
    const doc = s.create('Doc', { title: 'x' });
    await s.commit();
    const a = merged.session({ root: USER });
    const b = merged.session({ root: USER });
    const [ca, da] = (await Promise.all([a.get(counter.id), a.get(doc.id)])) as NodeAnchor[];
    const [cb, dbb] = (await Promise.all([b.get(counter.id), b.get(doc.id)])) as NodeAnchor[];
    (ca as NodeAnchor).fields.n = 2;
    (cb as NodeAnchor).fields.n = 3;
    (da as NodeAnchor).fields.title = 'from a';
    (dbb as NodeAnchor).fields.title = 'from b';
    await a.commit();
    await b.commit();
    const check = merged.session();
    expect((await check.get(counter.id))?.fields.n).toBe(5);
    expect((await check.get(doc.id))?.fields.title).toBe('from b');
  });

  it('keeps users apart: another root is unreadable and unwritable; the system root reads all', async () => {
    const alice = repo.session({ root: 'alice' });
    const secret = alice.create('Secret', { pin: 1 });
    alice.connect(await alice.root(), secret);
    await alice.commit();

    const bob = repo.session({ root: 'bob' });
    await expect(bob.get(secret.id)).rejects.toMatchObject({ code: 'access_denied' });
    await expect(bob.get('alice')).rejects.toMatchObject({ code: 'access_denied' });
    expect((await repo.session().get(secret.id))?.fields).toEqual({ pin: 1 });

    const sys = repo.session();
    const pub = sys.create('Public', {});
    await sys.commit();
    const bob2 = repo.session({ root: 'bob' });
    const seen = (await bob2.get(pub.id)) as NodeAnchor;
    expect(seen).toBeDefined();
    expect(() => bob2.connect(seen, seen)).toThrow(expect.objectContaining({ code: 'access_denied' }));
  });

  it('reports attempts, conflicts and commits to observers', async () => {
    const commits: CommitEvent[] = [];
    const conflicts: ConflictEvent[] = [];
    const watched = await db.repo({
      writerId: 'W',
      observers: [
        { onCommit: (e) => commits.push(e), onConflict: (e) => conflicts.push(e) },
        {
          onCommit: () => {
            throw new Error('ignored');
          },
        },
      ],
    });
    const s = watched.session({ root: USER });
    const p = s.create('P', { n: 0 });
    await s.commit();
    const a = watched.session({ root: USER });
    const b = watched.session({ root: USER });
    const pa = (await a.get(p.id)) as NodeAnchor;
    const pb = (await b.get(p.id)) as NodeAnchor;
    pa.fields.n = 1;
    pb.fields.m = 1;
    await a.commit();
    await b.commit();
    expect(commits.map((c) => [c.outcome, c.attempts])).toEqual([
      ['committed', 1],
      ['committed', 1],
      ['committed', 2],
    ]);
    expect(conflicts).toMatchObject([{ anchorId: p.id, kind: 'field', resolution: 'rebased', writers: ['W'] }]);
  });

  it('reports an edge conflict with the edges this commit added at the node and the writers that raced it', async () => {
    const conflicts: ConflictEvent[] = [];
    const watched = await db.repo({ writerId: 'W', observers: [{ onConflict: (e) => conflicts.push(e) }] });
    const s = watched.session({ root: USER });
    const hub = s.create('Hub', {});
    await s.commit();
    const a = watched.session({ root: USER });
    const b = watched.session({ root: USER });
    const ha = (await a.get(hub.id)) as NodeAnchor;
    const hb = (await b.get(hub.id)) as NodeAnchor;
    a.connect(ha, a.create('Leaf', {}));
    const e1 = b.connect(hb, b.create('Leaf', {}));
    const e2 = b.connect(b.create('Leaf', {}), hb);
    await a.commit();
    await b.commit();
    // Sessions of one process share a writer id: the racer is W, as for field conflicts.
    expect(conflicts).toEqual([
      expect.objectContaining({
        anchorId: hub.id,
        type: 'Hub',
        kind: 'edge',
        resolution: 'rebased',
        edges: [e1.id, e2.id],
        writers: ['W'],
      }),
    ]);
    const journal = await watched.storage.readJournal({});
    expect(journal.filter((e) => e.kind === 'edge')).toEqual([
      expect.objectContaining({ anchorId: hub.id, edges: [e1.id, e2.id] }),
    ]);
  });

  it('resolves each write to what it wrote: every row with its new version, and every id deleted', async () => {
    const s = repo.session({ root: USER });
    const root = await s.root();
    const hub = s.create('Hub', {});
    const leaf = s.create('Leaf', {});
    const e1 = s.connect(root, hub);
    const e2 = s.connect(hub, leaf);
    const first = await s.commit();
    expect(new Map([...first.written].map(([id, w]) => [id, w.version]))).toEqual(
      new Map([
        [hub.id, 1],
        [leaf.id, 1],
        [e1.id, 1],
        [e2.id, 1],
        [root.id, root.version],
      ]),
    );
    expect(first.deleted).toEqual([]);
    expect(s.lastWrite).toBe(first);
    expect((await s.commit()).written.size).toBe(0); // nothing staged, nothing written

    // A delete names its cascade, and the node it bumped without loading it.
    const t = repo.session({ root: USER });
    t.destroy((await t.get(leaf.id)) as NodeAnchor);
    const receipt = await t.commit();
    expect([...receipt.deleted].sort()).toEqual([e2.id, leaf.id].sort());
    expect([...receipt.written.keys()]).toEqual([hub.id]);
    expect(receipt.written.get(hub.id)?.version).toBe(2);

    // A transaction's session says what its commit wrote once the transaction resolves.
    let tx: Session | undefined;
    await repo.transaction(
      async (run) => {
        tx = run;
        ((await run.get(hub.id)) as NodeAnchor).fields.n = 1;
      },
      { root: USER },
    );
    expect(tx?.lastWrite?.written.get(hub.id)?.version).toBe(3);
  });
});
