import net from 'node:net';

/**
 * Where a cut falls, relative to the request (a simple Query 'Q', or extended messages up to
 * their Sync 'S') that holds the message it is armed on:
 * - `after-reply`: the request goes to the server, which answers (so it ran: a COMMIT landed);
 *   the answer is dropped and the client's connection cut — the client never learns the outcome;
 * - `before`: the request never reaches the server; both connections are cut (nothing landed);
 * - `in-flight`: the client's connection is cut at once and the request reaches the server only
 *   `delayMs` later, while the client is retrying.
 */
export type CutMode = 'after-reply' | 'before' | 'in-flight';

export interface Cut {
  readonly mode: CutMode;
  /** Which client message arms the cut, e.g. a Query whose SQL ends in COMMIT. */
  readonly on: (type: string, body: Buffer) => boolean;
  /** Runs once the request has (or has not) reached the server, before the client is cut. */
  readonly meanwhile?: () => Promise<void>;
  readonly delayMs?: number;
}

/** Messages a client sends; the first one (startup) has no type byte. */
function* messages(state: { buf: Buffer; started: boolean }): Generator<{ type: string; msg: Buffer }> {
  for (;;) {
    const header = state.started ? 5 : 4;
    if (state.buf.length < header) return;
    const length = state.started ? state.buf.readInt32BE(1) + 1 : state.buf.readInt32BE(0);
    if (state.buf.length < length) return;
    const msg = state.buf.subarray(0, length);
    state.buf = state.buf.subarray(length);
    const type = state.started ? String.fromCharCode(msg[0] as number) : '';
    state.started = true;
    yield { type, msg };
  }
}

const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5]);

/** A simple Query message whose SQL ends in COMMIT (alone, or after other statements). */
export const commitQuery = (type: string, body: Buffer) =>
  type === 'Q' && /COMMIT\s*$/i.test(body.subarray(5, -1).toString('utf8'));

/** A Bind of the named prepared statement `name` (node-postgres names statements per client). */
export const bindOf = (name: string) => (type: string, body: Buffer) => type === 'B' && body.includes(`\0${name}\0`);

/**
 * A TCP proxy between node-postgres and a PostgreSQL server that loses the connection around
 * one request, as a network would. Arm it with `cut()`; it fires once, on the first connection
 * that sends a matching message. `refuse` makes it drop every new connection.
 */
export class CuttingProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #armed: Cut | undefined;
  #done: Promise<void> = Promise.resolve();
  refuse = false;
  /** Cuts made so far (a test checks that its cut did fire). */
  cuts = 0;

  private constructor(server: net.Server) {
    this.#server = server;
  }

  static async start(target: { host: string; port: number }): Promise<CuttingProxy> {
    const server = net.createServer();
    const proxy = new CuttingProxy(server);
    server.on('connection', (client) => proxy.#accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  cut(cut: Cut): void {
    this.#armed = cut;
  }

  /** Resolves once the last cut is over (a delayed request has reached the server). */
  settled(): Promise<void> {
    return this.#done;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #track(socket: net.Socket): net.Socket {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  }

  #accept(client: net.Socket, target: { host: string; port: number }): void {
    this.#track(client);
    if (this.refuse) {
      client.destroy();
      return;
    }
    const server = this.#track(net.connect(target.port, target.host));
    let replies: (chunk: Buffer) => void = (chunk) => client.write(chunk);
    server.on('data', (chunk: Buffer) => replies(chunk));
    // Once a cut fires, it alone closes the two sides, in its own order.
    let cutting = false;
    server.on('close', () => cutting || client.destroy());
    client.on('close', () => cutting || server.end());

    const state = { buf: Buffer.alloc(0), started: false };
    let cut: Cut | undefined;
    let request: Buffer[] = [];
    client.on('data', (chunk: Buffer) => {
      state.buf = Buffer.concat([state.buf, chunk]);
      for (const { type, msg } of messages(state)) {
        if (!cut && this.#armed?.on(type, msg)) {
          cut = this.#armed;
          this.#armed = undefined;
        }
        if (!cut) {
          server.write(msg);
          continue;
        }
        request.push(msg);
        if (type !== 'Q' && type !== 'S') continue;
        const held = Buffer.concat(request);
        request = [];
        this.cuts++;
        cutting = true;
        replies = () => {}; // the client hears nothing more
        this.#done = this.#fire(cut, client, server, held, (f) => (replies = f));
        return;
      }
    });
  }

  async #fire(cut: Cut, client: net.Socket, server: net.Socket, held: Buffer, onReply: (f: (c: Buffer) => void) => void) {
    if (cut.mode === 'in-flight') {
      client.destroy();
      await new Promise((resolve) => setTimeout(resolve, cut.delayMs ?? 200));
      await new Promise<void>((resolve) => server.end(held, resolve));
      return;
    }
    if (cut.mode === 'after-reply') {
      let seen = Buffer.alloc(0);
      const answered = new Promise<void>((resolve) =>
        onReply((chunk) => {
          seen = Buffer.concat([seen, chunk]);
          if (seen.includes(READY_FOR_QUERY)) resolve();
        }),
      );
      server.write(held);
      await answered;
    }
    // The server's side goes first: a transaction left open ('before') rolls back and lets go of
    // its locks, so `meanwhile` can write the same rows while the client still waits.
    server.destroy();
    await cut.meanwhile?.();
    client.destroy();
  }
}
