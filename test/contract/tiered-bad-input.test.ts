import { beforeEach, describe, expect, it } from 'vitest';
import { TieredMemory } from '../../src/adapters/tiered/index.ts';
import type { NodeAnchor } from '../../src/index.ts';
import { backends } from '../support/backends.ts';
import { storedState } from '../support/stored-state.ts';
import { useDatabase } from '../support/use-database.ts';

const USER = 'user-1';

describe.each(backends)('bad input to the tiered memory on $name', (backend) => {
  const fx = useDatabase(backend);
  let mem: TieredMemory;
  /** A profile loaded by `mem`, with a staged change that a refused call must not write. */
  let profile: NodeAnchor;
  /** The same profile as another memory holds it. */
  let foreign: NodeAnchor;

  beforeEach(async () => {
    const setup = new TieredMemory(fx.repo, { root: USER });
    const p = setup.create('Profile', { name: 'ada' });
    setup.connect(await setup.getRoot(), p);
    await setup.close();
    mem = new TieredMemory(fx.repo, { root: USER });
    profile = (await mem.findById(p.id)) as NodeAnchor;
    profile.fields.name = 'staged';
    const other = new TieredMemory(fx.repo, { root: USER });
    foreign = (await other.findById(p.id)) as NodeAnchor;
  });

  it.each([
    ['no repository', () => new TieredMemory({} as never), 'repo'],
    ['an empty root', () => new TieredMemory(fx.repo, { root: '' }), 'options.root'],
    ['an unknown option', () => new TieredMemory(fx.repo, { rot: USER } as never), 'options'],
    ['an empty id to isCached', () => mem.isCached(''), 'id'],
    ['a bad type to create', () => mem.create('has space', {}), 'type'],
    ['a function field to create', () => mem.create('P', { f: (() => 1) as never }), 'fields.f'],
  ])('refuses %s synchronously with a ValidationError naming the path', async (_name, call, path) => {
    const before = await storedState(fx.storage);
    expect(call).toThrow(expect.objectContaining({ code: 'validation', path }));
    expect(await storedState(fx.storage)).toBe(before);
  });

  it.each([
    ['a number as ids', () => mem.find(42 as never), 'ids'],
    ['an empty id among ids', () => mem.find([profile.id, '']), 'ids.1'],
    ['a filter that is not a function', () => mem.find(profile.id, 'x' as never), 'filter'],
    ['a control character to findById', () => mem.findById('a\u0000'), 'id'],
    ['an object that is not an anchor to remove', () => mem.remove({} as never), 'targets'],
    ["another memory's anchor to remove", () => mem.remove([profile.id, foreign]), 'targets[1]'],
    ["another memory's anchor to put", () => mem.put(foreign), 'anchor'],
    ["another memory's anchor to commit(anchor)", () => mem.commit(foreign), 'anchor'],
    ['a non-array to putMany', () => mem.putMany(profile as never), 'anchors'],
    ["another memory's anchor inside putMany", () => mem.putMany([profile, foreign]), 'anchors[1]'],
  ])('refuses %s with a ValidationError naming the path, writing nothing', async (_name, call, path) => {
    const before = await storedState(fx.storage);
    await expect(call()).rejects.toMatchObject({ code: 'validation', path });
    expect(await storedState(fx.storage)).toBe(before);
    expect(await mem.findById(profile.id)).toBe(profile);
    await mem.sync();
    expect((await new TieredMemory(fx.repo, { root: USER }).findById(profile.id))?.fields).toEqual({ name: 'staged' });
  });
});
