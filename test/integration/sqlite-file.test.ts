import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { type NodeAnchor, openRepository } from '../../src/index.ts';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/open-sqlite.ts';
import { useTempDir } from '../support/use-temp-dir.ts';

describe('a SQLite database file', () => {
  const tmp = useTempDir();

  it('migrates a database made by an older anchorage, keeping its data', async () => {
    // Build the first schema only, as the first release would have.
    const old = join(tmp.dir, 'old-migrations');
    mkdirSync(join(old, 'meta'), { recursive: true });
    const journal = JSON.parse(readFileSync(join(SQLITE_MIGRATIONS, 'meta/_journal.json'), 'utf8'));
    const first = journal.entries[0];
    cpSync(join(SQLITE_MIGRATIONS, `${first.tag}.sql`), join(old, `${first.tag}.sql`));
    writeFileSync(join(old, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: [first] }));
    const raw = new Database(tmp.path);
    migrate(drizzle(raw), { migrationsFolder: old });
    raw
      .prepare(
        "INSERT INTO anchors (id, kind, type, root, fields, version, vv) VALUES ('n1', 'node', 'Old', 'n1', '{\"a\":1}', 1, '{\"w\":1}')",
      )
      .run();
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'conflict_journal'").get()).toEqual({ n: 0 });
    raw.close();

    const repo = await openRepository({ url: `sqlite:${tmp.path}` });
    expect((await repo.session().get('n1'))?.fields).toEqual({ a: 1 });
    await repo.close();
    const after = new Database(tmp.path);
    expect(after.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'conflict_journal'").get()).toEqual({ n: 1 });
    after.close();
  });

  it('refuses a database migrated by a newer anchorage, and leaves it alone', async () => {
    const repo = await openRepository({ url: `sqlite:${tmp.path}` });
    const s = repo.session();
    const n = s.create('N', { kept: true });
    await s.commit();
    await repo.close();
    const raw = new Database(tmp.path);
    raw.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', 99999999999999)").run();
    raw.close();

    await expect(openRepository({ url: `sqlite:${tmp.path}` })).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('newer anchorage'),
    });
    const check = new Database(tmp.path);
    expect(check.prepare('SELECT fields FROM anchors WHERE id = ?').get(n.id)).toEqual({ fields: '{"kept":true}' });
    check.close();
  });

  it.each([
    ['full', 2],
    ['normal', 1],
  ] as const)('sets synchronous for durability %s, in WAL mode', async (durability, level) => {
    const repo = await openRepository({ url: `sqlite:${tmp.path}`, durability });
    const raw = new Database(tmp.path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    // synchronous is per connection: read it from the repository's own.
    const storage = repo.storage as unknown as { database: Database.Database };
    expect(storage.database.pragma('synchronous', { simple: true })).toBe(level);
    await repo.close();
  });

  it('defaults to durability full: synchronous = 2 (FULL) when no durability is given', async () => {
    const repo = await openRepository({ url: `sqlite:${tmp.path}` });
    const storage = repo.storage as unknown as { database: Database.Database };
    expect(storage.database.pragma('synchronous', { simple: true })).toBe(2);
    await repo.close();
  });

  it('names a corrupt row in a typed error and still serves the other anchors', async () => {
    const repo = await openRepository({ url: `sqlite:${tmp.path}` });
    const s = repo.session();
    const good = s.create('N', { ok: 1 });
    const bad = s.create('N', { ok: 2 });
    await s.commit();
    const raw = new Database(tmp.path);
    raw.prepare("UPDATE anchors SET fields = '{not json' WHERE id = ?").run(bad.id);
    raw.close();

    await expect(repo.session().get(bad.id)).rejects.toMatchObject({ code: 'storage', context: { anchorId: bad.id } });
    expect((await repo.session().get(good.id))?.fields).toEqual({ ok: 1 });
    await repo.close();
  });

  it('opens the same file from several repositories and sees one graph', async () => {
    const a = await openRepository({ url: `sqlite:${tmp.path}`, writerId: 'a' });
    const b = await openRepository({ url: `sqlite:${tmp.path}`, writerId: 'b' });
    const sa = a.session({ root: 'u' });
    const p = sa.create('P', {});
    sa.connect(await sa.root(), p);
    await sa.commit();
    const root = (await b.session({ root: 'u' }).root()) as NodeAnchor;
    expect(root.edgeIds).toHaveLength(1);
    expect(root.versionVector).toEqual({ a: 2 });
    await a.close();
    await b.close();
  });
});

describe('a SQLite in-memory database (sqlite::memory:)', () => {
  it('creates, commits and reads back through a new session, end to end, without a file', async () => {
    const repo = await openRepository({ url: 'sqlite::memory:', writerId: 'm' });
    expect(repo.backend).toBe('sqlite');
    const raw = (repo.storage as unknown as { database: Database.Database }).database;
    expect(raw.memory).toBe(true);

    const s = repo.session({ root: 'user-1' });
    const root = await s.root();
    const p = s.create('Profile', { name: 'ada', tags: ['x'] });
    const e = s.connect(root, p, { type: 'hasProfile', fields: { since: 1 } });
    await s.commit();
    p.fields.name = 'Ada';
    await s.close();

    const again = repo.session({ root: 'user-1' });
    const r = (await again.root()) as NodeAnchor;
    expect(r.edgeIds).toEqual([e.id]);
    expect(r.versionVector).toEqual({ m: 2 });
    expect(await again.get(e.id)).toMatchObject({
      kind: 'edge',
      type: 'hasProfile',
      source: 'user-1',
      target: p.id,
      fields: { since: 1 },
    });
    const [profile] = await again.neighbors(r, { type: 'Profile' });
    expect(profile).toMatchObject({ id: p.id, fields: { name: 'Ada', tags: ['x'] }, version: 2, edgeIds: [e.id] });
    expect((await again.list('Profile')).anchors.map((a) => a.id)).toEqual([p.id]);
    await repo.close();

    // Each sqlite::memory: repository is a database of its own.
    const other = await openRepository({ url: 'sqlite::memory:' });
    expect(await other.session().get(p.id)).toBeUndefined();
    await other.close();
  });
});
