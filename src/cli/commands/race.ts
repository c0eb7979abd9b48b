import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { type RaceOptions, raceOptionsSchema } from '../../harness/race/race-options.ts';
import { type RaceResult, raceExitCode } from '../../harness/race/race-result.ts';
import { formatRaceTable } from '../../harness/race/race-table.ts';
import { launchMode, modeDatabase, type RaceListener, sqliteFile } from '../../harness/race/run-race.ts';
import { writeDashboardFiles } from '../../metrics/dashboard/write-dashboard-files.ts';
import { parseInput } from '../../repository/validation.ts';

/**
 * The anchorage mode's conflict metrics (json, prom, html) in `race-metrics/` beside its SQLite
 * file, or in `./.anchorage/race-metrics/` for PostgreSQL; says where.
 */
async function writeRaceMetrics(db: string, since: number, json: boolean): Promise<void> {
  const say = json ? console.error : console.log;
  const file = sqliteFile(db);
  try {
    const files = await writeDashboardFiles(db, join(file ? dirname(file) : '.anchorage', 'race-metrics'), { since });
    say(`conflict metrics of this run: ${files.html} (open it in a browser), ${files.json}, ${files.prom}`);
  } catch (error) {
    say(`conflict metrics not written: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A progress bar per mode on stderr, only when a person is watching: every session, the opening `me` calls too. */
function progressBar(): RaceListener {
  if (!process.stderr.isTTY) return {};
  const bar = new SingleBar({ format: '{mode} [{bar}] {value}/{total} sessions', hideCursor: true, clearOnComplete: true });
  return {
    onStart: (mode, total) => bar.start(total, 0, { mode: mode.padEnd(9) }),
    onProgress: (_, done) => bar.update(done),
    onEnd: () => bar.stop(),
  };
}

export function registerRace(program: Command): void {
  program
    .command('race')
    .description(
      "the seed's workload (profile find-or-create, projects, long AI chats, reads, counters, deletes) on forked processes, anchorage beside the naive whole-row writer, checked against a history of acknowledged writes",
    )
    .option('--mode <mode>', 'anchorage, naive or both', 'both')
    .option(
      '--db <url>',
      'sqlite:<file> (the naive table goes beside it, in <file>.naive.db) or postgres://user@host:port/db (the naive table is anchorage_naive_anchors there)',
      'sqlite:./.anchorage/race.db',
    )
    .option('--procs <n>', 'worker processes', '4')
    .option('--users <n>', 'users (roots) the processes share', '4')
    .option('--sessions <n>', 'sessions per mode, across all processes', '600')
    .option('--concurrency <n>', 'sessions in flight per process', '6')
    .option('--seed <n>', 'seed for a reproducible workload (random when absent)')
    .option('--json', 'print one JSON object per mode instead of the table')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = parseInput(raceOptionsSchema, raw, 'options');
      const options: RaceOptions = { ...parsed, seed: parsed.seed ?? randomInt(2 ** 31) };
      const modes = options.mode === 'both' ? (['anchorage', 'naive'] as const) : [options.mode];
      const listener = options.json ? {} : progressBar();
      const results: RaceResult[] = [];
      const started = Date.now();
      // Both modes' workers start up together; the modes then run one after the other.
      const launched = await Promise.all(modes.map((mode) => launchMode(mode, options)));
      try {
        for (const mode of launched) {
          const result = await mode.run(listener);
          results.push(result);
          if (options.json) console.log(JSON.stringify(result));
        }
      } finally {
        for (const mode of launched) mode.dispose();
      }
      if (!options.json) {
        const where = modes.map((m) => `${m}: ${modeDatabase(m, options.db)}`).join(', ');
        const header = `anchorage race — ${options.procs} processes, ${options.users} users, ${options.sessions} sessions per mode (+ ${options.procs * options.users} opening me calls), seed ${options.seed} (${where})`;
        console.log(formatRaceTable(results, header));
      }
      if (modes.includes('anchorage')) await writeRaceMetrics(options.db, started, options.json);
      process.exitCode = raceExitCode(results);
    });
}
