import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeAnchor, Session } from '../../src/index.ts';
import { backends } from '../support/backends.ts';
import { useDatabase } from '../support/use-database.ts';

const USER = 'user-1';

async function listAll(s: Session, type: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await s.list(type, { after, limit });
    expect(page.anchors.length).toBeLessThanOrEqual(limit);
    ids.push(...page.anchors.map((a) => a.id));
    after = page.next;
  } while (after !== undefined);
  return ids;
}

describe.each(backends)('Session.list on $name', (backend) => {
  const fx = useDatabase(backend);

  it('lists every stored anchor of one type once, ids ascending, page by page', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        async (n, others, limit) => {
          const s = fx.repo.session({ root: USER });
          const type = `T${run++}`;
          const made = Array.from({ length: n }, (_, i) => s.create(type, { i }).id);
          for (let i = 0; i < others; i++) s.create(`${type}x`, {});
          await s.commit();
          expect(await listAll(fx.repo.session({ root: USER }), type, limit)).toEqual([...made].sort());
        },
      ),
      { numRuns: 25 },
    );
  });

  it("shows a user its own and the system root's anchors, never another root's, and pages past them", async () => {
    const mine: string[] = [];
    for (const [root, keep] of [
      [USER, true],
      ['other', false],
      [undefined, true],
    ] as const) {
      const s = fx.repo.session(root ? { root } : {});
      for (let i = 0; i < 4; i++) {
        const id = s.create('Doc', { root: root ?? 'system' }).id;
        if (keep) mine.push(id);
      }
      await s.commit();
    }
    expect(await listAll(fx.repo.session({ root: USER }), 'Doc', 2)).toEqual([...mine].sort());
    expect(await listAll(fx.repo.session(), 'Doc', 3)).toHaveLength(12);
  });

  it('returns loaded anchors as the same objects, hides staged deletions and lists creations once committed', async () => {
    const s = fx.repo.session({ root: USER });
    const a = s.create('Doc', { n: 1 });
    const b = s.create('Doc', { n: 2 });
    await s.commit();
    const t = fx.repo.session({ root: USER });
    const loaded = (await t.get(a.id)) as NodeAnchor;
    loaded.fields.n = 10;
    t.destroy((await t.get(b.id)) as NodeAnchor);
    const fresh = t.create('Doc', { n: 3 });
    const page = await t.list('Doc');
    expect(page.anchors).toEqual([loaded]);
    expect(page.anchors[0]).toBe(loaded);
    expect(page.anchors[0]?.fields.n).toBe(10);
    await t.commit();
    expect((await fx.repo.session({ root: USER }).list('Doc')).anchors.map((x) => x.id)).toEqual([a.id, fresh.id].sort());
  });

  it('makes a serializable commit fail with read_conflict when a listed anchor changed since', async () => {
    const s = fx.repo.session({ root: USER });
    const doc = s.create('Doc', { n: 0 });
    await s.commit();
    const reader = fx.repo.session({ root: USER, mode: 'serializable' });
    await reader.list('Doc');
    reader.create('Summary', {});
    const writer = fx.repo.session({ root: USER });
    ((await writer.get(doc.id)) as NodeAnchor).fields.n = 1;
    await writer.commit();
    await expect(reader.commit()).rejects.toMatchObject({ code: 'read_conflict' });
    expect((await fx.repo.session().list('Summary')).anchors).toEqual([]);
  });

  it.each([
    ['a type that is not an identifier', () => ['no spaces'], 'type'],
    ['a limit of 0', () => ['Doc', { limit: 0 }], 'options.limit'],
    ['a limit over 1000', () => ['Doc', { limit: 1001 }], 'options.limit'],
    ['a fractional limit', () => ['Doc', { limit: 1.5 }], 'options.limit'],
    ['an empty after', () => ['Doc', { after: '' }], 'options.after'],
    ['an unknown option', () => ['Doc', { offset: 3 }], 'options'],
  ])('refuses %s with a ValidationError naming the path', async (_name, args, path) => {
    const s = fx.repo.session({ root: USER });
    const [type, options] = args() as [string, object];
    await expect(s.list(type, options)).rejects.toMatchObject({ code: 'validation', path });
  });
});
