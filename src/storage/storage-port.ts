import type { CommitStats } from '../core/commit-stats.ts';
import type { JournalEntry } from '../core/journal.ts';
import type { AnchorRow } from '../core/row.ts';
import type { WriteResult, WriteSet } from '../core/write-set.ts';

/**
 * A row as `load` returns it. Backends without synchronous reads may bring a node's edge ids
 * along (one round trip instead of two); the others leave them to `loadEdgeIds`.
 */
export type LoadedRow = AnchorRow & { readonly edgeIds?: readonly string[] };

/** What a backend can do beyond the port's minimum; the repository reads flags, never names. */
export interface StorageCapabilities {
  /** Reads can run synchronously (`loadEdgeIdsSync`), so edge lists can load on first access. */
  readonly syncReads: boolean;
  /** `apply` rebases a stale write set inside its transaction through the `rebase` callback. */
  readonly rebaseInPlace: boolean;
}

/**
 * Given the rows a write set found stale (read under the transaction's locks), the rebased
 * write set to apply instead, or undefined to give up and report them stale. Pure and synchronous.
 */
export type RebaseInPlace = (
  stale: ReadonlyArray<{ readonly id: string; readonly current: AnchorRow | null }>,
) => WriteSet | undefined;

export interface ScanQuery {
  /** Only anchors of this type; all types when absent. */
  readonly type?: string;
  /** Only anchors owned by this root. */
  readonly root?: string;
  /** Only ids greater than this (keyset paging, ids in ascending order). */
  readonly after?: string;
  readonly limit: number;
}

/**
 * The storage port: the whole of what the repository asks of a database.
 * Backends live in sibling folders and pass one conformance suite.
 */
export interface StoragePort {
  /** Backend label for metrics and errors: `memory`, `sqlite`, `postgres`. */
  readonly backend: string;
  readonly capabilities: StorageCapabilities;

  /** Rows by id, as stored now. Missing ids are absent from the map. Edge lists only as `edgeIds`, where a backend brings them. */
  load(ids: readonly string[]): Promise<Map<string, LoadedRow>>;

  /** A node's edge ids in stored (creation) order. Cost follows the degree; call it only when needed. */
  loadEdgeIds(nodeId: string): Promise<string[]>;

  /** Synchronous `loadEdgeIds`, present when `capabilities.syncReads`. */
  loadEdgeIdsSync?(nodeId: string): string[];

  /**
   * Creates a root node row if it does not exist; never touches an existing one.
   * Idempotent under concurrent callers.
   */
  ensureRoot(id: string, writer: string): Promise<void>;

  /**
   * Applies one write set atomically (one database transaction): all of it, or — when any
   * version check misses — nothing, returning the stale rows as they are now. Transient failures
   * (busy) throw a retryable `StorageError`. A backend that can keep its locks while it asks
   * (`capabilities.rebaseInPlace`) calls `rebase` with the stale rows and applies the write set
   * it returns instead, in the same transaction: a writer then cannot be starved on a hot row.
   * Where a lost connection can leave a commit's outcome unknown (PostgreSQL), an attempt whose
   * `commitId` landed before returns that attempt's result and writes nothing, so the loop may
   * retry it.
   */
  apply(writeSet: WriteSet, rebase?: RebaseInPlace): Promise<WriteResult>;

  /** Anchors (of one type, or all), ids ascending, for listing, typed models and checkers. */
  scan(query: ScanQuery): Promise<AnchorRow[]>;

  /** Appends journal entries in their own transaction (conflicts whose commit wrote nothing). */
  appendJournal(entries: readonly JournalEntry[]): Promise<void>;

  /** Journal entries at or after `since` (ms since epoch), oldest first, at most `limit`. */
  readJournal(query: JournalQuery): Promise<JournalEntry[]>;

  /** Deletes journal entries older than `before`, then all but the newest `keep`; returns how many went. */
  pruneJournal(retention: JournalRetention): Promise<number>;

  /**
   * Appends commit-stats rows (a writer's commit counts over an interval, flushed by metrics
   * about once a second) in their own transaction. Rows are never merged in place; readers add them.
   */
  appendStats(rows: readonly CommitStats[]): Promise<void>;

  /** Stats rows whose interval starts at or after `since`, oldest first, at most `limit`. */
  readStats(query: JournalQuery): Promise<CommitStats[]>;

  /** As `pruneJournal`, for stats rows (by interval start); returns how many went. */
  pruneStats(retention: JournalRetention): Promise<number>;

  /**
   * Deletes commit records older than `before` (ms since the epoch); returns how many went.
   * Present on backends that record commit ids (PostgreSQL), so that a commit whose COMMIT reply
   * was lost can be retried without being written twice; a record must outlive its commit's retries.
   */
  pruneCommits?(before: number): Promise<number>;

  /** Releases connections and files. Idempotent. */
  close(): Promise<void>;
}

export interface JournalQuery {
  readonly since?: number;
  readonly limit?: number;
}

export interface JournalRetention {
  readonly before?: number;
  readonly keep?: number;
}
