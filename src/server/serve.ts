import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { type ServerOptions, serverFiles, type WorkerFailure } from './server-options.ts';
import { openServerStore, ServeError, startWalkerServer } from './start-server.ts';

const WORKER = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './server-worker.ts' : './server-worker.js', import.meta.url),
);

const signals = (): Promise<void> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

/**
 * Runs the cluster: N workers share the port and the database file; the primary only supervises.
 * A worker that exits after it listened is replaced; one that exits before it ever listened (the
 * port is in use, say) would fail again, so the primary stops the others and rejects with why.
 */
async function serveCluster(options: ServerOptions, log: (m: string) => void): Promise<void> {
  await (await openServerStore(options)).close(); // create and migrate once, before the workers race to
  cluster.setupPrimary({ exec: WORKER, execArgv: ['--import', 'tsx'], args: [JSON.stringify(options)] });
  let stopping = false;
  let fatal: (error: ServeError) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fatal = reject;
  });
  failed.catch(() => {}); // raced below; a rejection before anyone awaits it is not unhandled
  const fork = (): Worker => {
    const worker = cluster.fork();
    let listening = false;
    let why: string | undefined;
    worker.on('message', (m: WorkerFailure) => {
      if (m?.type === 'start_failed') why = m.message;
    });
    worker.once('listening', () => {
      listening = true;
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      if (!listening) {
        // On 'close' the IPC channel is drained too, so the worker's reason has arrived if it sent one.
        worker.process.once('close', () =>
          fatal(new ServeError(`${why ?? `a worker exited (${signal ?? code}) before it listened`}; stopped the other workers`)),
        );
        return;
      }
      log(`anchorage serve: a worker exited (${signal ?? code}); starting another`);
      fork();
    });
    return worker;
  };
  const stopAll = async () => {
    stopping = true;
    const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    await Promise.all(live.map((w) => new Promise((resolve) => w.once('exit', resolve).process.kill('SIGTERM'))));
  };
  const workers = Array.from({ length: options.workers }, fork);
  try {
    await Promise.race([Promise.all(workers.map((w) => new Promise((resolve) => w.once('listening', resolve)))), failed]);
    log(
      `anchorage serve: listening on http://${options.host}:${options.port} (${options.workers} workers, ${describe(options)})`,
    );
    await Promise.race([signals(), failed]);
  } finally {
    await stopAll();
  }
}

function describe(options: ServerOptions): string {
  const { graph } = serverFiles(options);
  return options.naive ? `NAIVE lossy writer on ${graph}` : `anchorage on ${graph}`;
}

/**
 * `anchorage serve`: the walker server, in this process or as a cluster; resolves after
 * SIGINT/SIGTERM, rejects with a ServeError when it cannot start (or a cluster worker cannot).
 */
export async function serve(options: ServerOptions, log: (m: string) => void): Promise<void> {
  if (options.workers > 1) return serveCluster(options, log);
  const server = await startWalkerServer(options, log);
  log(`anchorage serve: listening on http://${options.host}:${server.port} (1 process, ${describe(options)})`);
  await signals();
  await server.close();
}
