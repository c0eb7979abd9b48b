import { beforeEach, describe, expect, it } from 'vitest';
import { Orm } from '../../src/adapters/orm/index.ts';
import { backends } from '../support/backends.ts';
import { hasProfile, owns, Profile, Project, Root } from '../support/models.ts';
import { storedState } from '../support/stored-state.ts';
import { useDatabase } from '../support/use-database.ts';

const USER = 'user-1';

describe.each(backends)('ORM relations and transactions on $name', (backend) => {
  const fx = useDatabase(backend);
  let orm: Orm;
  beforeEach(async () => {
    orm = new Orm(fx.repo);
  });

  /** The seed's "me" walker: the user's profile, found from the root or created, in one serializable transaction. */
  const me = (repoOrm: Orm) =>
    repoOrm.transaction(
      async (tx) => {
        const root = await tx.root(Root);
        const [found] = await tx.targets(hasProfile, root);
        if (found) return found.id;
        const created = tx.create(Profile, { displayName: 'new' });
        tx.link(hasProfile, root, created);
        return created.id;
      },
      { root: USER, mode: 'serializable' },
    );

  /** Commits a profile, projects `a` and `b`, and the given `owns` links from the profile. */
  const ownership = async (links: Array<['a' | 'b', 'owner' | 'editor']>) => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada' });
    const projects = { a: s.create(Project, { name: 'a' }), b: s.create(Project, { name: 'b' }) };
    for (const [to, role] of links) s.link(owns, p, projects[to], { role });
    await s.commit();
    return { p, ...projects };
  };

  it('links typed instances and reads them both ways, with typed edge fields', async () => {
    const { p, b } = await ownership([
      ['a', 'owner'],
      ['b', 'editor'],
    ]);
    const t = orm.session({ root: USER });
    const tp = await t.getOrThrow(Profile, p.id);
    expect((await t.targets(owns, tp)).map((x) => x.fields.name)).toEqual(['a', 'b']);
    expect((await t.sources(owns, await t.getOrThrow(Project, b.id))).map((x) => x.id)).toEqual([p.id]);
    const roles: string[] = (await t.links(owns, tp)).map((l) => l.fields.role);
    expect(roles).toEqual(['owner', 'editor']);
  });

  it('refuses bad edge fields and endpoints of the wrong model, naming the path', () => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada' });
    const a = s.create(Project, { name: 'a' });
    expect(() => s.link(owns, p, a, { role: 'boss' as never })).toThrow(expect.objectContaining({ path: 'fields.role' }));
    expect(() => s.link(owns, a as never, p as never, { role: 'owner' })).toThrow(expect.objectContaining({ path: 'source' }));
    expect(() => s.link(owns, p, p as never, { role: 'owner' })).toThrow(expect.objectContaining({ path: 'target' }));
    expect(() => s.link({} as never, p as never, a as never)).toThrow(expect.objectContaining({ path: 'relation' }));
  });

  it('refuses at commit a link whose fields were mutated into invalid ones, writing nothing', async () => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada' });
    const a = s.create(Project, { name: 'a' });
    const link = s.link(owns, p, a, { role: 'owner' });
    (link.fields as Record<string, unknown>).role = 'boss';
    const before = await storedState(fx.storage);
    await expect(s.commit()).rejects.toMatchObject({ code: 'validation', path: 'fields.role' });
    expect(await storedState(fx.storage)).toBe(before);
  });

  it('unlinks every link between two instances and keeps the instances', async () => {
    const { p, a, b } = await ownership([
      ['a', 'owner'],
      ['a', 'editor'],
      ['b', 'owner'],
    ]);
    const t = orm.session({ root: USER });
    const [tp, ta] = [await t.getOrThrow(Profile, p.id), await t.getOrThrow(Project, a.id)];
    expect(await t.unlink(owns, tp, ta)).toBe(2);
    await t.commit();
    const u = orm.session({ root: USER });
    expect((await u.targets(owns, await u.getOrThrow(Profile, p.id))).map((x) => x.id)).toEqual([b.id]);
    expect(await u.get(Project, a.id)).toBeDefined();
  });

  it('keeps both links when two sessions link projects to one profile concurrently', async () => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada' });
    await s.commit();
    const sessions = [orm.session({ root: USER }), orm.session({ root: USER })];
    const loaded = await Promise.all(sessions.map((x) => x.getOrThrow(Profile, p.id)));
    sessions.forEach((x, i) => {
      x.link(owns, loaded[i] as typeof p, x.create(Project, { name: `p${i}` }), { role: 'owner' });
    });
    await Promise.all(sessions.map((x) => x.commit()));
    const check = orm.session({ root: USER });
    expect((await check.targets(owns, await check.getOrThrow(Profile, p.id))).map((x) => x.fields.name).sort()).toEqual([
      'p0',
      'p1',
    ]);
  });

  it('deletes an instance with its links', async () => {
    const { p, a } = await ownership([['a', 'owner']]);
    const t = orm.session({ root: USER });
    t.delete(await t.getOrThrow(Project, a.id));
    await t.commit();
    const u = orm.session({ root: USER });
    expect(await u.targets(owns, await u.getOrThrow(Profile, p.id))).toEqual([]);
  });

  it('makes one profile when many requests find-or-create it at once, as the seed needed', async () => {
    const other = new Orm(await fx.db.repo({ writerId: 'B' }));
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => me(i % 2 ? other : orm)));
    expect(new Set(ids).size).toBe(1);
    const s = orm.session({ root: USER });
    expect(await s.targets(hasProfile, await s.root(Root))).toHaveLength(1);
    expect((await s.list(Profile)).items).toHaveLength(1);
  });

  it('aborts a transaction on a ValidationError without replaying it, writing nothing', async () => {
    let runs = 0;
    const before = await storedState(fx.storage);
    const failing = orm.transaction(
      (tx) => {
        runs++;
        const p = tx.create(Profile, { displayName: 'Ada' });
        p.fields.displayName = '';
        return p.id;
      },
      { root: USER },
    );
    await expect(failing).rejects.toMatchObject({ code: 'validation', path: 'fields.displayName' });
    expect(runs).toBe(1);
    expect(await storedState(fx.storage)).toBe(before);
    await expect(orm.transaction('nope' as never)).rejects.toMatchObject({ code: 'validation', path: 'fn' });
  });

  it('refuses a model that is not the root type for root()', async () => {
    await expect(orm.session({ root: USER }).root(Profile)).rejects.toMatchObject({ code: 'validation', path: 'model' });
  });
});
