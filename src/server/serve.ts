import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { type ServerOptions, serverFiles } from './server-options.ts';
import { openServerStore, startWalkerServer } from './start-server.ts';

const WORKER = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './server-worker.ts' : './server-worker.js', import.meta.url),
);

const signals = (): Promise<void> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

/** Runs the cluster: N workers share the port and the database file; the primary only supervises. */
async function serveCluster(options: ServerOptions, log: (m: string) => void): Promise<void> {
  await (await openServerStore(options)).close(); // create and migrate once, before the workers race to
  cluster.setupPrimary({ exec: WORKER, execArgv: ['--import', 'tsx'], args: [JSON.stringify(options)] });
  let stopping = false;
  const fork = () =>
    cluster.fork().on('exit', (code) => {
      if (stopping) return;
      log(`anchorage serve: a worker exited (${code}); starting another`);
      fork();
    });
  const workers = Array.from({ length: options.workers }, fork);
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('listening', resolve))));
  log(`anchorage serve: listening on http://${options.host}:${options.port} (${options.workers} workers, ${describe(options)})`);
  await signals();
  stopping = true;
  const live = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  await Promise.all(live.map((w) => new Promise((resolve) => w.once('exit', resolve).process.kill('SIGTERM'))));
}

function describe(options: ServerOptions): string {
  const { graph } = serverFiles(options);
  return options.naive ? `NAIVE lossy writer on ${graph}` : `anchorage on ${graph}`;
}

/** `anchorage serve`: the walker server, in this process or as a cluster; resolves after SIGINT/SIGTERM. */
export async function serve(options: ServerOptions, log: (m: string) => void): Promise<void> {
  if (options.workers > 1) return serveCluster(options, log);
  const server = await startWalkerServer(options, log);
  log(`anchorage serve: listening on http://${options.host}:${server.port} (1 process, ${describe(options)})`);
  await signals();
  await server.close();
}
