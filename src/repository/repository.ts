import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, hasCode } from '../core/errors.ts';
import { SYSTEM_ROOT } from '../core/row.ts';
import type { RepositoryMetrics } from '../metrics/repository-metrics.ts';
import type { StoragePort } from '../storage/storage-port.ts';
import type { RepositoryObserver } from './observer.ts';
import type { ResolvedOptions } from './options.ts';
import { withRetries } from './retry-policy.ts';
import { Session, type SessionContext, type SessionMode } from './session.ts';
import { idSchema, parseInput, transactionFnSchema } from './validation.ts';

export interface SessionOptions {
  /** The user root this session acts for; anchors it creates are owned by it. Default: system root. */
  readonly root?: string;
  /** `merge` (default): rebase onto concurrent writes. `serializable`: also fail if anything read changed. */
  readonly mode?: SessionMode;
}

export interface TransactionOptions extends SessionOptions {}

const sessionOptionsSchema = z.object({ root: idSchema.optional(), mode: z.enum(['merge', 'serializable']).optional() }).strict();

/** Conflicts a replay of the transaction's function can resolve. */
const REPLAYABLE = ['field_conflict', 'deleted_concurrently', 'read_conflict'] as const;

/** A fresh random writer id: one per repository instance. */
export function newWriterId(): string {
  return randomUUID().replaceAll('-', '');
}

/** A repository: one storage backend, one writer id, the commit loop's settings. */
export class Repository {
  /** This repository's id in version vectors. */
  readonly writerId: string;
  readonly #storage: StoragePort;
  readonly #ctx: SessionContext;
  #closed = false;

  /** Conflict metrics (`prometheus()`, `snapshot()`, `hotAnchors()`); undefined with `metrics: false`. */
  readonly metrics: RepositoryMetrics | undefined;

  constructor(
    storage: StoragePort,
    options: ResolvedOptions,
    observers: readonly RepositoryObserver[],
    metrics?: RepositoryMetrics,
  ) {
    this.#storage = storage;
    this.metrics = metrics;
    this.writerId = options.writerId ?? newWriterId();
    this.#ctx = {
      storage,
      writer: this.writerId,
      policies: options.policies,
      retry: options.retry,
      observers,
      maxAnchorBytes: options.maxAnchorBytes,
      newId: randomUUID,
      random: Math.random,
      now: () => performance.now(),
      clock: Date.now,
    };
  }

  /** Backend label: `memory`, `sqlite`, `postgres`. */
  get backend(): string {
    return this.#storage.backend;
  }

  /** The storage port, for tools in this package (check, metrics journal). */
  get storage(): StoragePort {
    return this.#storage;
  }

  /** A new unit of work. */
  session(options: SessionOptions = {}): Session {
    const opts = parseInput(sessionOptionsSchema, options, 'options');
    return new Session(this.#ctx, opts.root ?? SYSTEM_ROOT, opts.mode ?? 'merge');
  }

  /**
   * Runs `fn` on a fresh session and commits it; on a conflict a merge cannot resolve
   * (`field_conflict`, `deleted_concurrently`, `read_conflict`) runs `fn` again on a fresh
   * session, with the repository's retry budget. Resolves to `fn`'s result. Use `serializable`
   * for read-dependent logic such as find-or-create. Other errors abort and propagate.
   */
  async transaction<T>(fn: (tx: Session) => Promise<T> | T, options: TransactionOptions = {}): Promise<T> {
    parseInput(transactionFnSchema, fn, 'fn');
    const opts = parseInput(sessionOptionsSchema, options, 'options');
    let replays = 0;
    try {
      return await withRetries(
        this.#ctx.retry,
        { random: this.#ctx.random, retryable: (e) => hasCode(e, ...REPLAYABLE) },
        async (n) => {
          replays = n - 1;
          const tx = this.session(opts);
          try {
            const result = await fn(tx);
            await tx.commit();
            return result;
          } catch (error) {
            tx.abort();
            throw error;
          }
        },
      );
    } catch (error) {
      if (!hasCode(error, ...REPLAYABLE)) throw error;
      throw new ConflictError('retries_exhausted', `transaction gave up after ${replays + 1} runs; nothing was written`, {
        cause: error,
        anchorId: (error as ConflictError).anchorId,
        context: { runs: replays + 1 },
      });
    }
  }

  /** Closes the backend. Sessions must not be used afterwards. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Observers flush what they buffered (metrics' commit counts) while the storage is still open.
    for (const o of this.#ctx.observers) await Promise.resolve(o.onClose?.()).catch(() => undefined);
    await this.#storage.close();
  }
}
