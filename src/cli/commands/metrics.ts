import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { EXPORT_FORMATS, exportMetrics } from '../../metrics/dashboard/export-format.ts';
import { openRepository } from '../../repository/open-repository.ts';
import { parseInput } from '../../repository/validation.ts';
import { durationSchema } from '../duration.ts';
import { existingDatabaseSchema } from '../existing-database.ts';

const optionsSchema = z.object({
  db: existingDatabaseSchema.optional(),
  format: z.enum(EXPORT_FORMATS).default('json'),
  out: z.string().min(1).optional(),
  since: durationSchema.optional(),
});

export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description("export conflict metrics from a database's journal and commit counts (works after the fact, from any process)")
    .option('--db <url>', 'database url or SQLite file path, e.g. sqlite:./data/app.db (must exist; not needed for grafana)')
    .option('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`, 'json')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--since <duration>', 'only the last part of the history, e.g. 15m, 2h, 7d')
    .action(async (raw: unknown) => {
      const opts = parseInput(optionsSchema, raw, 'options');
      if (opts.format !== 'grafana' && opts.db === undefined) {
        throw new ValidationError('options.db', `--db is required for --format ${opts.format}`);
      }
      // A reader: no metrics of its own and no pruning, so exporting changes nothing.
      const repo = opts.db ? await openRepository({ url: opts.db, metrics: false, journalRetention: false }) : undefined;
      try {
        const now = Date.now();
        const since = opts.since === undefined ? {} : { since: now - opts.since };
        const text = await exportMetrics(repo?.storage, opts.format, { now, ...since });
        if (opts.out === undefined) process.stdout.write(text);
        else {
          await writeFile(opts.out, text);
          console.error(`anchorage: wrote ${opts.format} metrics to ${opts.out}`);
        }
      } finally {
        await repo?.close();
      }
    });
}
