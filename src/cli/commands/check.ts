import type { Command } from 'commander';
import { z } from 'zod';
import type { CheckReport } from '../../check/finding.ts';
import { ValidationError } from '../../core/errors.ts';
import { parseInput } from '../../repository/validation.ts';
import { checkSqlite } from '../../storage/sqlite/sqlite-check.ts';
import { SqliteStorage } from '../../storage/sqlite/sqlite-storage.ts';
import { existingDatabaseSchema } from '../existing-database.ts';

const optionsSchema = z.object({
  db: existingDatabaseSchema.refine(
    (url) => url.startsWith('sqlite:'),
    'check supports sqlite:<path> databases (or a file path)',
  ),
  repair: z.boolean().default(false),
  json: z.boolean().default(false),
});

function print(report: CheckReport): void {
  console.log(`checked ${report.anchors} anchors and ${report.edgeIds} edge ids`);
  for (const line of report.repaired) console.log(`repaired: ${line}`);
  if (report.findings.length === 0) console.log('no problems found');
  for (const f of report.findings) console.log(`${f.kind}: ${f.detail}`);
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check the database (fsck): corrupt rows, dangling edge ids, edges without endpoints, orphans, version vectors')
    .requiredOption('--db <url>', 'SQLite database: sqlite:<path> or a file path (must exist)')
    .option('--repair', 'fix what is safe: quarantine corrupt rows, remove dangling ids, relist missing edge ids')
    .option('--json', 'print the report as JSON')
    .action(async (raw: unknown) => {
      const opts = parseInput(optionsSchema, raw, 'options');
      const path = opts.db.slice('sqlite:'.length);
      if (path === ':memory:') throw new ValidationError('options.db', 'an in-memory database has nothing to check');
      const storage = new SqliteStorage({ path, durability: 'full', busyTimeoutMs: 5000 });
      try {
        // The check is one synchronous pass (a repair, one transaction): let SQLite wait for writers.
        storage.database.pragma('busy_timeout = 5000');
        const report = checkSqlite(storage.database, { repair: opts.repair, now: Date.now() });
        if (opts.json) console.log(JSON.stringify(report));
        else print(report);
        // Orphans are reported for a person to judge; anything else left is an inconsistency.
        process.exitCode = report.findings.some((f) => f.kind !== 'orphan_node') ? 1 : 0;
      } finally {
        await storage.close();
      }
    });
}
