import type { Command } from 'commander';
import { parseInput } from '../../repository/validation.ts';
import { serve } from '../../server/serve.ts';
import { serverOptionsSchema } from '../../server/server-options.ts';
import { ServeError } from '../../server/start-server.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      "the walker server of the seed report's reproduction script (register, me, project_ops, ai_chat, git_ops, version_ops)",
    )
    .option('--port <n>', 'port to listen on', '8000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--db <url>', 'sqlite:<file> (users go beside it in <file>.auth.db)', 'sqlite:./.anchorage/serve.db')
    .option('--workers <n>', 'node cluster processes sharing the database file', '1')
    .option('--naive', 'use the lossy whole-row writer instead of anchorage, to reproduce the bug')
    .action(async (raw: Record<string, unknown>) => {
      const options = parseInput(serverOptionsSchema, raw, 'options');
      try {
        await serve(options, (m) => console.log(m));
      } catch (error) {
        if (!(error instanceof ServeError)) throw error;
        console.error(`anchorage serve: ${error.message}`);
        process.exitCode = 1;
      }
    });
}
