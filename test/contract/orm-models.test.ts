import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineModel, Orm } from '../../src/adapters/orm/index.ts';
import { backends } from '../support/backends.ts';
import { Profile, Project } from '../support/models.ts';
import { storedState } from '../support/stored-state.ts';
import { useDatabase } from '../support/use-database.ts';

const USER = 'user-1';

describe.each(backends)('ORM models on $name', (backend) => {
  const fx = useDatabase(backend);
  let orm: Orm;
  beforeEach(async () => {
    orm = new Orm(fx.repo);
  });

  it('creates an instance with the schema applied (defaults filled) and reads it back typed', async () => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada' });
    expect(p.fields).toEqual({ displayName: 'Ada', tags: [] });
    await s.commit();
    const again = await orm.session({ root: USER }).getOrThrow(Profile, p.id);
    const name: string = again.fields.displayName;
    expect([name, again.type, again.version]).toEqual(['Ada', 'Profile', 1]);
  });

  it.each([
    ['a missing field', {}, 'fields.displayName'],
    ['a wrong type', { displayName: 7 }, 'fields.displayName'],
    ['a bad array item', { displayName: 'a', tags: ['x', 3] }, 'fields.tags[1]'],
    ['a negative age', { displayName: 'a', age: -1 }, 'fields.age'],
  ])('refuses %s at create, naming the path and storing nothing', async (_name, data, path) => {
    const before = await storedState(fx.storage);
    const s = orm.session({ root: USER });
    expect(() => s.create(Profile, data as never)).toThrow(expect.objectContaining({ code: 'validation', path }));
    await s.commit();
    expect(await storedState(fx.storage)).toBe(before);
  });

  it('refuses at commit an instance mutated into an invalid one, writing nothing of the commit; fixed, it commits', async () => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada' });
    await s.commit();
    const before = await storedState(fx.storage);
    const project = s.create(Project, { name: 'x' });
    p.fields.tags.push(5 as never);
    (project.fields as Record<string, unknown>).extra = 1;
    await expect(s.commit()).rejects.toMatchObject({ code: 'validation', path: 'fields.tags[0]' });
    expect(await storedState(fx.storage)).toBe(before);
    p.fields.tags.pop();
    await expect(s.commit()).rejects.toMatchObject({ code: 'validation', path: 'fields' });
    delete (project.fields as Record<string, unknown>).extra;
    await s.close();
    expect(await orm.session({ root: USER }).get(Project, project.id)).toBeDefined();
  });

  it('updates only the patched fields, so concurrent updates of different fields both survive', async () => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada', tags: ['a'] });
    await s.commit();
    const a = orm.session({ root: USER });
    const b = orm.session({ root: USER });
    a.update(await a.getOrThrow(Profile, p.id), { displayName: 'Ada L.' });
    b.update(await b.getOrThrow(Profile, p.id), { age: 36 });
    await a.commit();
    await b.commit();
    expect((await orm.session({ root: USER }).getOrThrow(Profile, p.id)).fields).toEqual({
      displayName: 'Ada L.',
      tags: ['a'],
      age: 36,
    });
  });

  it('refuses an update whose result breaks the schema, changing nothing; undefined unsets a field', async () => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada', age: 3 });
    expect(() => s.update(p, { displayName: '', age: 4 })).toThrow(expect.objectContaining({ path: 'fields.displayName' }));
    expect(p.fields).toEqual({ displayName: 'Ada', tags: [], age: 3 });
    s.update(p, { age: undefined });
    expect(p.fields).toEqual({ displayName: 'Ada', tags: [] });
    const Dated = defineModel('Dated', z.object({ at: z.date().optional() }));
    const d = s.create(Dated, {});
    expect(() => s.update(d, { at: new Date() })).toThrow(expect.objectContaining({ code: 'validation', path: 'fields.at' }));
    expect(() => s.update({ ...p }, {})).toThrow(expect.objectContaining({ code: 'validation', path: 'instance' }));
  });

  it('fails the later of two updates of the same field with field_conflict, writing nothing of it', async () => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada' });
    await s.commit();
    const a = orm.session({ root: USER });
    const b = orm.session({ root: USER });
    a.update(await a.getOrThrow(Profile, p.id), { displayName: 'A' });
    b.update(await b.getOrThrow(Profile, p.id), { displayName: 'B' });
    await a.commit();
    const before = await storedState(fx.storage);
    await expect(b.commit()).rejects.toMatchObject({ code: 'field_conflict' });
    expect(await storedState(fx.storage)).toBe(before);
  });

  it("gets only the model's own instances: another model's id or an absent id is undefined, or NotFoundError", async () => {
    const s = orm.session({ root: USER });
    const project = s.create(Project, { name: 'x' });
    await s.commit();
    const t = orm.session({ root: USER });
    expect(await t.get(Profile, project.id)).toBeUndefined();
    expect(await t.get(Profile, 'absent')).toBeUndefined();
    await expect(t.getOrThrow(Profile, project.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await t.get(Project, project.id)).toBe(await t.get(Project, project.id));
  });

  it('deletes an instance', async () => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada' });
    await s.commit();
    const t = orm.session({ root: USER });
    t.delete(await t.getOrThrow(Profile, p.id));
    await t.close();
    expect(await orm.session({ root: USER }).get(Profile, p.id)).toBeUndefined();
  });

  it('lets stored data that a newer schema refuses be read and left alone, but not changed while invalid', async () => {
    const raw = fx.repo.session({ root: USER });
    const legacy = raw.create('Profile', { displayName: '' });
    await raw.commit();
    const s = orm.session({ root: USER });
    const old = await s.getOrThrow(Profile, legacy.id);
    const fresh = s.create(Project, { name: 'new' });
    await s.commit();
    expect(await orm.session({ root: USER }).get(Project, fresh.id)).toBeDefined();
    old.fields.age = 1;
    await expect(s.commit()).rejects.toMatchObject({ code: 'validation', path: 'fields.displayName' });
    s.update(old, { displayName: 'Fixed' });
    await s.commit();
    expect((await orm.session({ root: USER }).getOrThrow(Profile, legacy.id)).fields).toEqual({ displayName: 'Fixed', age: 1 });
  });

  it('drops staged instances on abort', async () => {
    const s = orm.session({ root: USER });
    const p = s.create(Profile, { displayName: 'Ada' });
    p.fields.displayName = '';
    s.abort();
    await s.commit();
    expect(await orm.session({ root: USER }).get(Profile, p.id)).toBeUndefined();
  });

  it.each([
    ['a model name that is not an identifier', () => defineModel('no space', z.object({})), 'name'],
    ['a schema that is not an object schema', () => defineModel('M', z.string() as never), 'schema'],
    ['a model that is not one', () => new Orm(fx.repo).session().create({ name: 'P' } as never, {} as never), 'model'],
    ['something that is not a repository', () => new Orm({} as never), 'repo'],
  ])('refuses %s with a ValidationError', (_name, call, path) => {
    expect(call).toThrow(expect.objectContaining({ code: 'validation', path }));
  });
});
