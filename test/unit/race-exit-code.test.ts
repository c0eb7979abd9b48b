import { describe, expect, it } from 'vitest';
import type { CheckCounts } from '../../src/harness/history/check-report.ts';
import type { RaceMode, WorkerStats } from '../../src/harness/race/race-options.ts';
import { type RaceResult, raceExitCode, summarize } from '../../src/harness/race/race-result.ts';

const clean: CheckCounts = { lost: 0, zombies: 0, dangling: 0, duplicates: 0, counterDrift: 0, versionChains: 0, anomalies: 0 };

const worker = (errors: string[] = []): WorkerStats => ({
  process: 'p0',
  operations: 10,
  opening: 4,
  acknowledged: 12,
  latenciesMs: [1, 2],
  replays: 0,
  conflicts: 0,
  retries: 0,
  refused: {},
  errors,
});

const result = (mode: RaceMode, counts: Partial<CheckCounts> = {}, errors: string[] = []): RaceResult => {
  const merged = { ...clean, ...counts };
  const anomalies =
    merged.lost + merged.zombies + merged.dangling + merged.duplicates + merged.counterDrift + merged.versionChains;
  return summarize(mode, [worker(errors)], { ...merged, anomalies }, 100);
};

describe('the exit code of anchorage race', () => {
  it('is 0 when the anchorage mode shows no anomaly and no error, whatever naive mode shows', () => {
    expect(raceExitCode([result('anchorage')])).toBe(0);
    expect(raceExitCode([result('anchorage'), result('naive', { lost: 9, duplicates: 2 }, ['boom'])])).toBe(0);
    expect(raceExitCode([result('naive', { zombies: 3 })])).toBe(0);
    expect(raceExitCode([])).toBe(0);
  });

  it('is 1 when the anchorage mode shows any anomaly row above zero', () => {
    for (const row of ['lost', 'zombies', 'dangling', 'duplicates', 'counterDrift', 'versionChains'] as const) {
      expect([row, raceExitCode([result('anchorage', { [row]: 1 }), result('naive')])]).toEqual([row, 1]);
    }
  });

  it('is 1 when the anchorage mode met an unexpected error', () => {
    expect(raceExitCode([result('anchorage', {}, ['disk full']), result('naive')])).toBe(1);
  });

  it('reports the sessions the workers ran, and the opening me calls apart', () => {
    const result = summarize('anchorage', [worker(), { ...worker(), process: 'p1', operations: 9 }], clean, 1);
    expect([result.sessions, result.openingSessions]).toEqual([11, 8]);
  });
});
