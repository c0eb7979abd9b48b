import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { NaiveGraphStore } from '../harness/naive/naive-graph-store.ts';
import type { GraphStore } from '../harness/workload/graph-store.ts';
import { openRepository } from '../index.ts';
import { AuthStore } from './auth-store.ts';
import { type ServerOptions, serverFiles } from './server-options.ts';
import { WalkerApp } from './walker-app.ts';

export interface RunningServer {
  readonly port: number;
  /** Stops accepting, lets background chats finish, closes the database. */
  close(): Promise<void>;
}

/** Opens the graph store a server (or its cluster primary, to migrate once) uses. */
export async function openServerStore(options: ServerOptions): Promise<GraphStore> {
  const { graph } = serverFiles(options);
  mkdirSync(dirname(graph), { recursive: true });
  return options.naive ? new NaiveGraphStore(graph) : openRepository({ url: `sqlite:${graph}` });
}

/** Starts one walker server process on `host:port`. */
export async function startWalkerServer(options: ServerOptions, log: (m: string) => void): Promise<RunningServer> {
  const store = await openServerStore(options);
  const auth = new AuthStore(serverFiles(options).auth);
  const [min, max] = options.chatMs;
  const app = new WalkerApp({
    store,
    auth,
    log,
    chatTurns: () => Array.from({ length: 4 }, () => randomInt(min, Math.max(min, max) + 1)),
  });
  const server = createServer(app.handle);
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await app.drain();
      await store.close();
      auth.close();
    },
  };
}
