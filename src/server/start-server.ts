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

/** The server could not start (a port in use, say); its message is for a person. */
export class ServeError extends Error {
  override readonly name = 'ServeError';
}

/** Says in plain words why listening on `host:port` failed. */
export function listenFailure(error: unknown, options: Pick<ServerOptions, 'host' | 'port'>): ServeError {
  const where = `${options.host}:${options.port}`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new ServeError(`cannot listen on ${where}: the port is in use (by another process?)`);
  if (code === 'EACCES') return new ServeError(`cannot listen on ${where}: permission denied`);
  if (code === 'EADDRNOTAVAIL') return new ServeError(`cannot listen on ${where}: no such address on this machine`);
  return new ServeError(`cannot listen on ${where}: ${error instanceof Error ? error.message : String(error)}`);
}

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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await store.close();
    auth.close();
    throw listenFailure(error, options);
  }
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
