import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { Orm } from '../../src/adapters/orm/index.ts';
import { backends } from '../support/backends.ts';
import { Profile, Project } from '../support/models.ts';
import { useDatabase } from '../support/use-database.ts';

describe.each(backends)('ORM listing on $name', (backend) => {
  const fx = useDatabase(backend);
  let orm: Orm;
  beforeEach(async () => {
    orm = new Orm(fx.repo);
  });

  it("lists a model's instances page by page and one by one, each once, ids ascending, no other model's", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        async (n, m, limit) => {
          const root = `user-${run++}`;
          const s = orm.session({ root });
          const made = Array.from({ length: n }, (_, i) => s.create(Profile, { displayName: `p${i}` }).id);
          for (let i = 0; i < m; i++) s.create(Project, { name: `x${i}` });
          await s.commit();
          const t = orm.session({ root });
          const paged: string[] = [];
          let after: string | undefined;
          do {
            const page = await t.list(Profile, { after, limit });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            paged.push(...page.items.map((p) => p.id));
            after = page.next;
          } while (after !== undefined);
          const each: string[] = [];
          for await (const p of t.each(Profile, { pageSize: limit })) each.push(p.id);
          expect(paged).toEqual([...made].sort());
          expect(each).toEqual(paged);
        },
      ),
      { numRuns: 20 },
    );
  });

  it("does not list another user's instances, and lists typed, validated-on-commit instances", async () => {
    const mine = orm.session({ root: 'me' });
    const p = mine.create(Profile, { displayName: 'mine' });
    await mine.commit();
    const theirs = orm.session({ root: 'them' });
    theirs.create(Profile, { displayName: 'theirs' });
    await theirs.commit();
    const s = orm.session({ root: 'me' });
    const { items, next } = await s.list(Profile);
    expect(items.map((x) => x.fields.displayName)).toEqual(['mine']);
    expect(next).toBeUndefined();
    (items[0] as typeof p).fields.displayName = '';
    await expect(s.commit()).rejects.toMatchObject({ code: 'validation', path: 'fields.displayName' });
  });

  it.each([
    ['a limit of 0', { limit: 0 }, 'options.limit'],
    ['an unknown option', { skip: 1 }, 'options'],
  ])('refuses %s with a ValidationError naming the path', async (_name, options, path) => {
    await expect(orm.session().list(Profile, options as never)).rejects.toMatchObject({ code: 'validation', path });
    await expect(orm.session().each(Profile, { pageSize: 0 }).next()).rejects.toMatchObject({ path: 'options.pageSize' });
  });
});
