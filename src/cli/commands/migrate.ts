import type { Command } from 'commander';
import { openRepository } from '../../repository/open-repository.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('create or upgrade the database schema (opening a repository does this too)')
    .requiredOption('--db <url>', 'database url, e.g. sqlite:./data/app.db')
    .action(async (opts: { db: string }) => {
      const repo = await openRepository({ url: opts.db });
      await repo.close();
      console.log(`anchorage: ${opts.db} is migrated to the current schema`);
    });
}
