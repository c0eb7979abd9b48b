/** A cluster worker of `anchorage serve --workers N`: one walker server sharing the listening port. */
import { serverOptionsSchema, type WorkerFailure } from './server-options.ts';
import { startWalkerServer } from './start-server.ts';

const options = serverOptionsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
try {
  const server = await startWalkerServer(options, (m) => console.error(m));
  process.once('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
} catch (error) {
  // Tell the primary why before exiting, so it can say so and stop instead of restarting this worker.
  const failure: WorkerFailure = { type: 'start_failed', message: error instanceof Error ? error.message : String(error) };
  await new Promise<void>((resolve) => (process.send ? process.send(failure, () => resolve()) : resolve()));
  process.exit(1);
}
