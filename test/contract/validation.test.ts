import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NodeAnchor, openRepository, type Repository } from '../../src/index.ts';
import type { StoragePort } from '../../src/storage/storage-port.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { storedState } from '../support/stored-state.ts';

const USER = 'user-1';

describe.each(backends)('bad input on $name', (backend) => {
  let db: TestDatabase;
  let repo: Repository;
  let storage: StoragePort;
  let stored: NodeAnchor;
  /** Everything stored, as plain JSON — as a session reads it, and every row as stored — to prove a refusal changed nothing. */
  const snapshot = async () => {
    const s = repo.session();
    const root = (await s.get(USER)) as NodeAnchor;
    const nodes = await s.neighbors(root);
    return JSON.stringify({ root, nodes, rows: await storedState(storage) });
  };

  beforeEach(async () => {
    db = await backend.create();
    repo = await db.repo({ writerId: 'A', maxAnchorBytes: 2000 });
    storage = await db.storage();
    const s = repo.session({ root: USER });
    stored = s.create('P', { name: 'ada', list: [1, 2] });
    s.connect(await s.root(), stored);
    await s.commit();
  });
  afterEach(async () => db.cleanup());

  const cycle = () => {
    const o: Record<string, unknown> = {};
    o.self = o;
    return o;
  };
  const refused: Array<[string, () => unknown, string]> = [
    ['a function', () => ({ f: () => 1 }), 'fields.f'],
    ['a BigInt', () => ({ n: 10n }), 'fields.n'],
    ['a symbol', () => ({ s: Symbol('x') }), 'fields.s'],
    ['a cycle', cycle, 'fields.self'],
    ['undefined inside an array', () => ({ a: [1, undefined] }), 'fields.a[1]'],
    ['a non-finite number', () => ({ x: Number.NaN }), 'fields.x'],
    ['Infinity', () => ({ x: Number.POSITIVE_INFINITY }), 'fields.x'],
    ['-Infinity', () => ({ x: Number.NEGATIVE_INFINITY }), 'fields.x'],
    ['Infinity nested in an array', () => ({ xs: [1, { y: Number.POSITIVE_INFINITY }] }), 'fields.xs[1].y'],
    ['a class instance', () => ({ d: new Date() }), 'fields.d'],
    ['an oversized anchor', () => ({ big: 'x'.repeat(5000) }), 'fields'],
  ];

  it.each(refused)('refuses %s at create, naming the path, storing nothing', async (_name, make, path) => {
    const before = await snapshot();
    const s = repo.session({ root: USER });
    expect(() => s.create('P', make() as Record<string, never>)).toThrow(expect.objectContaining({ code: 'validation', path }));
    await s.commit();
    expect(await snapshot()).toBe(before);
  });

  it.each(refused)(
    'refuses %s assigned to a loaded anchor at commit, writing nothing; the session can fix it',
    async (_name, make, path) => {
      const before = await snapshot();
      const s = repo.session({ root: USER });
      const p = (await s.get(stored.id)) as NodeAnchor;
      const extra = s.create('Extra', {});
      s.connect(p, extra);
      const [key, value] = Object.entries(make() as object)[0] as [string, never];
      p.fields[key] = value;
      const err = await s.commit().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'validation' });
      expect((err as { path: string }).path.startsWith(path)).toBe(true);
      // The size refusal names the anchor it measured.
      if (path === 'fields') expect(err).toMatchObject({ context: { anchorId: stored.id } });
      expect(await snapshot()).toBe(before);
      delete p.fields[key];
      await s.commit();
      expect(((await repo.session().get(stored.id)) as NodeAnchor).edgeIds).toHaveLength(2);
    },
  );

  it.each([
    ['an empty id', ''],
    ['a control character', 'a\u0000b'],
    ['a lone surrogate', 'a\ud800'],
    ['a 200-character id', 'x'.repeat(200)],
    ['a number', 42],
  ])('refuses %s as an id, storing nothing', async (_name, id) => {
    const before = await snapshot();
    const s = repo.session({ root: USER });
    await expect(s.get(id as string)).rejects.toMatchObject({ code: 'validation', path: 'id' });
    expect(() => repo.session({ root: id as string })).toThrow(expect.objectContaining({ code: 'validation' }));
    await expect(repo.transaction(() => 1, { root: id as string })).rejects.toMatchObject({ code: 'validation' });
    await s.commit();
    expect(await snapshot()).toBe(before);
  });

  it.each(['', '1abc', 'has space', "'; DROP TABLE anchors; --", 'x'.repeat(200)])('refuses the type name %j', async (type) => {
    const before = await snapshot();
    const s = repo.session({ root: USER });
    expect(() => s.create(type, {})).toThrow(expect.objectContaining({ code: 'validation', path: 'type' }));
    expect(await snapshot()).toBe(before);
  });

  it('stores SQL-looking and unicode strings as plain data', async () => {
    const s = repo.session({ root: USER });
    const tricky = { q: "'); DELETE FROM anchors; --", e: '😀\u202e\u0301', k: { 'a.b': 1, __proto__x: 2 } };
    const p = s.create('P', tricky);
    await s.commit();
    expect((await repo.session().get(p.id))?.fields).toEqual(tricky);
  });

  it('refuses anchors of another session, wrong kinds and bad options', async () => {
    const before = await snapshot();
    const a = repo.session({ root: USER });
    const b = repo.session({ root: USER });
    const pa = (await a.get(stored.id)) as NodeAnchor;
    const pb = (await b.get(stored.id)) as NodeAnchor;
    expect(() => a.connect(pa, pb)).toThrow(expect.objectContaining({ code: 'validation', path: 'target' }));
    const e = a.connect(pa, pa);
    expect(() => a.connect(pa, e as unknown as NodeAnchor)).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(() => a.connect(pa, pa, { colour: 'red' } as never)).toThrow(expect.objectContaining({ code: 'validation' }));
    await expect(a.neighbors(pa, { direction: 'up' as never })).rejects.toMatchObject({ code: 'validation' });
    expect(() => repo.session({ mode: 'eventual' as never })).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(() => repo.session({ root: USER, colour: 'red' } as never)).toThrow(expect.objectContaining({ code: 'validation' }));
    let ran = false;
    const fn = (tx: ReturnType<Repository['session']>) => {
      ran = true;
      tx.create('P', {});
    };
    await expect(repo.transaction(fn, { mode: 'eventual' as never })).rejects.toMatchObject({ code: 'validation' });
    expect(ran).toBe(false);
    expect(await snapshot()).toBe(before);
    // The refused calls staged nothing: committing the session writes its one valid edge, and only that.
    await a.commit();
    const after = repo.session();
    expect(((await after.get(stored.id)) as NodeAnchor).edgeIds).toEqual([...pa.edgeIds]);
    expect(pa.edgeIds).toHaveLength(2);
    expect(pa.edgeIds.at(-1)).toBe(e.id);
    expect((await after.list('P')).anchors.map((x) => x.id)).toEqual([stored.id]);
  });

  it('refuses bad repository options before touching any database', async () => {
    const before = await snapshot();
    // On this database's own storage and url: refused before anything is read or written.
    for (const bad of [
      { retry: { retries: -1 } },
      { retry: { maxDelayMs: Number.POSITIVE_INFINITY } },
      { writerId: 'bad id' },
      { durability: 'sometimes' },
      { maxAnchorBytes: 0 },
      { colour: 'red' },
    ]) {
      await expect(openRepository({ storage, ...bad } as never), JSON.stringify(bad)).rejects.toMatchObject({
        code: 'validation',
      });
      await expect(db.repo(bad as never), JSON.stringify(bad)).rejects.toMatchObject({ code: 'validation' });
    }
    expect(await snapshot()).toBe(before);
    await expect(openRepository({ url: 'mysql://x' })).rejects.toMatchObject({ code: 'validation', path: 'options.url' });
    await expect(openRepository({ url: 'memory:', retry: { retries: -1 } })).rejects.toMatchObject({ code: 'validation' });
    await expect(openRepository({ url: 'memory:', writerId: 'bad id' })).rejects.toMatchObject({ code: 'validation' });
    await expect(openRepository({ url: 'memory:', durability: 'sometimes' as never })).rejects.toMatchObject({
      code: 'validation',
    });
    await expect(openRepository({} as never)).rejects.toMatchObject({ code: 'validation' });
  });
});
