import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raceOptionsSchema } from '../../src/harness/race/race-options.ts';
import type { RaceResult } from '../../src/harness/race/race-result.ts';
import { type LaunchedMode, launchMode } from '../../src/harness/race/run-race.ts';
import { createScratchSchema, PG_URL, type ScratchSchema } from '../support/postgres-database.ts';

/**
 * The race on PostgreSQL, 8 processes per mode, both modes' workers forked at once (as the CLI
 * does). Through launchMode rather than the CLI, so the dashboard files the CLI writes for a
 * PostgreSQL run (in ./.anchorage) stay out of the work tree; the CLI's parsing of a postgres
 * url is the same schema, tested in test/unit/race-options.test.ts.
 */
describe.skipIf(!PG_URL)('anchorage race on PostgreSQL', () => {
  let scratch: ScratchSchema;
  beforeAll(async () => void (scratch = await createScratchSchema('anchorage_race')));
  afterAll(() => scratch?.drop());

  it('finds no anomaly in anchorage mode and lost writes in naive mode, on 8 processes', async () => {
    // 4 users, 200 sessions, chats holding their copies across model calls of 50–500 ms: many
    // overlapping sessions per user, so naive losses are certain (200+ anomalies in every run so far).
    const parsed = raceOptionsSchema.parse({ db: scratch.url, procs: '8', sessions: '200', seed: '11' });
    const options = { ...parsed, seed: parsed.seed ?? 11 };
    const launched: LaunchedMode[] = await Promise.all([launchMode('anchorage', options), launchMode('naive', options)]);
    const results: RaceResult[] = [];
    try {
      for (const mode of launched) results.push(await mode.run());
    } finally {
      for (const mode of launched) mode.dispose();
    }
    const [anchorage, naive] = results;
    console.log(`race figures on PostgreSQL:\n${results.map((r) => JSON.stringify(r)).join('\n')}`);
    expect(anchorage).toMatchObject({ procs: 8, sessions: 200, lost: 0, zombies: 0, dangling: 0, duplicates: 0 });
    expect(anchorage).toMatchObject({ counterDrift: 0, versionChains: 0, anomalies: 0, errors: 0 });
    expect(anchorage?.acknowledged).toBeGreaterThan(200);
    expect(naive?.errors).toBe(0);
    const naiveLosses = naive ? naive.lost + naive.zombies + naive.dangling + naive.duplicates + naive.counterDrift : 0;
    expect(naiveLosses).toBeGreaterThan(0);
  }, 120_000);
});
