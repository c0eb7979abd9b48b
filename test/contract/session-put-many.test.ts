import { describe, expect, it } from 'vitest';
import type { NodeAnchor } from '../../src/index.ts';
import { backends } from '../support/backends.ts';
import { storedState } from '../support/stored-state.ts';
import { useDatabase } from '../support/use-database.ts';

const USER = 'user-1';

describe.each(backends)('Session.putMany on $name', (backend) => {
  const fx = useDatabase(backend);

  it('writes several anchors with their new edges and endpoints in one write, leaving the rest staged', async () => {
    let commits = 0;
    const watched = await fx.db.repo({ writerId: 'W', observers: [{ onCommit: () => commits++ }] });
    const s = watched.session({ root: USER });
    const root = await s.root();
    const a = s.create('A', {});
    const b = s.create('B', {});
    const child = s.create('Child', {});
    s.connect(a, child);
    const unrelated = s.create('Unrelated', {});
    root.fields.seen = true;
    await s.putMany([root, a, b]);
    expect(commits).toBe(1);
    const check = fx.repo.session();
    expect((await check.get(USER))?.fields).toEqual({ seen: true });
    expect(((await check.get(a.id)) as NodeAnchor).edgeIds).toHaveLength(1);
    expect(await check.get(child.id)).toBeDefined();
    expect(await check.get(b.id)).toBeDefined();
    expect(await check.get(unrelated.id)).toBeUndefined();
  });

  it('merges onto concurrent writes: a stale putMany keeps the edge another session committed', async () => {
    const s = fx.repo.session({ root: USER });
    const stale = await s.root();
    const other = fx.repo.session({ root: USER });
    other.connect(await other.root(), other.create('Project', {}));
    await other.commit();
    const msg = s.create('Message', {});
    s.connect(stale, msg);
    stale.fields.touched = 1;
    await s.putMany([stale, msg]);
    const root = (await fx.repo.session().get(USER)) as NodeAnchor;
    expect(root.edgeIds).toHaveLength(2);
    expect(root.fields).toEqual({ touched: 1 });
  });

  it('writes nothing when one anchor of the batch holds a refused value', async () => {
    const s = fx.repo.session({ root: USER });
    const p = s.create('P', { n: 1 });
    await s.commit();
    const before = await storedState(fx.storage);
    const q = s.create('Q', {});
    p.fields.bad = new Date() as never;
    await expect(s.putMany([q, p])).rejects.toMatchObject({ code: 'validation', path: 'fields.bad' });
    expect(await storedState(fx.storage)).toBe(before);
    delete p.fields.bad;
    await s.putMany([q, p]);
    expect(await fx.repo.session().get(q.id)).toBeDefined();
  });

  it.each([
    ['a non-array', () => 'x', 'anchors'],
    ['an anchor of another session', (other: NodeAnchor) => [other], 'anchors[0]'],
    ['a plain object in second place', (_: NodeAnchor, own: NodeAnchor) => [own, { id: own.id, kind: 'node' }], 'anchors[1]'],
  ])('refuses %s with a ValidationError naming the path, writing nothing', async (_name, make, path) => {
    const elsewhere = fx.repo.session({ root: USER }).create('P', {});
    const s = fx.repo.session({ root: USER });
    const own = s.create('P', {});
    const before = await storedState(fx.storage);
    await expect(s.putMany(make(elsewhere, own) as never)).rejects.toMatchObject({ code: 'validation', path });
    expect(await storedState(fx.storage)).toBe(before);
  });

  it('writes nothing for an empty batch', async () => {
    const s = fx.repo.session({ root: USER });
    s.create('P', {});
    const before = await storedState(fx.storage);
    await s.putMany([]);
    expect(await storedState(fx.storage)).toBe(before);
  });
});
