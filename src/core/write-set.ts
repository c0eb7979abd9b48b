import type { EndpointBase, JournalEntry } from './journal.ts';
import type { AnchorRow, Fields } from './row.ts';

/** A new anchor's content; storage gives it version 1 and the writer's first vector count. */
export type NewAnchor =
  | { readonly kind: 'node'; readonly id: string; readonly type: string; readonly root: string; readonly fields: Fields }
  | {
      readonly kind: 'edge';
      readonly id: string;
      readonly type: string;
      readonly root: string;
      readonly fields: Fields;
      readonly source: string;
      readonly target: string;
    };

/**
 * One atomic write attempt, as storage applies it: all of it or none.
 * - `checks`: the row must be at `expect` (null: absent) — serializable reads;
 * - `updates`: compare-and-swap, the row must be at `expect`; it gets `fields` and version expect+1;
 * - `deletes`: compare-and-swap delete; a node's edges go with it, from both endpoints;
 * - `inserts`: new rows (nodes listed before the edges that join them); an edge insert adds its id
 *   to both endpoints' edge lists.
 * Every row whose edge list changes gets a new version and vector count, so readers of either
 * endpoint see the change. `journal` rows are written in the same transaction; so is an `edge`
 * entry for each of `endpoints` found moved since its base.
 */
export interface WriteSet {
  readonly writer: string;
  /**
   * One per commit, the same in every attempt of it. A backend whose commit outcome can be
   * unknown (PostgreSQL) applies a commit id once: a later write set with an id that landed
   * gets the result recorded then, and nothing is applied again.
   */
  readonly commitId: string;
  /** Milliseconds since the epoch, stamped on journal entries. */
  readonly at: number;
  readonly journal: readonly JournalEntry[];
  readonly endpoints: readonly EndpointBase[];
  readonly checks: ReadonlyArray<{ readonly id: string; readonly expect: number | null }>;
  readonly updates: ReadonlyArray<{ readonly id: string; readonly expect: number; readonly fields: Fields }>;
  readonly deletes: ReadonlyArray<{ readonly id: string; readonly expect: number }>;
  readonly inserts: readonly NewAnchor[];
}

/**
 * What one successful write (`commit()`, `put()`, `putMany()`) wrote: every row it changed with
 * its new version and vector — the anchors it created or changed, and the nodes whose edge lists
 * moved, each by exactly one version — and every id it deleted, edges that went with a node
 * included. A write with nothing staged wrote nothing.
 */
export interface WriteReceipt {
  readonly written: ReadonlyMap<string, WrittenRow>;
  readonly deleted: readonly string[];
}

export interface WrittenRow {
  readonly version: number;
  readonly vv: Readonly<Record<string, number>>;
}

/** Outcome of one attempt. A compare-and-swap miss is a value, not an exception. */
export type WriteResult = (
  | {
      readonly ok: true;
      /** New version and vector of every row written, including endpoints whose edge list moved. */
      readonly written: ReadonlyMap<string, WrittenRow>;
      /** Every id deleted, including edges that went with a deleted node. */
      readonly deleted: readonly string[];
      /** Edge lists rebased in place: endpoints other writers had changed since their base. */
      readonly edgeConflicts: readonly JournalEntry[];
    }
  | {
      readonly ok: false;
      /** Rows that were not as expected, with what is stored now (null: gone). */
      readonly stale: ReadonlyArray<{ readonly id: string; readonly current: AnchorRow | null }>;
    }
) & {
  /**
   * How long the attempt waited for the database's write lock before its last, successful try
   * (SQLite: behind this process's other writes and other processes'; the short synchronous
   * wait inside a try is not counted). Backends that wait inside the attempt (PostgreSQL's row
   * locks) leave it out.
   */
  readonly lockWaitMs?: number;
};
