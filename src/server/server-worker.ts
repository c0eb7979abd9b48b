/** A cluster worker of `anchorage serve --workers N`: one walker server sharing the listening port. */
import { serverOptionsSchema } from './server-options.ts';
import { startWalkerServer } from './start-server.ts';

const options = serverOptionsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const server = await startWalkerServer(options, (m) => console.error(m));
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
