import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/index.ts';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres/open-postgres.ts';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.ts';
import { createScratchSchema, PG_URL, type ScratchSchema } from '../support/postgres-database.ts';

const migrationCount = (JSON.parse(readFileSync(`${POSTGRES_MIGRATIONS}/meta/_journal.json`, 'utf8')) as { entries: unknown[] })
  .entries.length;

describe.skipIf(!PG_URL)('a PostgreSQL schema', () => {
  let scratch: ScratchSchema;
  let admin: pg.Pool;
  beforeEach(async () => {
    scratch = await createScratchSchema();
    admin = new pg.Pool({ connectionString: scratch.url, max: 2 });
  });
  afterEach(async () => {
    await admin.end();
    await scratch.drop();
  });

  const appliedMigrations = async () => (await admin.query('SELECT count(*)::int AS n FROM __drizzle_migrations')).rows[0].n;

  it('is migrated once when several servers open it at the same moment', async () => {
    const opened = await Promise.all(Array.from({ length: 6 }, () => PostgresStorage.open({ url: scratch.url, poolSize: 2 })));
    expect(await appliedMigrations()).toBe(migrationCount);
    const tables = await admin.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_\\_%' ORDER BY 1",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(['anchors', 'commit_stats', 'commits', 'conflict_journal', 'edge_refs']);
    // Every one of them works on the same tables.
    for (const [i, s] of opened.entries()) await s.ensureRoot(`root-${i}`, 'w');
    expect((await opened[0]?.scan({ type: 'Root', limit: 10 }))?.map((r) => r.id)).toHaveLength(6);
    for (const s of opened) await s.close();
  });

  it('refuses a schema migrated by a newer anchorage, and leaves it alone', async () => {
    const repo = await openRepository({ url: scratch.url });
    const s = repo.session();
    const n = s.create('N', { kept: true });
    await s.commit();
    await repo.close();
    await admin.query("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', 99999999999999)");

    await expect(openRepository({ url: scratch.url })).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('newer anchorage'),
    });
    expect((await admin.query('SELECT fields FROM anchors WHERE id = $1', [n.id])).rows[0].fields).toBe('{"kept":true}');
  });

  it('works on a pool the caller owns, and leaves it open on close', async () => {
    const pool = new pg.Pool({ connectionString: scratch.url, max: 3 });
    const repo = await openRepository({ pool });
    expect(repo.backend).toBe('postgres');
    const s = repo.session({ root: 'user-1' });
    s.connect(await s.root(), s.create('Profile', { name: 'ada' }));
    await s.commit();
    await repo.close();
    expect((await pool.query("SELECT count(*)::int AS n FROM anchors WHERE type = 'Profile'")).rows[0].n).toBe(1);
    await pool.end();
  });

  it('accepts postgresql:// urls', async () => {
    const repo = await openRepository({ url: scratch.url.replace(/^postgres:/, 'postgresql:') });
    expect((await repo.session().root()).type).toBe('Root');
    await repo.close();
  });

  it('is created by `anchorage migrate --db <url>`', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'migrate', '--db', scratch.url]);
    expect(stdout).toContain('migrated');
    expect(await appliedMigrations()).toBe(migrationCount);
  });

  it('reports an unreachable server as a StorageError', async () => {
    const url = new URL(PG_URL as string);
    url.port = '1'; // nothing listens there
    await expect(openRepository({ url: url.toString() })).rejects.toMatchObject({ code: 'storage', retryable: true });
  });
});
