import { randomInt } from 'node:crypto';
import type { Command } from 'commander';
import { runTorture } from '../../harness/torture/run-torture.ts';
import { tortureOptionsSchema } from '../../harness/torture/torture-options.ts';
import { formatTortureTable } from '../../harness/torture/torture-table.ts';
import { parseInput } from '../../repository/validation.ts';

export function registerTorture(program: Command): void {
  program
    .command('torture')
    .description(
      'crash campaign: worker processes run the race workload while a nemesis SIGKILLs and restarts them (some inside commits); then checks that every acknowledged commit is stored and every cut-off commit is whole or absent',
    )
    .option('--db <url>', 'sqlite:<file> the workers share', 'sqlite:./.anchorage/torture.db')
    .option('--procs <n>', 'worker processes', '4')
    .option('--kills <n>', 'SIGKILLs to deliver before stopping', '20')
    .option('--users <n>', 'users (roots) the workers share', '4')
    .option('--concurrency <n>', 'sessions in flight per worker', '4')
    .option('--pause-ms <n>', "test-only pause between a commit's writes and COMMIT, where aimed kills land", '20')
    .option('--seed <n>', 'seed for the workload and the kill schedule (random when absent)')
    .option('--json', 'print the figures as one JSON object')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = parseInput(tortureOptionsSchema, raw, 'options');
      const options = { ...parsed, seed: parsed.seed ?? randomInt(2 ** 31) };
      const result = await runTorture(options);
      if (options.json) console.log(JSON.stringify(result));
      else {
        const header = `anchorage torture — ${options.procs} processes, ${options.kills} kills, seed ${options.seed} (${options.db})`;
        console.log(formatTortureTable(result, header));
      }
      if (result.logs) console.error(`anchorage torture: intent and history logs kept in ${result.logs}`);
      if (result.anomalies > 0 || result.errors > 0) process.exitCode = 1;
    });
}
