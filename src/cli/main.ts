import { Command } from 'commander';
import { commands } from './commands/index.ts';
import { reportError } from './report-error.ts';

const program = new Command('anchorage')
  .description('Persist object graphs under concurrent writers without losing an acknowledged write.')
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander's own usage errors: exit 2, like other bad input.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}
