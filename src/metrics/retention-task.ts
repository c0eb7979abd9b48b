import type { RepositoryObserver } from '../repository/observer.ts';
import type { StoragePort } from '../storage/storage-port.ts';
import type { ResolvedRetentionOptions } from './metrics-options.ts';

export interface PruneResult {
  readonly journal: number;
  readonly stats: number;
  /** Commit records (backends that keep them: PostgreSQL). */
  readonly commits: number;
}

/**
 * Keeps the conflict journal and the commit stats bounded: every `intervalMs` (never inside a
 * commit) it deletes rows older than `maxAgeMs`, then all but the newest `maxRows` of each table.
 * Commit records go by age alone (`commitRecordsMaxAgeMs`, at least an hour): a count could not
 * promise that a record outlives its commit's retries under load. Any process sharing the
 * database may run it; pruning is idempotent.
 */
export class RetentionTask implements RepositoryObserver {
  readonly #storage: StoragePort;
  readonly #options: ResolvedRetentionOptions;
  readonly #clock: () => number;
  readonly #timer: NodeJS.Timeout;
  #running: Promise<PruneResult> | undefined;

  constructor(storage: StoragePort, options: ResolvedRetentionOptions, clock: () => number = Date.now) {
    this.#storage = storage;
    this.#options = options;
    this.#clock = clock;
    this.#timer = setInterval(() => void this.prune().catch(() => undefined), options.intervalMs);
    this.#timer.unref();
  }

  /** Prunes now; a prune already running is joined, not doubled. */
  prune(): Promise<PruneResult> {
    this.#running ??= this.#pruneOnce().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pruneOnce(): Promise<PruneResult> {
    const retention = { before: this.#clock() - this.#options.maxAgeMs, keep: this.#options.maxRows };
    const journal = await this.#storage.pruneJournal(retention);
    const stats = await this.#storage.pruneStats(retention);
    const commits = (await this.#storage.pruneCommits?.(this.#clock() - this.#options.commitRecordsMaxAgeMs)) ?? 0;
    return { journal, stats, commits };
  }

  async onClose(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }
}
