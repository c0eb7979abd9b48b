import type { AnchorRow } from '../core/row.ts';
import type { WriteResult, WriteSet } from '../core/write-set.ts';

/** What a backend can do beyond the port's minimum; the repository reads flags, never names. */
export interface StorageCapabilities {
  /** Reads can run synchronously (`loadEdgeIdsSync`), so edge lists can load on first access. */
  readonly syncReads: boolean;
}

export interface ScanQuery {
  readonly type: string;
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

  /** Rows by id, as stored now. Missing ids are absent from the map. Edge lists are not included. */
  load(ids: readonly string[]): Promise<Map<string, AnchorRow>>;

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
   * (busy) throw a retryable `StorageError`.
   */
  apply(writeSet: WriteSet): Promise<WriteResult>;

  /** Anchors of one type, ids ascending, for listing and typed models. */
  scan(query: ScanQuery): Promise<AnchorRow[]>;

  /** Releases connections and files. Idempotent. */
  close(): Promise<void>;
}
