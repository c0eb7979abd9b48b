import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSql, prepareOn, serverStatement, sqlString } from '../../src/storage/postgres/server-statements.ts';
import { PG_URL } from '../support/postgres-database.ts';

const ECHO = serverStatement(
  'test_echo',
  ['text', 'int', 'bigint', 'text[]', 'int[]'],
  'SELECT $1 AS s, $2 AS i, $3::text AS b, $4 AS ss, $5 AS ii',
);

/** Strings SQL text must carry unchanged: quotes, backslashes, escapes' look-alikes, JSON, unicode. */
const AWKWARD = ["it's", "''", '\\', "\\'", 'a\\nb', "E'x'", '{"k":"v\\"w"}', 'ünïcødé ✓', '$1', ');DROP TABLE x;--', ''];

describe.skipIf(!PG_URL)('PostgreSQL: statements run as EXECUTE with literal arguments', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  const echo = async (args: unknown[]) => {
    await prepareOn(client, ECHO);
    return (await client.query(executeSql(ECHO, args))).rows[0];
  };

  it.each([['on'], ['off']])('passes every string through unchanged (standard_conforming_strings %s)', async (setting) => {
    await client.query(`SET standard_conforming_strings = ${setting}`);
    for (const s of AWKWARD) {
      expect(await echo([s, 1, 2, [s, 'x'], [1]])).toEqual({ s, i: 1, b: '2', ss: [s, 'x'], ii: [1] });
    }
    await client.query('RESET standard_conforming_strings');
  });

  it('passes nulls, empty arrays, nulls in arrays and large integers', async () => {
    expect(await echo([null, null, 1_795_939_831_171, [], [null, 7]])).toEqual({
      s: null,
      i: null,
      b: '1795939831171',
      ss: [],
      ii: [null, 7],
    });
  });

  it('refuses what SQL text cannot carry, naming it: NUL, fractions, non-finite numbers, objects', () => {
    expect(() => sqlString('a\0b')).toThrow(/NUL/);
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, {}, new Date(0), true]) {
      expect(() => executeSql(ECHO, [bad, 1, 1, [], []]), String(bad)).toThrow(TypeError);
      expect(() => executeSql(ECHO, ['s', 1, 1, [bad], []]), String(bad)).toThrow(TypeError);
    }
  });

  it('names a statement by its text: another text never answers to the same name', () => {
    const other = serverStatement('test_echo', ECHO.params, `${ECHO.sql} -- changed`);
    expect(other.name).not.toBe(ECHO.name);
    expect(serverStatement('test_echo', ECHO.params, ECHO.sql).name).toBe(ECHO.name);
  });

  it('takes a statement prepared under its name by someone else (a second copy of anchorage) as prepared', async () => {
    const other = new pg.Client({ connectionString: PG_URL });
    await other.connect();
    try {
      await other.query(`PREPARE ${ECHO.name} (${ECHO.params.join(', ')}) AS ${ECHO.sql}`);
      await prepareOn(other, ECHO);
      expect((await other.query(executeSql(ECHO, ['x', 1, 1, [], []]))).rows[0].s).toBe('x');
    } finally {
      await other.end();
    }
  });

  it('prepares a statement once per connection, and again on a new connection', async () => {
    await echo(['a', 1, 1, [], []]);
    await echo(['b', 1, 1, [], []]);
    const count = async (c: pg.Client) =>
      (await c.query('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = $1', [ECHO.name])).rows[0].n;
    expect(await count(client)).toBe(1);
    const other = new pg.Client({ connectionString: PG_URL });
    await other.connect();
    try {
      await prepareOn(other, ECHO);
      expect((await other.query(executeSql(ECHO, ['c', 1, 1, [], []]))).rows[0].s).toBe('c');
    } finally {
      await other.end();
    }
  });
});
