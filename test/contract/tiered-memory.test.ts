import { beforeEach, describe, expect, it } from 'vitest';
import { TieredMemory } from '../../src/adapters/tiered/index.ts';
import { type Anchor, type NodeAnchor, SYSTEM_ROOT } from '../../src/index.ts';
import { backends } from '../support/backends.ts';
import { storedState } from '../support/stored-state.ts';
import { useDatabase } from '../support/use-database.ts';

const USER = 'user-1';

describe.each(backends)('the tiered memory on $name', (backend) => {
  const fx = useDatabase(backend);
  /** Stored by set-up: the user's root → profile, another user's secret, a system-owned doc. */
  let profile: NodeAnchor;
  let secret: NodeAnchor;
  let shared: NodeAnchor;

  beforeEach(async () => {
    const mine = new TieredMemory(fx.repo, { root: USER });
    profile = mine.create('Profile', { name: 'ada' });
    mine.connect(await mine.getRoot(), profile);
    await mine.close();
    const theirs = new TieredMemory(fx.repo, { root: 'other' });
    secret = theirs.create('Secret', {});
    await theirs.close();
    const system = new TieredMemory(fx.repo);
    shared = system.create('Doc', {});
    await system.close();
  });

  it('creates the root once and caches what it hands out', async () => {
    const mem = new TieredMemory(fx.repo, { root: 'fresh' });
    expect(mem.isCached('fresh')).toBe(false);
    const root = await mem.getRoot();
    expect(root).toMatchObject({ id: 'fresh', type: 'Root', version: 1 });
    expect(await mem.getRoot()).toBe(root);
    expect(mem.isCached('fresh')).toBe(true);
    expect(await new TieredMemory(fx.repo, { root: 'fresh' }).getRoot()).toMatchObject({ version: 1 });
  });

  it("finds readable anchors in the order asked, skipping absent ids and other roots' anchors", async () => {
    const mem = new TieredMemory(fx.repo, { root: USER });
    const ids = [shared.id, 'absent', secret.id, profile.id, shared.id];
    expect((await mem.find(ids)).map((a) => a.id)).toEqual([shared.id, profile.id]);
    expect((await mem.find(ids, (a) => a.type === 'Profile')).map((a) => a.id)).toEqual([profile.id]);
    expect((await mem.find(profile.id))[0]).toBe(await mem.findById(profile.id));
    expect((await mem.findOne(ids, (a) => a.type === 'Nope'))?.id).toBeUndefined();
    expect((await mem.findOne(ids))?.id).toBe(shared.id);
    expect(await mem.findById('absent')).toBeUndefined();
    await expect(mem.findById(secret.id)).rejects.toMatchObject({ code: 'access_denied' });
  });

  it('says what is cached: loaded, created and traversed anchors, until removed or closed', async () => {
    const mem = new TieredMemory(fx.repo, { root: USER });
    expect(mem.isCached(profile.id)).toBe(false);
    const root = await mem.getRoot();
    const [edge] = await mem.edges(root);
    const [p] = await mem.neighbors(root);
    const made = mem.create('Note', {});
    expect([edge?.id, p?.id, made.id].map((id) => mem.isCached(id as string))).toEqual([true, true, true]);
    await mem.remove(p as NodeAnchor);
    expect(mem.isCached(profile.id)).toBe(false);
    expect(mem.isCached(edge?.id as string)).toBe(false);
    await mem.close();
    expect(mem.isCached(made.id)).toBe(false);
  });

  it('removes by id or anchor, a node with its edges, and skips ids already gone', async () => {
    const mem = new TieredMemory(fx.repo, { root: USER });
    const root = await mem.getRoot();
    const note = mem.create('Note', {});
    const link = mem.connect(root, note);
    await mem.sync();
    await mem.remove([note.id, 'absent', link]);
    await mem.remove(note.id);
    expect(await mem.findById(note.id)).toBeUndefined();
    await mem.sync();
    const check = new TieredMemory(fx.repo, { root: USER });
    expect((await check.neighbors(await check.getRoot())).map((n) => n.id)).toEqual([profile.id]);
    expect(await check.findById(link.id)).toBeUndefined();
  });

  it("refuses a whole remove() that names another root's anchor, staging none of it", async () => {
    const mem = new TieredMemory(fx.repo, { root: USER });
    const before = await storedState(fx.storage);
    await expect(mem.remove([profile.id, shared.id])).rejects.toMatchObject({ code: 'access_denied' });
    await expect(mem.remove([profile.id, secret.id])).rejects.toMatchObject({ code: 'access_denied' });
    await mem.close();
    expect(await storedState(fx.storage)).toBe(before);
  });

  it('tells what this root may read and change, as the repository enforces it', async () => {
    const mem = new TieredMemory(fx.repo, { root: USER });
    const root = await mem.getRoot();
    const cases: Array<[string, boolean]> = [
      [profile.id, true],
      [shared.id, false],
      [USER, true],
    ];
    for (const [id, writable] of cases) {
      expect(await mem.canRead(id)).toBe(true);
      const anchor = (await mem.findById(id)) as NodeAnchor;
      expect(mem.canWrite(anchor)).toBe(writable);
      const connect = () => mem.connect(root, anchor);
      if (writable) expect(connect).not.toThrow();
      else expect(connect).toThrow(expect.objectContaining({ code: 'access_denied' }));
    }
    expect(await mem.canRead(secret.id)).toBe(false);
    expect(await mem.canRead('absent')).toBe(false);
    const system = new TieredMemory(fx.repo);
    expect(system.rootId).toBe(SYSTEM_ROOT);
    expect(system.canWrite((await system.findById(secret.id)) as Anchor)).toBe(true);
  });

  it('commit(anchor) writes that anchor like put(); commit() and sync() write everything', async () => {
    const mem = new TieredMemory(fx.repo, { root: USER });
    const a = mem.create('A', {});
    const b = mem.create('B', {});
    await mem.commit(a);
    const check = () => new TieredMemory(fx.repo, { root: USER });
    expect(await check().findById(a.id)).toBeDefined();
    expect(await check().findById(b.id)).toBeUndefined();
    await mem.commit();
    expect(await check().findById(b.id)).toBeDefined();
    b.fields.n = 1;
    await mem.sync();
    expect((await check().findById(b.id))?.fields).toEqual({ n: 1 });
  });

  it('fails a sync that changed a field another request changed, writing nothing and keeping its changes', async () => {
    const first = new TieredMemory(fx.repo, { root: USER });
    const second = new TieredMemory(fx.repo, { root: USER });
    const p1 = (await first.findById(profile.id)) as NodeAnchor;
    const p2 = (await second.findById(profile.id)) as NodeAnchor;
    p1.fields.name = 'Ada';
    await first.close();
    p2.fields.name = 'Grace';
    const note = second.create('Note', {});
    second.connect(await second.getRoot(), note);
    const before = await storedState(fx.storage);
    await expect(second.sync()).rejects.toMatchObject({ code: 'field_conflict', anchorId: profile.id });
    expect(await storedState(fx.storage)).toBe(before);
    expect(p2.fields.name).toBe('Grace');
    expect(second.isCached(note.id)).toBe(true);
  });

  it('writes on close, then refuses further use', async () => {
    const mem = new TieredMemory(fx.repo, { root: USER });
    const note = mem.create('Note', {});
    await mem.close();
    await mem.close();
    expect(await new TieredMemory(fx.repo, { root: USER }).findById(note.id)).toBeDefined();
    await expect(mem.findById(note.id)).rejects.toMatchObject({ code: 'validation' });
    expect(() => mem.create('Note', {})).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});
