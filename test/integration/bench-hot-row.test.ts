import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PG_URL } from '../support/postgres-database.ts';

const run = promisify(execFile);
const local = PG_URL !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(PG_URL).hostname);

/** One row of the bench's table: name, ops/s, p50, p99, failed, cpu client, cpu server, correct. */
const parseRows = (out: string) =>
  new Map(
    out
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cells) => cells.length === 8 && /^\d+$/.test(cells[1] as string))
      .map(([name, ...cells]) => [name as string, cells]),
  );

/**
 * A smoke run of `bench/postgres-hot-row.ts` (2 clients, 1 s): every contender runs, every
 * counter equals its acknowledged increments, the CPU columns are measured, and with
 * `--rtt-ms` the clients really are a round trip away.
 */
describe.skipIf(!PG_URL)('bench/postgres-hot-row.ts', () => {
  const bench = async (...extra: string[]) => {
    const args = ['tsx', 'bench/postgres-hot-row.ts', '--clients', '2', '--seconds', '1', '--warmup', '0', '--rounds', '1'];
    const { stdout } = await run('npx', [...args, ...extra], { env: { ...process.env, ANCHORAGE_PG_URL: PG_URL } });
    return parseRows(stdout);
  };

  it('runs every contender, each counter equal to its acknowledged increments, CPU measured', async () => {
    const rows = await bench();
    expect([...rows.keys()]).toEqual(['for-update', 'cas-retry', 'anchorage', 'anchorage-tx']);
    for (const [name, [rate, , , , client, server, correct]] of rows) {
      expect(correct, name).toBe('yes');
      expect(Number(rate), name).toBeGreaterThan(0);
      expect(Number(client), name).toBeGreaterThan(0);
      // A server on this machine (as in CI): its processes' CPU is read from /proc.
      if (local) expect(Number(server), name).toBeGreaterThan(0);
    }
  }, 120_000);

  it('puts the clients a round trip away with --rtt-ms: four round trips of for-update take four of them', async () => {
    const rows = await bench('--rtt-ms', '2', '--only', 'for-update,anchorage');
    const p50 = (name: string) => Number(rows.get(name)?.[1]);
    expect(rows.get('for-update')?.[6]).toBe('yes');
    expect(rows.get('anchorage')?.[6]).toBe('yes');
    expect(p50('for-update')).toBeGreaterThanOrEqual(8);
    expect(p50('anchorage')).toBeGreaterThanOrEqual(4); // its load and its commit, at least
  }, 120_000);
});
