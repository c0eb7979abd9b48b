import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RaceResult } from '../../src/harness/race/race-result.ts';
import { dashboardSchema } from '../../src/metrics/index.ts';
import { tempDir } from '../support/backends.ts';
import { parsePromText, promValue } from '../support/prom-text.ts';
import { runToEnd, spawnCli } from '../support/spawn-cli.ts';

const dir = tempDir('anchorage-race-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('anchorage race', () => {
  describe('on 4 processes, both modes', () => {
    const db = join(dir, 'race.db');
    const metricsDir = join(dir, 'race-metrics');
    let started: number;
    let run: { code: number | null; stdout: string; stderr: string };
    let results: RaceResult[];
    // One race (tens of seconds) for every test below.
    beforeAll(async () => {
      started = Date.now();
      run = await runToEnd(
        spawnCli([
          'race',
          '--mode',
          'both',
          '--procs',
          '4',
          '--sessions',
          '240',
          '--seed',
          '11',
          '--db',
          `sqlite:${db}`,
          '--json',
        ]),
      );
      results = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as RaceResult);
    }, 120_000);

    it('finds no anomaly in anchorage mode and lost edges in naive mode', () => {
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
    });

    it("writes the anchorage mode's conflict metrics (json, prom, html) into race-metrics/ beside the file, and says where", () => {
      const files = {
        json: join(metricsDir, 'metrics.json'),
        prom: join(metricsDir, 'metrics.prom'),
        html: join(metricsDir, 'metrics.html'),
      };
      // --json keeps stdout to one JSON object per mode, so the paths go to stderr.
      expect(run.stderr).toContain(
        `conflict metrics of this run: ${files.html} (open it in a browser), ${files.json}, ${files.prom}`,
      );
      expect(readdirSync(metricsDir).sort()).toEqual(['metrics.html', 'metrics.json', 'metrics.prom']);

      const doc = dashboardSchema.parse(JSON.parse(readFileSync(files.json, 'utf8')));
      const anchorage = results.find((r) => r.mode === 'anchorage');
      expect(doc).toMatchObject({ format: 'anchorage-metrics', version: 1, backend: 'sqlite', writers: 4 });
      // This run only, and all of it: every conflict the workers' observers met is in the journal.
      expect(doc.range.since).toBeGreaterThanOrEqual(started);
      expect(doc.range.first).toBeGreaterThanOrEqual(started);
      expect(doc.totals.conflicts.total).toBe(anchorage?.conflicts);
      expect(doc.totals.conflicts.total).toBeGreaterThan(0);
      expect(doc.totals.commits.committed).toBeGreaterThan(0);
      expect(doc.series.length).toBeGreaterThan(0);

      const { samples } = parsePromText(readFileSync(files.prom, 'utf8'));
      expect(promValue(samples, 'anchorage_commits_total', { backend: 'sqlite', outcome: 'committed' })).toBe(
        doc.totals.commits.committed,
      );
      const conflicts = samples.filter((s) => s.name === 'anchorage_conflicts_total').reduce((n, s) => n + s.value, 0);
      expect(conflicts).toBe(doc.totals.conflicts.total);

      const html = readFileSync(files.html, 'utf8');
      const embedded = /<script type="application\/json" id="anchorage-data">(.*?)<\/script>/s.exec(html)?.[1];
      expect(dashboardSchema.parse(JSON.parse(embedded ?? 'null'))).toEqual(doc);
    });
  });

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
