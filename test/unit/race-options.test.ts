import { describe, expect, it } from 'vitest';
import { raceOptionsSchema } from '../../src/harness/race/race-options.ts';
import { modeDatabase } from '../../src/harness/race/run-race.ts';

describe('the race options', () => {
  it('accept a SQLite file and a PostgreSQL url for --db', () => {
    for (const db of [
      'sqlite:./.anchorage/race.db',
      'postgres://app@db:5432/app',
      'postgresql://app@127.0.0.1/app?sslmode=disable',
    ])
      expect(raceOptionsSchema.parse({ db }).db).toBe(db);
  });

  it('refuse any other --db with a message naming both forms', () => {
    for (const db of ['sqlite::memory:', 'memory:', 'mysql://app@db/app', 'postgres:/app', 'race.db', '']) {
      const result = raceOptionsSchema.safeParse({ db });
      expect(result.success, db).toBe(false);
      expect(result.error?.issues[0]?.message).toBe(
        'db must be sqlite:<file> or postgres://user@host:port/db: worker processes share one database',
      );
    }
  });

  it('put the naive table beside a SQLite file, and in the same PostgreSQL database', () => {
    expect(modeDatabase('anchorage', 'sqlite:dir/race.db')).toBe('sqlite:dir/race.db');
    expect(modeDatabase('naive', 'sqlite:dir/race.db')).toBe('sqlite:dir/race.naive.db');
    expect(modeDatabase('naive', 'postgres://app@db/app')).toBe('postgres://app@db/app');
  });
});
