import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { GraphStore } from '../harness/workload/graph-store.ts';
import { hasCode } from '../index.ts';
import type { AuthStore } from './auth-store.ts';
import { HttpError } from './http-error.ts';
import { readJsonBody } from './read-body.ts';
import { runWalker } from './walkers.ts';

const credentials = z.object({
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits and _ . @ - only'),
  password: z.string().min(8, 'must be at least 8 characters').max(256),
});

export interface WalkerAppOptions {
  readonly store: GraphStore;
  readonly auth: AuthStore;
  /** Model-call durations (ms) of one chat, one per assistant turn. */
  readonly chatTurns: () => number[];
  readonly log?: (message: string) => void;
}

/** Maps any failure to what the client sees; only a fault of ours is a 500. */
function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (hasCode(error, 'validation')) return new HttpError(400, 'bad_request', error.message);
  if (hasCode(error, 'access_denied', 'not_found')) return new HttpError(404, 'not_found', 'not found');
  if (hasCode(error, 'field_conflict', 'deleted_concurrently', 'read_conflict', 'retries_exhausted')) {
    return new HttpError(409, error.code, error.message);
  }
  if (hasCode(error, 'storage') && error.retryable) return new HttpError(503, 'busy', 'the database is busy; try again');
  return new HttpError(500, 'internal', 'internal error');
}

/**
 * The walker server's request handler: the HTTP shape of the seed report's reproduction
 * script (`/user/register`, `/walker/<name>` with a bearer token). One session per request;
 * `ai_chat start` keeps its session open in the background after responding.
 */
export class WalkerApp {
  readonly #options: WalkerAppOptions;
  readonly #background = new Set<Promise<unknown>>();

  constructor(options: WalkerAppOptions) {
    this.#options = options;
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.#route(req).then(
      (data) => this.#send(res, 200, { data }),
      (error: unknown) => {
        const e = toHttpError(error);
        if (e.status >= 500)
          this.#options.log?.(`walker server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        // An oversized body is not read to its end: close the connection after answering.
        if (e.status === 413) res.setHeader('connection', 'close');
        this.#send(res, e.status, { error: { code: e.code, message: e.message } });
      },
    );
  };

  /** Waits for background chats to finish. */
  async drain(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  async #route(req: IncomingMessage): Promise<unknown> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const walker = /^\/walker\/([A-Za-z0-9_]+)$/.exec(path)?.[1];
    const known = walker !== undefined || path === '/user/register' || path === '/user/login';
    if (!known) throw new HttpError(404, 'not_found', `no route ${req.method} ${path.slice(0, 100)}`);
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
    const body = await readJsonBody(req);
    if (walker === undefined) return this.#account(path, body);
    const user = this.#options.auth.verify(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    if (!user) throw new HttpError(401, 'unauthorized', 'missing or invalid bearer token');
    const reports = await runWalker(walker, body, {
      store: this.#options.store,
      root: user.root,
      chatTurns: this.#options.chatTurns,
      background: (task) => this.#track(task),
    });
    return { reports };
  }

  async #account(path: string, body: unknown): Promise<unknown> {
    const parsed = credentials.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, 'bad_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    const { username, password } = parsed.data;
    const auth = this.#options.auth;
    const token = path === '/user/register' ? await auth.register(username, password) : await auth.login(username, password);
    if (token) return { token, username };
    throw path === '/user/register'
      ? new HttpError(409, 'username_taken', 'that username is taken')
      : new HttpError(401, 'unauthorized', 'wrong username or password');
  }

  #track(task: Promise<unknown>): void {
    const t = task.catch((error: unknown) =>
      this.#options.log?.(`ai_chat ended early: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.#background.add(t);
    void t.finally(() => this.#background.delete(t));
  }

  #send(res: ServerResponse, status: number, payload: unknown): void {
    const body = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
}
