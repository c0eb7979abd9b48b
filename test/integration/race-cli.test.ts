import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RaceResult } from '../../src/harness/race/race-result.ts';
import { tempDir } from '../support/backends.ts';
import { runToEnd, spawnCli } from '../support/spawn-cli.ts';

const dir = tempDir('anchorage-race-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('anchorage race', () => {
  it('finds no anomaly in anchorage mode and lost edges in naive mode, on 4 processes', async () => {
    const db = `sqlite:${join(dir, 'race.db')}`;
    const run = await runToEnd(
      spawnCli(['race', '--mode', 'both', '--procs', '4', '--sessions', '240', '--seed', '11', '--db', db, '--json']),
    );
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RaceResult);
    const anchorage = results.find((r) => r.mode === 'anchorage');
    const naive = results.find((r) => r.mode === 'naive');
    console.log(`race figures:\n${run.stdout}`);
    expect(run.code, run.stderr).toBe(0);
    expect(anchorage).toMatchObject({
      procs: 4,
      sessions: 240,
      lost: 0,
      zombies: 0,
      dangling: 0,
      duplicates: 0,
      counterDrift: 0,
    });
    expect(anchorage?.versionChains).toBe(0);
    expect(anchorage?.errors).toBe(0);
    expect(anchorage?.acknowledged).toBeGreaterThan(240);
    expect(naive?.lost).toBeGreaterThan(0);
  }, 120_000);

  it('refuses bad options with exit code 2 and says why', async () => {
    for (const [args, message] of [
      [['--procs', '0'], /procs must be at least 1/],
      [['--db', 'sqlite::memory:'], /db must be sqlite:<file>/],
    ] as const) {
      const run = await runToEnd(spawnCli(['race', ...args]));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  }, 60_000);
});
