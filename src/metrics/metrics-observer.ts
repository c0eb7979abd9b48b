import { addStats, type CommitStats, emptyStats } from '../core/commit-stats.ts';
import type { AttemptEvent, CommitEvent, ConflictReport, RepositoryObserver, RetryEvent } from '../repository/observer.ts';
import type { StoragePort } from '../storage/storage-port.ts';
import { ConflictTally } from './conflict-tally.ts';
import type { MetricsSummary } from './dashboard/dashboard-schema.ts';
import { StatsAccumulator } from './stats-accumulator.ts';
import { summarize } from './summarize.ts';

/** Unwritten stats rows kept while the database refuses them (about 10 minutes of 1 s flushes). */
const MAX_PENDING = 600;

export interface MetricsObserverOptions {
  readonly writer: string;
  /** Hot anchors tracked: 4× this many candidates are kept. */
  readonly topK: number;
  readonly flushIntervalMs: number;
  /** Wall-clock milliseconds since the epoch. */
  readonly clock: () => number;
}

/**
 * Listens to the repository and only adds: into an in-memory stats row, flushed to the database
 * every `flushIntervalMs` (so commits never pay a write for their counts), and into a bounded
 * conflict tally. prom-client and snapshots read `summary()` when asked. Nothing here can fail
 * a commit.
 */
export class MetricsObserver implements RepositoryObserver {
  readonly writer: string;
  readonly backend: string;
  /** When counting began. */
  readonly since: number;
  readonly tally: ConflictTally;
  readonly #storage: StoragePort;
  readonly #clock: () => number;
  readonly #interval = new StatsAccumulator();
  #intervalStart: number;
  /** Every row taken so far, flushed or not. */
  #taken: CommitStats;
  #pending: CommitStats[] = [];
  #flushing: Promise<void> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;

  constructor(storage: StoragePort, options: MetricsObserverOptions) {
    this.#storage = storage;
    this.writer = options.writer;
    this.backend = storage.backend;
    this.#clock = options.clock;
    this.since = options.clock();
    this.#intervalStart = this.since;
    this.#taken = emptyStats(this.writer, this.backend, this.since);
    this.tally = new ConflictTally(options.topK * 4);
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    // Metrics never keep a process alive.
    this.#timer.unref();
  }

  onAttempt(e: AttemptEvent): void {
    this.#interval.attempt(e);
  }

  onRetry(e: RetryEvent): void {
    this.#interval.retry(e);
  }

  onConflict(e: ConflictReport): void {
    this.tally.add(e);
  }

  onCommit(e: CommitEvent): void {
    this.#interval.commit(e);
  }

  async onClose(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  /** Everything counted since `since`, flushed or not. */
  totals(): CommitStats {
    return addStats(this.#taken, this.#interval.peek(this.writer, this.backend, this.#intervalStart, this.#clock()));
  }

  /** Totals, conflicts and percentiles so far, listing `topK` hot anchors and types. */
  summary(topK: number): MetricsSummary {
    return summarize(this.backend, this.tally, this.totals(), topK);
  }

  /** Writes the counts of the current interval (and any earlier refused rows) to the database. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flushOnce());
    return this.#flushing;
  }

  async #flushOnce(): Promise<void> {
    if (!this.#interval.empty) {
      const now = this.#clock();
      const row = this.#interval.take(this.writer, this.backend, this.#intervalStart, now);
      this.#intervalStart = now;
      this.#taken = addStats(this.#taken, row);
      this.#pending.push(row);
    }
    if (this.#pending.length === 0) return;
    const rows = this.#pending;
    this.#pending = [];
    try {
      await this.#storage.appendStats(rows);
    } catch {
      // Busy or closing: keep the rows for the next flush, within a bound.
      this.#pending = [...rows, ...this.#pending].slice(-MAX_PENDING);
    }
  }
}
